"""Answers to GET requests, computed once and kept compressed.

The build cannot change while the server runs, so an answer for a URL is the same every
time: the first request pays for it (JSON encoding, an export, a filter), the next ones
are a dictionary lookup. Bodies are stored with a gzip copy, so compression costs nothing
per request either. The cache is bounded in bytes; past the bound it stops adding.
"""
from __future__ import annotations

import gzip
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, g, request

#: Types worth compressing; images and GeoPackages are already dense or binary.
COMPRESSIBLE = ("application/json", "application/geo+json", "text/html", "text/csv",
                "application/vnd.google-earth.kml+xml", "application/vnd.oai.openapi+json")
MIN_GZIP = 1024


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _respond(entry: Entry) -> Response:
    compressed = entry.gzipped is not None and _accepts_gzip()
    response = Response(entry.gzipped if compressed else entry.body, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    if entry.gzipped is not None:
        response.headers["Vary"] = "Accept-Encoding"
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.get_data()))
    return response


def install(app: Flask, prefixes: tuple[str, ...] = ("/api/",), exact: tuple[str, ...] = ("/",),
            max_bytes: int = 64 * 1024 * 1024) -> None:
    """Cache successful GET answers for paths under ``prefixes`` (and the ``exact`` paths)."""
    store: OrderedDict[str, Entry] = OrderedDict()
    used = {"bytes": 0}

    def cacheable() -> bool:
        return request.method == "GET" and (request.path in exact or request.path.startswith(prefixes))

    @app.before_request
    def lookup():
        if not cacheable():
            return None
        entry = store.get(request.full_path)
        if entry is None:
            return None
        g.cached = True
        return _respond(entry)

    @app.after_request
    def remember(response: Response) -> Response:
        if not cacheable() or g.get("cached") or response.status_code != 200 or response.direct_passthrough:
            return response
        body = response.get_data()
        gzipped = None
        if response.mimetype in COMPRESSIBLE and len(body) >= MIN_GZIP:
            gzipped = gzip.compress(body, compresslevel=6)
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in ("content-length",))
        entry = Entry(response.status_code, headers, body, gzipped)
        if used["bytes"] + entry.size <= max_bytes:
            store[request.full_path] = entry
            used["bytes"] += entry.size
        return _respond(entry)

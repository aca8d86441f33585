"""HTTP caching of GET answers: validators for clients, a bounded store in the server.

A build cannot change while the server runs, so every answer is identified by the build's
fingerprint: it is the ``ETag`` of every cached path (with a ``-gzip`` suffix on the
compressed representation, RFC 9110 §8.8.3), ``Cache-Control: no-cache`` makes clients
revalidate, and a matching ``If-None-Match`` is answered ``304`` without computing anything.

In the server, the first request for a URL pays for it (JSON encoding, an export, a
filter) and the answer is kept with a gzip copy in a least-recently-used cache bounded
in bytes (``cachetools.LRUCache`` behind a lock: waitress and gunicorn serve from threads).
Static assets (Leaflet, the page script) go through the same path, so they are compressed too.
"""
from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass

from cachetools import LRUCache
from flask import Flask, Response, g, request

#: Types worth compressing; images and GeoPackages are already dense or binary.
COMPRESSIBLE = ("application/json", "application/geo+json", "text/html", "text/csv", "text/css",
                "text/javascript", "application/javascript", "application/vnd.google-earth.kml+xml",
                "application/vnd.oai.openapi+json")
MIN_GZIP = 1024
CACHE_CONTROL = "no-cache"   # store, but revalidate: a rebuild changes the fingerprint
GZIP_SUFFIX = "-gzip"


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class AnswerCache:
    """A thread-safe LRU of answers by URL, bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int) -> None:
        self._lru: LRUCache[str, Entry] = LRUCache(maxsize=max_bytes, getsizeof=lambda e: e.size)
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            return self._lru.get(key)

    def put(self, key: str, entry: Entry) -> None:
        if entry.size > self._lru.maxsize:
            return   # larger than the whole cache: serve it, do not keep it
        with self._lock:
            self._lru[key] = entry

    @property
    def bytes(self) -> int:
        with self._lock:
            return int(self._lru.currsize)

    @property
    def max_bytes(self) -> int:
        return int(self._lru.maxsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._lru)


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def _not_modified(etag: str) -> bool:
    """Whether ``If-None-Match`` names either representation of this build (weak comparison, RFC 9110 §13.1.2)."""
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return f'"{etag}"' in tags or f'"{etag}{GZIP_SUFFIX}"' in tags


def _respond(entry: Entry, etag: str) -> Response:
    compressed = entry.gzipped is not None and _accepts_gzip()
    response = Response(entry.gzipped if compressed else entry.body, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    if entry.gzipped is not None:
        response.headers["Vary"] = "Accept-Encoding"
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["ETag"] = f'"{etag}{GZIP_SUFFIX if compressed else ""}"'
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Content-Length"] = str(len(response.get_data()))
    return response


def install(app: Flask, etag: str, *, max_bytes: int = 64 * 1024 * 1024,
            prefixes: tuple[str, ...] = ("/api/", "/static/"), exact: tuple[str, ...] = ("/",)) -> AnswerCache:
    """Serve GET answers under ``prefixes`` (and the ``exact`` paths) with ``etag`` and from a cache."""
    cache = AnswerCache(max_bytes)
    app.extensions["planmap.cache"] = cache

    def cacheable() -> bool:
        return request.method in ("GET", "HEAD") and (request.path in exact or request.path.startswith(prefixes))

    @app.before_request
    def lookup():
        if not cacheable():
            return None
        if _not_modified(etag):
            g.cached = True
            response = Response(status=304)
            response.headers["ETag"] = f'"{etag}"'
            response.headers["Cache-Control"] = CACHE_CONTROL
            return response
        entry = cache.get(request.full_path)
        if entry is None:
            return None
        g.cached = True
        return _respond(entry, etag)

    @app.after_request
    def remember(response: Response) -> Response:
        if not cacheable() or g.get("cached") or response.status_code != 200:
            return response
        response.direct_passthrough = False   # static files arrive as a file wrapper: read them once
        body = response.get_data()
        gzipped = None
        if response.mimetype in COMPRESSIBLE and len(body) >= MIN_GZIP:
            gzipped = gzip.compress(body, compresslevel=6)
        skip = ("content-length", "etag", "last-modified", "cache-control", "expires")
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in skip)
        entry = Entry(response.status_code, headers, body, gzipped)
        cache.put(request.full_path, entry)
        return _respond(entry, etag)

    return cache

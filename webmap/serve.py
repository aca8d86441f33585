"""Running the app for real: waitress (a production WSGI server) with a request log."""
from __future__ import annotations

import logging
import time
from typing import Callable, Iterable

from flask import Flask

LOGGER = logging.getLogger("planmap.access")


class AccessLog:
    """A line per request: method, path, status, bytes and milliseconds (waitress logs none)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        began = time.perf_counter()
        seen: dict[str, str] = {}

        def start(status: str, headers: list, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            seen["length"] = next((v for k, v in headers if k.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            LOGGER.info("%s %s %s %s %.1fms", environ.get("REQUEST_METHOD"), path[:300], seen.get("status", "-"),
                        seen.get("length", "-"), 1000 * (time.perf_counter() - began))


def serve(app: Flask, host: str, port: int, *, threads: int = 8) -> None:
    import waitress

    # waitress counts its own sockets against connection_limit (default 100): leave room
    waitress.serve(AccessLog(app), host=host, port=port, threads=threads, ident="planmap",
                   clear_untrusted_proxy_headers=True, connection_limit=1000)

"""Running the app for real: waitress (a production WSGI server) with a request log.

One waitress process serves with threads; ``workers`` > 1 runs that many processes under
gunicorn (threaded workers forked from one loaded app, so the store is read once) when
gunicorn is installed, and falls back to one waitress process otherwise.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

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


def serve(app: Flask, host: str, port: int, *, threads: int = 8, workers: int = 1) -> None:
    if workers > 1:
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            LOGGER.warning("gunicorn is not installed (pip install 'planmap[workers]'): "
                           "serving with one waitress process")
        else:
            return _gunicorn(app, host, port, threads=threads, workers=workers)
    make_waitress(AccessLog(app), host=host, port=port, threads=threads).run()


def quote_target(request_line: bytes) -> bytes:
    """Percent-encode the bytes above 0x7F in an HTTP request line, as browsers do before sending.

    curl sends ``?industry=航空航天`` as raw UTF-8, which RFC 9112 does not allow in a request
    target and waitress refuses with a plain-text "400 Bad URI" before the app sees it.
    Encoding those bytes gives the app the same query a browser would have sent.
    """
    return bytes(request_line) if request_line.isascii() else b"".join(
        b"%%%02X" % b if b > 0x7F else bytes((b,)) for b in request_line)


def make_waitress(app: Callable, *, host: str, port: int, threads: int = 8):
    """A waitress server for ``app`` whose request parser accepts raw UTF-8 in the request target."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.server import BaseWSGIServer, create_server

    class Parser(HTTPRequestParser):  # type: ignore[misc]
        def parse_header(self, header_plus: bytes) -> None:
            first, sep, rest = header_plus.partition(b"\r\n")
            return super().parse_header(quote_target(first) + sep + rest)

    class Channel(HTTPChannel):  # type: ignore[misc]
        parser_class = Parser

    sockets: dict = {}
    # waitress counts its own sockets against connection_limit (default 100): leave room
    server = create_server(app, map=sockets, host=host, port=port, threads=threads, ident="planmap",
                           clear_untrusted_proxy_headers=True, connection_limit=1000)
    for listener in list(sockets.values()):
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = Channel
    return server


def _gunicorn(app: Flask, host: str, port: int, *, threads: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        """gunicorn's documented way to run an application object of our own."""

        def load_config(self) -> None:
            for key, value in {"bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                               "workers": workers, "threads": threads, "worker_class": "gthread",
                               "preload_app": True, "accesslog": None, "proc_name": "planmap",
                               "worker_connections": 1000, "keepalive": 30}.items():
                self.cfg.set(key, value)

        def load(self) -> Callable:
            return AccessLog(app)

    Server().run()


@contextlib.contextmanager
def in_thread(app: Callable, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` with waitress from a background thread (port 0: a free one); yields the base URL."""
    server = make_waitress(app, host=host, port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)

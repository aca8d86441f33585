from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from geo.document import load_document
from geo.gazetteer.index import CACHE_NAME
from layers.build import build
from tests.common import PLAN, TOWNS


def pytest_collection_modifyitems(items):
    """Tests that need the full build, or run planmap as a subprocess, are ``slow``: `make test-fast` skips them."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
        if "build_dir" in getattr(item, "fixturenames", ()) or item.path.name in ("test_cli.py", "test_build_atomic.py"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def plan():
    """The real plan, read once per test session."""
    return load_document(PLAN)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    """One real build of the plan, shared by every test that only reads it."""
    out = tmp_path_factory.mktemp("build") / "build"
    build(PLAN, out)
    return out


@pytest.fixture
def towns_build(build_dir, tmp_path):
    """A build of :data:`TOWNS` (the plan build's gazetteer cache copied in to save assembling it): its source and directory."""
    src = tmp_path / "towns.txt"
    src.write_text(TOWNS, encoding="utf-8")
    out = tmp_path / "b"
    out.mkdir()
    shutil.copy(build_dir / CACHE_NAME, out)
    build(src, out)
    return src, out


@pytest.fixture(scope="session")
def places(build_dir):
    """The built places.geojson features, by id."""
    fc = json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))
    return {f["id"]: f for f in fc["features"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app, port: int):
    """A WSGI app served on a localhost port in a thread; yields its base URL once it answers."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/paragraphs", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)


def serve_build(build_dir: Path):
    """The real app over ``build_dir``, served on a free localhost port (see :func:`running`)."""
    from webmap import create_app

    port = free_port()
    app = create_app({"build_dir": build_dir, "auto_build": False, "public_url": f"http://127.0.0.1:{port}"})
    return running(app, port)


@pytest.fixture(scope="session")
def live_server(build_dir):
    """The real app over the plan's build, for clients we did not write (Chromium, GDAL)."""
    with serve_build(build_dir) as url:
        yield url


@pytest.fixture(scope="session")
def family_dir(tmp_path_factory, build_dir):
    """One build of a plan family: the plan, a 纲要 excerpt given as a PDF, a district plan and a news text."""
    import shutil

    from tests.common import FAMILY
    from tests.pdfs import blocks, plan_pdf

    sources = tmp_path_factory.mktemp("family-sources")
    gangyao = plan_pdf(sources / "gangyao.pdf", blocks(FAMILY / "gangyao.txt"))
    out = tmp_path_factory.mktemp("family") / "build"
    out.mkdir()
    shutil.copy(build_dir / "gazetteer.json", out)   # the gazetteer is the same: take it from the plan's build
    build([str(PLAN), str(gangyao), str(FAMILY / "danyang.txt"), str(FAMILY / "news.txt")], out)
    return out

"""Headless Chromium (Debian's, driven by Playwright) against the real server on localhost.

The network is closed to everything but the server: a request elsewhere is aborted and
counted as a failure, so a CDN reference fails the test that loads the page.
"""
from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Console errors, page errors and failed or foreign requests of one page."""

    def __init__(self, page, origin: str) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(r.url))

        def route(r):
            if r.request.url.startswith(origin):
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort()

        page.route("**/*", route)

    def assert_clean(self) -> None:
        assert self.foreign == [], f"requests outside the server: {self.foreign}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.errors == [], f"console errors: {self.errors}"


DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def new_page(browser, origin: str, **context_args):
    context = browser.new_context(accept_downloads=True, **context_args)
    pg = context.new_page()
    pg.watch = Watch(pg, origin)
    return pg


@pytest.fixture
def page(browser, live_server):
    """A laptop screen (1440×900)."""
    pg = new_page(browser, live_server, **DESKTOP)
    yield pg
    pg.context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone held upright (390×844, touch)."""
    pg = new_page(browser, live_server, **PHONE)
    yield pg
    pg.context.close()


def open_explorer(page, url: str):
    page.goto(url)
    page.wait_for_selector('body[data-ready="true"]', state="attached", timeout=30_000)
    return page

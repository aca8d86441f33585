"""Plan text and place names are data: markup in a document shows as text, never runs."""
from __future__ import annotations

import pytest

from layers.build import build
from tests.browser.conftest import Watch, open_explorer
from tests.conftest import serve_build

HOSTILE = """一、<script>window.pwned = 1</script>总体要求

1.推动镇江新区"><img src=x onerror="window.pwned = 2">发展。访问 javascript:window.pwned=3 与 句容市<b>加粗</b>。

2.建设扬中市<svg onload="window.pwned=4">产业园。

3.推进白鹭洲科技园建设。
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    out = src.parent / "build"
    build(src, out)
    with serve_build(out) as url:
        yield url


def test_markup_in_the_document_is_shown_as_text(browser, hostile_server):
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, hostile_server)
    open_explorer(page, hostile_server + "/")
    reader = page.locator("#pm-text")
    text = reader.inner_text()
    assert "<script>window.pwned = 1</script>" in text
    assert '"><img src=x onerror="window.pwned = 2">' in text
    assert "<b>加粗</b>" in text
    assert reader.locator("img, script, svg, b").count() == 0
    # the popup quotes the same hostile sentence: still text
    page.locator("mark.pm-place[data-place='zone-zhenjiang-xinqu']").first.click()
    popup = page.locator(".pm-popup[data-feature='zone-zhenjiang-xinqu']")
    popup.wait_for()
    assert "onerror" in popup.inner_text()
    assert popup.locator("img, svg").count() == 0
    page.keyboard.press("Escape")
    page.locator("path.pm-f-admin-321182").hover(force=True)   # a tooltip with a name
    assert page.evaluate("window.pwned") is None
    assert watch.foreign == []   # the <img src=x> was never requested
    context.close()


def test_an_unlocated_name_says_why_in_chinese(browser, hostile_server):
    """白鹭洲科技园 is in no gazetteer: the reader marks it, and its tooltip gives the reason in Chinese."""
    context = browser.new_context()
    page = context.new_page()
    open_explorer(page, hostile_server + "/")
    span = page.locator(".pm-unresolved", has_text="白鹭洲科技园")
    assert span.count() == 1
    assert span.get_attribute("title") == "未能定位：像是地名，但地名库中没有"
    context.close()


def test_security_headers(hostile_server):
    import urllib.request

    with urllib.request.urlopen(hostile_server + "/") as r:
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split(";")[1]
    assert "object-src 'none'" in csp

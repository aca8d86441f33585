"""Keyboard paths, one language per interface, and axe-core (vendored) with no violations."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE, new_page, open_explorer
from tests.browser.see import latin_words, visible_in

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def test_keyboard_skip_link_panels_escape_and_enter(page, live_server):
    open_explorer(page, live_server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".pm-skip").first
    assert skip.evaluate("n => n === document.activeElement") and skip.is_visible()
    assert skip.inner_text() == "跳到地图"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pm-mapbox"
    tool = page.locator(".pm-tool[data-panel='filters']")
    tool.focus()
    page.keyboard.press("Enter")
    assert page.locator("#pm-panel-filters").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#pm-panel-filters").is_visible()
    assert tool.evaluate("n => n === document.activeElement")
    # search by keyboard, then Enter on a paragraph of the popup moves the reader there
    page.locator("#pm-q").focus()
    page.keyboard.type("航空航天产业园")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator(".pm-popup[data-feature='park-xinqu-aerospace']").wait_for()
    source = page.locator(".pm-popup .pm-cite").first
    source.focus()
    page.keyboard.press("Enter")
    assert visible_in(page, "mark.pm-focus", "#pm-reader")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=2000)
    page.watch.assert_clean()


def test_chinese_interface_has_no_english_and_english_is_optional(page, live_server):
    open_explorer(page, live_server + "/")
    for panel in ("filters", "layers", "export"):
        page.locator(f".pm-tool[data-panel='{panel}']").click()
        assert latin_words(page.locator(f"#pm-panel-{panel}").inner_text()) == []
    assert latin_words(page.locator("#pm-header").inner_text()) == []
    assert latin_words(page.locator(".pm-mapkey").inner_text()) == []
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    open_explorer(page, live_server + "/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".pm-tool[data-panel='filters']").inner_text().startswith("Filters")
    assert "lang=en" in page.url
    page.watch.assert_clean()


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, each with up to three offending nodes."""
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_violations(browser, live_server, screen):
    page = new_page(browser, live_server, bypass_csp=True, **screen)   # axe is injected as a script
    try:
        open_explorer(page, live_server + "/?sel=park-xinqu-aerospace")
        page.locator(".pm-popup").wait_for()
        page.locator(".pm-tool[data-panel='filters']").click()
        page.add_script_tag(path=str(AXE))
        violations = axe_violations(page)
        assert violations == []
        # the overview's district bars are buttons: named, large enough, with enough contrast
        page.locator(".pm-tool[data-panel='overview']").click()
        page.locator("#pm-chart-districts button.pm-row").first.wait_for()
        violations = axe_violations(page)
        assert violations == []
        page.watch.assert_clean()
    finally:
        page.context.close()

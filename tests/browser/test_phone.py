"""The explorer on a phone (390×844, touch): two views, bottom sheets, nothing wider than the screen."""
from __future__ import annotations

from tests.browser.conftest import open_explorer
from tests.browser.see import horizontal_overflow, labels, overlapping, unobstructed, visible_in

PANELS = ("filters", "layers", "overview", "export")


def test_map_and_text_are_two_views_without_sideways_scroll(phone, live_server):
    open_explorer(phone, live_server + "/")
    assert horizontal_overflow(phone) <= 0
    assert phone.locator("#pm-mapbox").is_visible() and not phone.locator("#pm-reader").is_visible()
    assert unobstructed(phone) >= 0.8
    phone.locator("#pm-views button[data-view='text']").tap()
    assert phone.locator("#pm-reader").is_visible() and not phone.locator("#pm-mapbox").is_visible()
    assert horizontal_overflow(phone) <= 0
    phone.locator("#pm-views button[data-view='map']").tap()
    assert phone.locator("#pm-mapbox").is_visible()
    phone.watch.assert_clean()


def test_the_plans_structure_is_named_on_the_phones_first_screen(phone, live_server):
    """一体两翼三带 must read on the phone too, where the whole city shows at a lower zoom than on a laptop."""
    open_explorer(phone, live_server + "/")
    shown = labels(phone)
    assert {"一体", "东翼", "西翼", "北线", "中线", "南线"} <= {b["text"] for b in shown}
    assert overlapping(shown) == []
    assert all(0 <= b["left"] and b["right"] <= 390 for b in shown)
    phone.watch.assert_clean()


def test_every_panel_opens_and_closes_with_one_tap(phone, live_server):
    open_explorer(phone, live_server + "/")
    for name in PANELS:
        button = phone.locator(f".pm-tool[data-panel='{name}']")
        button.tap()
        panel = phone.locator(f"#pm-panel-{name}")
        assert panel.is_visible()
        assert horizontal_overflow(phone) <= 0
        assert button.is_visible()   # the sheet never covers the button that opened it
        panel.locator(".pm-close").tap()
        assert not panel.is_visible()
        button.tap()
        assert panel.is_visible()
        button.tap()
        assert not panel.is_visible()
    phone.watch.assert_clean()


def test_touch_targets_are_at_least_24_px(phone, live_server):
    open_explorer(phone, live_server + "/")
    phone.locator(".pm-tool[data-panel='filters']").tap()
    small = phone.evaluate("""() => [...document.querySelectorAll(
        'button, a, summary, select, input[type=search], #pm-filter-groups label, #pm-legend label')]
      .filter(n => n.offsetParent !== null && !n.closest('.leaflet-control-attribution'))
      .map(n => [n.textContent.trim().slice(0, 20) || n.id || n.className, n.getBoundingClientRect()])
      .filter(([, r]) => r.width && (r.width < 24 || r.height < 24)).map(([t]) => t)""")
    assert small == []
    phone.watch.assert_clean()


def test_search_on_the_phone_opens_a_readable_popup_and_the_text(phone, live_server):
    open_explorer(phone, live_server + "/")
    phone.locator("#pm-q").fill("宝华")
    phone.locator("#pm-results .pm-result").first.wait_for()
    phone.keyboard.press("Enter")
    popup = phone.locator(".leaflet-popup")
    phone.locator(".pm-popup").wait_for()
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone.locator(".pm-popup .pm-cite").first.tap()
    assert phone.locator("#pm-reader").is_visible()
    assert visible_in(phone, "mark.pm-focus", "#pm-reader")
    assert horizontal_overflow(phone) <= 0
    phone.watch.assert_clean()


def test_the_text_view_opens_at_the_selected_mention(phone, live_server, places):
    mentions = len(places["admin-321182"]["properties"]["sources"])
    open_explorer(phone, live_server + "/?sel=admin-321182&m=2")
    phone.locator("#pm-views button[data-view='text']").tap()
    assert phone.locator("#pm-step-pos").inner_text() == f"2 / {mentions}"
    assert visible_in(phone, "mark.pm-focus", "#pm-reader")
    assert phone.evaluate("document.getElementById('pm-reader').scrollTop") > 0
    phone.watch.assert_clean()

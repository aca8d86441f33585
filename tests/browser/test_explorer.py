"""The explorer as a planner meets it on a laptop (1440×900), in real headless Chromium."""
from __future__ import annotations

import math
import re
import urllib.request
from urllib.parse import parse_qs, quote, urlparse

from tests.browser.conftest import Watch, open_explorer
from tests.browser.see import api, labels, latin_words, overlapping, unobstructed, visible_in

STRUCTURE_LABELS = {"一体", "东翼", "西翼", "北线", "中线", "南线"}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_first_screen_tells_the_plan(page, live_server, places):
    open_explorer(page, live_server + "/")
    shown = labels(page)
    texts = {b["text"] for b in shown}
    assert STRUCTURE_LABELS <= texts, f"structure labels missing on the first screen: {STRUCTURE_LABELS - texts}"
    assert {"句容市", "丹阳市", "扬中市"} <= texts
    assert overlapping(shown) == []
    box = page.locator("#pm-mapbox").bounding_box()
    for b in shown:
        assert box["x"] <= b["left"] and b["right"] <= box["x"] + box["width"], b
    # the key names each part of 一体两翼三带; the belts are hatched, the zones filled
    key = page.locator(".pm-mapkey").inner_text()
    for part in ("一体", "东翼", "西翼", "北线", "中线", "南线"):
        assert part in key
    hatched = page.locator("path.pm-f-structure-north").get_attribute("fill")
    assert hatched.startswith("url(#pm-hatch-")
    assert page.locator("path.pm-f-structure-east-wing").get_attribute("fill").startswith("#")
    assert page.locator("mark.pm-place").count() >= 200
    drawn = len(places) - sum(1 for f in places.values() if f["properties"]["category"] == "region")
    assert page.locator("#pm-count").inner_text() == f"{drawn} / {len(places)} 个地点"
    page.watch.assert_clean()


def test_nothing_hides_the_map(page, live_server):
    open_explorer(page, live_server + "/")
    assert unobstructed(page) >= 0.85
    scale = page.locator(".leaflet-control-scale").inner_text()
    assert scale.strip().endswith(("km", "m")) and "mi" not in scale and "ft" not in scale
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.locator("svg").count() == 0   # no flag
    for panel in ("filters", "layers", "overview", "export"):
        page.locator(f".pm-tool[data-panel='{panel}']").click()
        assert page.locator(f"#pm-panel-{panel}").is_visible()
        assert unobstructed(page) >= 0.85, f"the {panel} panel covers the map"
    page.watch.assert_clean()


def test_popup_speaks_chinese_and_clears_the_controls(page, live_server):
    open_explorer(page, live_server + "/")
    page.fill("#pm-q", "丹徒经济开发区")
    page.keyboard.press("Enter")
    popup = page.locator(".pm-popup[data-feature='zone-dantu-jingkaiqu']")
    popup.wait_for()
    # the interface speaks Chinese; the sources' own titles are data, shown as written
    text = popup.evaluate("n => { const c = n.cloneNode(true); c.querySelectorAll('.pm-evidence').forEach(e => e.remove());"
                          " document.body.appendChild(c); const t = c.innerText; c.remove(); return t; }")
    assert latin_words(text) == [], text
    assert "大致位置或范围" in text and "丹徒经开区" in text
    assert "误差约 6 公里" in text   # the place's own precision_m (6000), not the class's bound
    assert "整理表中注明的来源" not in text   # a basis in words, not the generic fallback
    feature = api(live_server, "/api/features/zone-dantu-jingkaiqu")["properties"]
    links = popup.locator(".pm-evidence a")
    assert links.count() == len(feature["source_url"]) >= 1
    for i, (url, title) in enumerate(zip(feature["source_url"], feature["source_title"], strict=True)):
        # the page's own title, without the reviewer's note on publisher and content (the site is shown instead)
        shown = re.split(r" \(|: ", title)[0]
        assert links.nth(i).get_attribute("href") == url and links.nth(i).inner_text() == shown
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
    popup_box = page.locator(".leaflet-popup").bounding_box()
    for control in page.locator(".leaflet-control").all():
        c = control.bounding_box()
        if c is None:   # not displayed (the north arrow shows in print only)
            continue
        assert not (popup_box["x"] < c["x"] + c["width"] and c["x"] < popup_box["x"] + popup_box["width"]
                    and popup_box["y"] < c["y"] + c["height"] and c["y"] < popup_box["y"] + popup_box["height"]), \
            "a control covers the popup"
    page.watch.assert_clean()


def test_search_finds_flies_opens_and_steps_through_mentions(page, live_server, places):
    open_explorer(page, live_server + "/")
    before = query(page)["view"][0]
    page.fill("#pm-q", "扬中")
    results = page.locator("#pm-results .pm-result")
    results.first.wait_for()
    assert results.first.locator(".pm-result-name").inner_text() == "扬中市"
    assert "处提及" in results.first.inner_text()
    page.keyboard.press("Enter")
    page.locator(".pm-popup[data-feature='admin-321182']").wait_for()
    assert query(page)["view"][0] != before
    lat, lon, _ = map(float, query(page)["view"][0].split(","))
    assert 32.0 < lat < 32.35 and 119.65 < lon < 120.0   # over 扬中
    mentions = len(places["admin-321182"]["properties"]["sources"])
    assert mentions >= 2
    assert page.locator("#pm-step-pos").inner_text() == f"1 / {mentions}"
    assert visible_in(page, "mark.pm-focus", "#pm-reader")
    page.locator("#pm-step-next").click()
    assert page.locator("#pm-step-pos").inner_text() == f"2 / {mentions}"
    assert visible_in(page, "mark.pm-focus", "#pm-reader")
    focus = page.locator("mark.pm-focus")
    assert focus.get_attribute("data-place") == "admin-321182"
    assert query(page)["m"] == ["2"]
    page.watch.assert_clean()


def test_places_close_together_are_each_clickable(page, live_server, places):
    """No two places share a position (planmap audit), but at the city's scale nearby places
    overlap: each must still be found from the search list and clicked on the map."""
    points = [f for f in places.values() if f["geometry"]["type"] == "Point" and f["properties"]["category"] != "region"]
    pairs = [(math.dist(a["geometry"]["coordinates"], b["geometry"]["coordinates"]), a, b)
             for i, a in enumerate(points) for b in points[i + 1:]]
    _, first, second = min(pairs, key=lambda p: p[0])
    assert math.dist(first["geometry"]["coordinates"], second["geometry"]["coordinates"]) < 0.05   # a few km apart: one symbol's width at the city's scale
    open_explorer(page, live_server + "/")
    for f in (first, second):
        page.fill("#pm-q", f["properties"]["name"])
        page.locator("#pm-results .pm-result").first.wait_for()
        page.locator(f"#pm-results .pm-result[data-feature='{f['id']}']").click()
        page.locator(f".pm-popup[data-feature='{f['id']}']").wait_for()
        page.keyboard.press("Escape")
    # close in, each is its own symbol a click opens
    (lon1, lat1), (lon2, lat2) = first["geometry"]["coordinates"], second["geometry"]["coordinates"]
    page.watch.assert_clean()
    near = page.context.new_page()     # a new page: leaving this one would cancel its last requests
    near.watch = Watch(near, live_server)
    open_explorer(near, live_server + f"/?view={(lat1 + lat2) / 2:.5f},{(lon1 + lon2) / 2:.5f},14")
    for f in (first, second):
        near.locator(f"path.pm-f-{f['id']}").click()
        near.locator(f".pm-popup[data-feature='{f['id']}']").wait_for()
        near.keyboard.press("Escape")
    near.watch.assert_clean()


def test_empty_combination_explains_and_offers_a_way_out(page, live_server):
    open_explorer(page, live_server + "/")
    page.locator(".pm-tool[data-panel='filters']").click()
    # the aerospace park lies on the north belt (item 9), not on the south one
    page.locator("input[name='belt'][value='south']").check()
    industry = page.locator("#pm-filter-groups label[data-value='航空航天'] .pm-facet")
    expected = api(live_server, "/api/features?belt=south&industry=" + quote("航空航天"))["numberMatched"]
    assert industry.inner_text() == f"({expected})"
    assert expected == 0
    page.locator("input[name='industry'][value='航空航天']").check()
    notice = page.locator("#pm-notice-empty")
    assert notice.is_visible()
    assert "没有地点同时满足" in notice.inner_text()
    keep_industry = api(live_server, "/api/features?industry=" + quote("航空航天"))["numberMatched"]
    drop_belt = notice.locator("button", has_text="南线")
    assert f"可见 {keep_industry} 个" in drop_belt.inner_text()
    drop_belt.click()
    assert page.evaluate("document.body.dataset.visible") == str(keep_industry)
    assert not notice.is_visible()
    assert query(page)["industry"] == ["航空航天"] and "belt" not in query(page)
    page.watch.assert_clean()


def test_shared_link_restores_everything(page, live_server, places):
    mentions = len(places["admin-321182"]["properties"]["sources"])
    url = (live_server + "/?zone=east-wing&belt=north&within=admin-321182"
           "&sel=admin-321182&m=2&layers=admin,structure,zone,park,town&view=32.20000,119.85000,11")
    open_explorer(page, url)
    assert page.locator("input[name='zone'][value='east-wing']").is_checked()
    assert page.locator("input[name='belt'][value='north']").is_checked()
    assert not page.locator("#pm-legend input[name='layer'][value='rail']").is_checked()
    assert page.locator("#pm-legend input[name='layer'][value='park']").is_checked()
    assert page.locator("#pm-area-label").inner_text().startswith("扬中市：")
    page.locator(".pm-popup[data-feature='admin-321182']").wait_for()
    assert page.locator("#pm-step-pos").inner_text() == f"2 / {mentions}"
    assert visible_in(page, "mark.pm-focus", "#pm-reader")
    q = query(page)
    assert q["view"] == ["32.20000,119.85000,11"] and q["m"] == ["2"] and q["within"] == ["admin-321182"]
    assert q["layers"] == ["admin,structure,zone,park,town"]
    page.watch.assert_clean()


def test_copy_link_copies_the_current_state(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    open_explorer(page, live_server + "/?belt=south")
    page.locator("#pm-copy-link").click()
    page.locator("#pm-notice").wait_for()
    assert page.locator("#pm-notice").inner_text() == "链接已复制"
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.watch.assert_clean()


def test_basis_labels_name_how_each_place_was_located(page, live_server, places):
    """Each basis reads as its own sentence: a place known only to lie in another shows that place's name."""
    open_explorer(page, live_server + "/")
    labels_seen = {}
    for fid in ("park-dantu-hightech", "town-1810282", "road-g312", "admin-321183", "landmark-nanshan"):
        page.fill("#pm-q", places[fid]["properties"]["name"])
        page.locator(f"#pm-results .pm-result[data-feature='{fid}']").click()
        popup = page.locator(f".pm-popup[data-feature='{fid}']")
        popup.wait_for()
        labels_seen[fid] = popup.locator("dt:text-is('坐标来源') + dd").inner_text()
        page.keyboard.press("Escape")
    # 丹徒高新区 is curated as anchored on 丹徒新城 (its geo_source says so)
    assert labels_seen["park-dantu-hightech"] == "只知位于「丹徒新城」一带，画出该范围，具体位置未知"
    assert labels_seen["town-1810282"].startswith("GeoNames")
    assert "示意线路" in labels_seen["road-g312"]
    assert labels_seen["admin-321183"].startswith("行政区边界")
    assert "估计" in labels_seen["landmark-nanshan"]
    assert len(set(labels_seen.values())) == len(labels_seen)
    page.watch.assert_clean()


def test_a_district_bar_narrows_text_and_map_to_it(page, live_server):
    open_explorer(page, live_server + "/")
    page.locator(".pm-tool[data-panel='overview']").click()
    bar = page.locator("#pm-chart-districts button.pm-row[data-area='admin-321183']")
    assert bar.locator(".pm-label-text").inner_text() == "句容市"
    bar.click()
    expected = api(live_server, "/api/paragraphs?within=admin-321183")
    page.locator("#pm-area-label").wait_for()
    assert page.locator("#pm-area-label").inner_text().startswith(f"句容市：{len(expected['paragraphs'])} 段")
    assert query(page)["within"] == ["admin-321183"]
    lat, lon, _ = map(float, query(page)["view"][0].split(","))
    assert 31.75 < lat < 32.2 and 119.0 < lon < 119.35   # the map shows 句容
    bar = page.locator("#pm-chart-districts button.pm-row[data-area='admin-321183']")
    assert bar.get_attribute("aria-pressed") == "true"
    bar.focus()
    page.keyboard.press("Enter")   # again: the whole city
    page.wait_for_function("() => !new URL(location.href).searchParams.has('within')")
    assert page.locator(".pm-para[hidden]").count() == 0
    page.watch.assert_clean()


def test_area_query_narrows_reader_and_map(page, live_server):
    open_explorer(page, live_server + "/?within=admin-321183")
    banner = page.locator("#pm-area-label")
    banner.wait_for()
    expected = api(live_server, "/api/paragraphs?within=admin-321183")
    assert banner.inner_text().startswith(f"句容市：{len(expected['paragraphs'])} 段")
    assert page.locator(".pm-para:not([hidden])").count() == len(expected["paragraphs"])
    layers_on = page.evaluate("[...document.querySelectorAll('#pm-legend input[name=layer]:checked')].map(i => i.value)")
    inside = [fid for fid in expected["places"] if api(live_server, f"/api/features/{fid}")["properties"]["category"] in layers_on]
    assert page.evaluate("document.body.dataset.drawn") == str(len(inside))
    page.locator("#pm-area-clear").click()
    assert page.locator(".pm-para[hidden]").count() == 0
    page.watch.assert_clean()


def test_print_view_has_title_legend_scale_north_and_attribution(page, live_server):
    open_explorer(page, live_server + "/")
    page.emulate_media(media="print")
    assert page.locator("#pm-print-title").is_visible()
    assert page.locator(".pm-mapkey").is_visible()
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.locator(".pm-north").is_visible()
    assert page.locator(".leaflet-control-attribution").is_visible()
    assert not page.locator("#pm-header").is_visible()
    page.watch.assert_clean()


def test_failed_tiles_show_a_notice_and_a_favicon_is_served(page, live_server):
    open_explorer(page, live_server + "/?base=osm")
    notice = page.locator("#pm-notice[data-kind='pm-tiles-failed']")
    notice.wait_for()
    assert "加载失败" in notice.inner_text()
    assert page.watch.foreign and all(u.startswith("https://tile.openstreetmap.org/") for u in page.watch.foreign)
    with urllib.request.urlopen(live_server + "/favicon.ico") as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("image/")


def test_hidden_layers_arrive_when_turned_on(page, live_server, places):
    """The first view carries no geometry for the layers it does not draw; turning one on fetches it."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/features?" in r.url else None)
    open_explorer(page, live_server + "/")
    assert [u.split("?")[1] for u in asked] == ["detail=first"]
    assert page.locator("path.pm-f-region-yangtze-delta").count() == 0
    page.locator(".pm-tool[data-panel='layers']").click()
    page.locator("#pm-legend input[name='layer'][value='region']").check()
    page.locator("path.pm-f-region-yangtze-delta").first.wait_for(state="attached")
    assert asked[-1].split("?")[1] == "detail=display&category=region"
    assert page.locator("#pm-count").inner_text() == f"{len(places)} / {len(places)} 个地点"
    page.watch.assert_clean()

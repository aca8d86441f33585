"""The explorer as a user meets it, in real headless Chromium."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import open_explorer
from tests.common import feature_count


def api(live_server, path):
    with urllib.request.urlopen(live_server + path) as r:
        return json.load(r)


def painted(page) -> int:
    return page.locator("path.pm-f").count()


def test_page_loads_offline_and_paints_features(page, live_server, places):
    open_explorer(page, live_server + "/")
    assert painted(page) > 50
    assert page.locator("mark.pm-place").count() >= 200
    assert page.locator("#pm-count").inner_text() == f"{len(places)} / {len(places)} 个地点"
    page.watch.assert_clean()


def test_feature_click_shows_its_paragraphs(page, live_server):
    open_explorer(page, live_server + "/")
    page.locator("path.pm-f-park-xinqu-aerospace").click()
    popup = page.locator(".pm-popup[data-feature='park-xinqu-aerospace']")
    popup.wait_for()
    assert "镇江新区航空航天产业园" in popup.locator("h4").inner_text()
    # where its position was read: every source page, linked, under its title
    urls = api(live_server, "/api/features/park-xinqu-aerospace")["properties"]["source_url"]
    links = popup.locator("a.pm-source-url")
    assert urls and [links.nth(i).get_attribute("href") for i in range(links.count())] == urls
    source = popup.locator(".pm-source").first
    assert source.inner_text().startswith("第13条")
    assert source.locator("mark").inner_text() == "镇江新区航空航天产业园"
    source.click()
    paragraph = page.locator("[id='para-jianyi:s4-i13']")
    assert paragraph.evaluate("p => { const r = p.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }")
    assert paragraph.locator("mark.pm-current").first.inner_text() == "镇江新区航空航天产业园"
    page.watch.assert_clean()


def test_text_click_moves_the_map(page, live_server):
    open_explorer(page, live_server + "/")
    before = parse_qs(urlparse(page.url).query)["view"][0]
    page.locator("mark.pm-place[data-place='admin-321182']").first.click()   # 扬中
    page.wait_for_function("v => new URLSearchParams(location.search).get('view') !== v", arg=before)
    page.wait_for_timeout(900)  # the fly animation (0.6 s) settles; the URL then holds the final view
    lat, lon, zoom = map(float, parse_qs(urlparse(page.url).query)["view"][0].split(","))
    assert 32.05 < lat < 32.35 and 119.7 < lon < 119.95   # over 扬中 island
    assert parse_qs(urlparse(page.url).query)["sel"] == ["admin-321182"]
    page.watch.assert_clean()


def test_belt_filter_changes_the_visible_features(page, live_server):
    open_explorer(page, live_server + "/")
    before = painted(page)
    page.locator("#pm-filters summary").click()
    page.locator("input[name='belt'][value='south']").check()
    expected = api(live_server, "/api/features?belt=south")["numberMatched"]
    page.wait_for_function("n => document.body.dataset.visible === String(n)", arg=expected)
    after = painted(page)
    assert after < before
    assert page.locator("#pm-count").inner_text().startswith(f"{expected} / ")
    assert parse_qs(urlparse(page.url).query)["belt"] == ["south"]
    page.watch.assert_clean()


def test_url_round_trips_the_state(page, live_server):
    open_explorer(page, live_server + "/?industry=生命健康&zone=core&sel=park-xinqu-university-science&view=32.10000,119.50000,11")
    expected = api(live_server, "/api/features?industry=%E7%94%9F%E5%91%BD%E5%81%A5%E5%BA%B7&zone=core")["numberMatched"]
    assert page.evaluate("document.body.dataset.visible") == str(expected)
    assert page.locator("input[name='industry'][value='生命健康']").is_checked()
    assert page.locator("input[name='zone'][value='core']").is_checked()
    query = parse_qs(urlparse(page.url).query)
    assert query["view"] == ["32.10000,119.50000,11"]
    assert query["sel"] == ["park-xinqu-university-science"]
    assert page.locator("mark.pm-current").first.inner_text() == "镇江新区大学科技园"
    page.watch.assert_clean()


def test_area_query_narrows_the_reader(page, live_server):
    open_explorer(page, live_server + "/?within=admin-321183")
    banner = page.locator("#pm-area-label")
    banner.wait_for()
    expected = api(live_server, "/api/paragraphs?within=admin-321183")["paragraphs"]
    assert banner.inner_text().startswith(f"句容市：{len(expected)} 段")
    visible = page.locator(".pm-para:not([hidden])")
    assert visible.count() == len(expected)
    page.locator("#pm-area-clear").click()
    assert page.locator(".pm-para[hidden]").count() == 0
    page.watch.assert_clean()


def test_a_district_of_the_overview_can_be_asked_about(page, live_server):
    # 京口区 need not be a place the plan names: it is a district the page shows
    open_explorer(page, live_server + "/")
    page.locator("#pm-chart-districts .pm-row[data-within='admin-321102']").click()
    banner = page.locator("#pm-area-label")
    banner.wait_for()
    expected = api(live_server, "/api/paragraphs?within=admin-321102")["paragraphs"]
    assert expected and banner.inner_text().startswith(f"京口区：{len(expected)} 段")
    assert page.locator(".pm-para:not([hidden])").count() == len(expected)
    page.watch.assert_clean()


def test_export_downloads_a_file_gdal_reads(page, live_server, tmp_path):
    open_explorer(page, live_server + "/?belt=north")
    page.select_option("#pm-export-format", "gpkg")
    with page.expect_download() as info:
        page.locator("#pm-export-link").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "planmap_belt-north.gpkg"
    total = feature_count(path)
    assert total == api(live_server, "/api/features?belt=north")["numberMatched"]
    page.watch.assert_clean()

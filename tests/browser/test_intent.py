"""What the plan wants at each place, in the explorer (real headless Chromium)."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import open_explorer


def api(live_server, path):
    with urllib.request.urlopen(live_server + path) as r:
        return json.load(r)


def on_map(page, fid: str) -> bool:
    return page.locator(f"path.pm-f-{fid}").count() > 0


def test_filter_protect_shows_the_yangtze_and_the_protection_areas(page, live_server):
    open_explorer(page, live_server + "/")
    assert on_map(page, "park-xinqu-aerospace")
    page.locator(".pm-tool[data-panel='filters']").click()
    page.locator("fieldset[data-filter='action'] input[value='protect']").check()   # 行动 = 保护
    expected = {f["id"] for f in api(live_server, "/api/features?action=protect")["features"]}
    assert {"river-yangtze", "region-porpoise-reserve"} <= expected
    page.wait_for_function("n => document.body.dataset.visible === String(n)", arg=len(expected))
    assert parse_qs(urlparse(page.url).query)["action"] == ["protect"]
    assert on_map(page, "river-yangtze") and on_map(page, "structure-north")
    assert not on_map(page, "park-xinqu-aerospace")
    # regions are off when the page opens (they would cover the view): switch them on to see the reserve
    page.locator(".pm-tool[data-panel='layers']").click()
    page.locator("#pm-legend input[name='layer'][value='region']").check()
    page.locator("path.pm-f-region-porpoise-reserve").first.wait_for(state="attached")   # fetched when turned on
    # the overview table counts where the plan protects, for the filtered places
    protect_total = api(live_server, "/api/overview?action=protect")["actions"][3]
    assert protect_total["key"] == "protect"
    page.locator(".pm-tool[data-panel='overview']").click()
    north = page.locator("#pm-chart-intent tr", has_text="北线").locator("td[data-action='protect']")
    north.wait_for()
    assert north.inner_text() == str(next(b["mentions"] for b in protect_total["belts"] if b["key"] == "north"))
    page.watch.assert_clean()


def test_a_popup_lists_per_paragraph_what_the_plan_wants(page, live_server):
    open_explorer(page, live_server + "/?action=protect")
    page.locator("mark.pm-place[data-place='river-yangtze']").first.click()
    section = page.locator(".pm-popup[data-feature='river-yangtze'] .pm-intent-section")
    section.wait_for()
    assert section.locator(".pm-popup-sub").inner_text() == "规划意图"
    rows = {li.locator("b").inner_text(): li.inner_text() for li in section.locator("li").all()}
    assert "保护" in rows["第8条"] and "修复" in rows["第8条"]       # 把修复长江生态环境摆在压倒性位置
    assert "已完成" in rows["第1条"]                                 # the review: 长江沿岸造林绿化
    assert "搬迁" in rows["第13条"]                                  # 化工生产企业搬迁、关停
    page.watch.assert_clean()

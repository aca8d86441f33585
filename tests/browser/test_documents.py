"""The explorer over a plan family, in real headless Chromium: switching documents, two side by
side, mentions per document in a popup, the chosen documents in the URL."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import Watch, open_explorer
from tests.conftest import serve_build


@pytest.fixture(scope="module")
def family_server(family_dir):
    with serve_build(family_dir) as url:
        yield url


@pytest.fixture
def fpage(browser, family_server):
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    pg = context.new_page()
    pg.watch = Watch(pg, family_server)
    yield pg
    context.close()


def open_family(page, url):
    open_explorer(page, url)
    page.wait_for_selector('body[data-docs="ready"]', state="attached", timeout=30_000)
    return page


def shown(page) -> list[str]:
    return page.eval_on_selector_all("#pm-text .pm-doc:not([hidden])", "s => s.map(x => x.dataset.doc)")


def features_of(url, *docs) -> int:
    query = "&".join(f"doc={d}" for d in docs)
    with urllib.request.urlopen(f"{url}/api/features?{query}") as r:
        return json.load(r)["numberMatched"]


def test_switch_documents_and_compare_two(fpage, family_server):
    page = open_family(fpage, family_server + "/")
    assert page.locator("#pm-docs input").count() == 4
    assert shown(page) == ["jianyi"]                         # the default document alone
    page.locator("#pm-docs input[value='danyang']").check()
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('doc').join() === 'danyang'")
    assert shown(page) == ["danyang"]
    page.wait_for_function(f"() => document.body.dataset.visible === '{features_of(family_server, 'danyang')}'")
    page.locator("#pm-docs input[value='jianyi']").check()
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('doc').join() === 'jianyi,danyang'")
    assert shown(page) == ["jianyi", "danyang"]
    left, right = (page.locator(f".pm-doc[data-doc='{d}']").bounding_box() for d in ("jianyi", "danyang"))
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5   # side by side
    page.locator(".pm-tool[data-panel='overview']").click()   # the comparison is part of the overview
    page.wait_for_selector("#pm-doc-compare th[title^='丹阳市']")
    assert page.locator("#pm-doc-compare tr[data-district='admin-321181'] td[data-doc='danyang']").inner_text() == "7"
    assert "司徒镇" in page.locator("#pm-doc-compare dd[data-doc='danyang']").inner_text()
    page.watch.assert_clean()


def test_chosen_documents_round_trip_through_the_url(fpage, family_server):
    page = open_family(fpage, family_server + "/?doc=gangyao&doc=news")
    assert shown(page) == ["gangyao", "news"]
    assert page.locator("#pm-docs input:checked").evaluate_all("i => i.map(x => x.value)") == ["gangyao", "news"]
    page.wait_for_function(f"() => document.body.dataset.visible === '{features_of(family_server, 'gangyao', 'news')}'")
    page.locator("#pm-docs input[value='news']").uncheck()
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('doc').join() === 'gangyao'")
    page.watch.assert_clean()
    again = fpage.context.new_page()     # a new page: leaving this one would cancel its last requests
    again.watch = Watch(again, family_server)
    open_family(again, page.url)
    assert shown(again) == ["gangyao"] and parse_qs(urlparse(again.url).query)["doc"] == ["gangyao"]
    again.watch.assert_clean()


def test_popup_lists_mentions_per_document(fpage, family_server):
    page = open_family(fpage, family_server + "/")
    page.locator("mark.pm-place[data-place='zone-zhenjiang-xinqu']").first.click()   # opens its popup
    popup = page.locator(".pm-popup[data-feature='zone-zhenjiang-xinqu']")
    popup.wait_for()
    counts = popup.locator(".pm-doc-counts span")
    # 镇江新区: 3 times in the plan, 2 in the 纲要 excerpt, once in the news text (tests/data/family/gold.csv)
    assert counts.evaluate_all("s => s.map(x => x.dataset.doc)") == ["jianyi", "gangyao", "news"]
    assert [t.split()[-2] for t in counts.all_inner_texts()] == ["3", "2", "1"]
    news_source = popup.locator(".pm-cite[data-para^='news:']")
    assert news_source.count() == 1
    news_source.click()                                       # a document the reader did not show: shown now
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('doc').includes('news')")
    assert "news" in shown(page)
    page.watch.assert_clean()

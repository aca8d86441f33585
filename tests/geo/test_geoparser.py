"""The geoparser on small texts, as tables of (text, expected places)."""
from __future__ import annotations

import pytest

from geo.document import parse_document


def places(parser, text):
    result = parser.parse(parse_document(text))
    return [(m.surface, m.place) for m in result.mentions], result


@pytest.mark.parametrize(
    "text, expected",
    [
        # longest match wins over the parts of a compound name
        ("推进镇江新区航空航天产业园建设。", [("镇江新区航空航天产业园", "park-xinqu-aerospace")]),
        # a district's short form
        ("支持句容发展。", [("句容", "admin-321183")]),
        # full-width / traditional variants fold for matching; the surface stays as written
        ("鎮江新區有新项目。", [("鎮江新區", "zone-zhenjiang-xinqu")]),
        ("沿Ｇ３１２布局。", [("Ｇ３１２", "road-g312")]),
        # towns by short name and by the plan's 片区 alias (data/gazetteer/aliases.csv)
        ("高资、下蜀、宝华片区", [("高资", "town-1810282"), ("下蜀", "town-1789793"), ("宝华片区", "town-1548664")]),
    ],
)
def test_finds_and_resolves(parser, text, expected):
    found, _ = places(parser, text)
    assert found == expected


def test_parent_prefix_picks_the_town_inside_zhenjiang(parser):
    found, _ = places(parser, "扬中市新坝镇有新项目。")
    assert found[0] == ("扬中市", "admin-321182")
    assert found[1][0] == "新坝镇"
    (mention,) = [m for m in parser.parse(parse_document("扬中市新坝镇有新项目。")).mentions if m.surface == "新坝镇"]
    assert mention.reason.startswith("parent prefix")


@pytest.mark.parametrize(
    "text",
    [
        "牢固树立绿水青山就是金山银山理念。",   # idiom, not 金山
        "建设平安镇江。",                      # no 安镇 (a town near 无锡) out of 平安镇江
        "周边城市科教资源丰富。",              # no 边城镇 out of 周边城市
    ],
)
def test_no_false_places(parser, text):
    found, _ = places(parser, text)
    assert all(place.startswith(("admin-321100",)) for _, place in found), found


def test_pingan_zhenjiang_is_zhenjiang(parser):
    found, _ = places(parser, "建设平安镇江。")
    assert found == [("镇江", "admin-321100")]


def test_unknown_place_like_span_is_reported(parser):
    _, result = places(parser, "加快建设月亮湾产业园和S999。")
    surfaces = [u.surface for u in result.unresolved]
    assert "月亮湾产业园" in surfaces and "S999" in surfaces
    # after a known name it is a place of that name's area (see test_rules), not an unknown span
    _, result = places(parser, "加快建设镇江月亮湾产业园。")
    assert [m.surface for m in result.mentions] == ["镇江月亮湾产业园"] and result.unresolved == ()


def test_short_form_of_zhenjiang_is_not_an_unknown_town(parser):
    _, result = places(parser, "集聚更多海内外镇江乡贤来镇创新创业。")
    assert result.unresolved == ()


def test_mentions_point_into_the_document(parser, plan, parsed):
    for m in parsed.mentions:
        assert plan.text[m.start:m.end] == m.surface
        assert plan.paragraph_at(m.start).id == m.paragraph


def test_nothing_resolves_outside_the_region_unless_named(parsed, gazetteer):
    named = {m.place for m in parsed.mentions}
    for m in parsed.mentions:
        entry = gazetteer.get(m.place)
        if not entry.in_region and entry.category not in ("admin", "region"):
            assert any(a.id in named for a in gazetteer.ancestors(entry)), m

"""The geoparser's rules for texts beyond the plan: nested names, cross-boundary names,
context over the region prior, short forms, the national name base.

Expected places were decided by reading each sentence (which place does a reader mean?),
not taken from the parser's output.
"""
from __future__ import annotations

import pytest

from geo.document import parse_document


def parse(parser, text):
    result = parser.parse(parse_document(text))
    return ([(m.surface, m.place) for m in result.mentions],
            {u.surface: u.reason for u in result.unresolved}, result)


@pytest.mark.parametrize(
    "text, prefix, nested",
    [
        ("规划中的扬中站选址。", "扬中", "扬中站"),
        ("镇江数据湖产业园开园。", "镇江", "镇江数据湖产业园"),
        ("句容市人民医院新院区投入使用。", "句容市", "句容市人民医院"),
        ("沿官塘桥路向南。", "官塘桥", "官塘桥路"),
        ("在南京南站换乘。", "南京", "南京南站"),
        ("泰州港的作业区。", "泰州", "泰州港"),
    ],
)
def test_a_known_name_before_a_place_type_word_is_not_resolved(parser, text, prefix, nested):
    found, unresolved, _ = parse(parser, text)
    assert all(surface != prefix for surface, _ in found), found
    assert nested in unresolved and prefix in unresolved[nested]  # reported, with the parent as a hint


@pytest.mark.parametrize(
    "text, place",
    [
        ("融入扬子江城市群。", "region-yangtze-city-cluster"),
        ("对接南京都市圈。", "region-nanjing-metro"),
        ("面向上海经济圈。", "region-shanghai-economic"),
        ("推进宁镇扬一体化。", "region-ningzhenyang"),
        ("苏锡常地区经济发达。", "region-suxichang"),
    ],
)
def test_regions_resolve_as_wholes_not_their_first_city(parser, text, place):
    found, _, _ = parse(parser, text)
    assert [p for _, p in found] == [place]


def test_cross_boundary_names_are_not_their_zhenjiang_half(parser):
    found, _, _ = parse(parser, "共建仙林—宝华科学城和龙潭—下蜀滨江新城。")
    places = [p for _, p in found]
    assert "town-1548664" not in places and "town-1789793" not in places  # not 宝华镇, not 下蜀镇
    assert [s for s, _ in found] == ["仙林—宝华科学城", "龙潭—下蜀滨江新城"]


def test_context_over_prior_a_taizhou_park_is_not_zhenjiangs(parser):
    text = ("泰州市下辖海陵区、高港区、姜堰区。泰州的国家农业科技园区位于姜堰区和海陵区之间。"
            "泰兴市和靖江市也在推进农业现代化。")
    found, unresolved, _ = parse(parser, text)
    assert "zone-agri-sci-park" not in [p for _, p in found]
    assert unresolved["国家农业科技园区"].startswith("context over prior")


def test_the_same_park_in_a_zhenjiang_text_is_zhenjiangs(parser):
    found, _, _ = parse(parser, "句容市白兔镇一带，国家农业科技园区建设加快。")
    assert ("国家农业科技园区", "zone-agri-sci-park") in found


def test_xiangshan_street_is_the_geonames_town(parser, gazetteer):
    found, _, result = parse(parser, "京口区象山街道新建口袋公园。")
    (mention,) = [m for m in result.mentions if m.surface == "象山街道"]
    entry = gazetteer.get(mention.place)
    assert entry.source.startswith("GeoNames") and "象山镇" in entry.surfaces
    assert mention.reason.startswith("parent prefix")


def test_yanjiang_area_is_not_reported_as_jiang_area(parser):
    _, unresolved, _ = parse(parser, "结合沿江片区的环境整治，建设滨江步道。")
    assert "江片区" not in unresolved


def test_a_towns_pianqu_is_the_town(parser):
    found, _, _ = parse(parser, "高资片区与下蜀镇合作。")
    assert found[0] == ("高资片区", "town-1810282")


@pytest.mark.parametrize(
    "text, expected",
    [
        # towns and streets outside the region, once the text names the unit above them
        ("南京江宁区禄口街道、秣陵街道", {"江宁区": "admin-320115", "禄口街道": "town-1802036"}),
        # cities and counties across the country, from the national name base
        ("北京、山东、南通、淮安、江阴市、宜兴市", {"北京": "admin-110000", "山东": "admin-370000",
                                              "南通": "admin-320600", "淮安": "admin-320800",
                                              "江阴市": "admin-320281", "宜兴市": "admin-320282"}),
        ("无锡新吴区、常州武进区", {"新吴区": "admin-320214", "武进区": "admin-320412"}),
    ],
)
def test_national_name_base(parser, text, expected):
    found = dict(parse(parser, text)[0])
    for surface, place in expected.items():
        assert found.get(surface) == place, (surface, found)


def test_a_village_resolves_under_the_town_named_in_its_sentence(parser, gazetteer):
    # two villages are called 华山村 in 镇江 (姚桥镇 and 宝华镇); the sentence says which
    found = dict(parse(parser, "姚桥镇依托华山村的历史文化资源。")[0])
    village = gazetteer.get(found["华山村"])
    assert "姚桥镇" in [a.name for a in gazetteer.ancestors(village)]
    assert village.precision_class == "D"  # located as its town's area, not a made-up point


def test_outside_towns_never_eat_the_region(parser):
    found, _, _ = parse(parser, "建设平安镇江。")
    assert found == [("镇江", "admin-321100")]


@pytest.mark.parametrize(
    "text, surface, place",
    [
        ("镇江新区的官塘创新社区。新区还将完善配套。", "新区", "zone-zhenjiang-xinqu"),
        ("南京，古称金陵。金陵自古繁华。", "金陵", "admin-320100"),
    ],
)
def test_short_forms_resolve_by_their_rule(parser, text, surface, place):
    found, _, _ = parse(parser, text)
    assert (surface, place) in found


def test_short_forms_need_their_context(parser):
    found, unresolved, _ = parse(parser, "省级开发区、高新区提档升级，城市新区建设加快。")
    assert all(p != "zone-zhenjiang-xinqu" for _, p in found)  # no 新区 inside 高新区 or 城市新区
    _, unresolved, _ = parse(parser, "句曲山水秀丽。")
    assert unresolved["句曲"].startswith("ambiguous")

"""Belt and zone membership: the plan's words first, geometry second, every decision with its rule.

The expected rows are read off item 9 of the plan (s3-i9), not off planmap's output: which
places each sentence names, and which belt carries which industries.
"""
from __future__ import annotations

import pytest
from shapely.geometry import shape

from layers.export import select
from layers.structure import WORDS, in_city

ITEM9 = "s3-i9"

#: place → {belt or zone: a phrase of the item-9 sentence that puts it there}
TABLE = {
    # 东翼…包括镇江新区: the 新区's parks; 北线…大力发展高端装备制造: parks of that cluster on the river
    "park-xinqu-aerospace": {"east-wing": "包括镇江新区", "north": "大力发展高端装备制造"},
    "park-xinqu-new-energy": {"east-wing": "包括镇江新区", "north": "大力发展高端装备制造"},
    "park-xinqu-university-science": {"east-wing": "包括镇江新区"},
    "park-yangzhong-smart-electric": {"east-wing": "扬中", "north": "智能电气"},
    "admin-321182": {"east-wing": "扬中"},
    "zone-jingkou-jingkaiqu": {"east-wing": "京口经开区"},
    # 中部: “向西”沿G312串联镇江高新区…; “向南”…推动丁卯科技新城
    "zone-zhenjiang-gaoxinqu": {"core": "串联镇江高新区"},
    "park-gaoxinqu-cssc": {"core": "串联镇江高新区"},
    "zone-dingmao-kejixincheng": {"core": "推动丁卯科技新城"},
    "community-guantang": {"core": "官塘创新社区连为一体"},
    "zone-lianhu-xincheng": {"core": "稳步推进丹阳练湖新城建设"},
    # 西翼…共建溧水―句容农业合作示范区
    "zone-lishui-jurong-agri": {"west-wing": "共建溧水―句容农业合作示范区"},
    # 中线…逐步向丹阳经开区、高新区等板块延伸
    "zone-danyang-jingkaiqu": {"middle": "逐步向丹阳经开区、高新区等板块延伸"},
    "zone-danyang-gaoxinqu": {"middle": "逐步向丹阳经开区、高新区等板块延伸"},
    # 南线…全力支持茅山老区发展
    "region-maoshan-laoqu": {"south": "全力支持茅山老区发展"},
}


@pytest.mark.parametrize("fid", TABLE)
def test_membership_table(places, fid):
    props = places[fid]["properties"]
    decided = {d["key"]: d for d in props["membership"]}
    for key, phrase in TABLE[fid].items():
        assert key in decided, (fid, key, decided)
        assert decided[key]["by"] == "words" and phrase in decided[key]["rule"], (fid, decided[key])
        assert key in props["belts"] + props["zones"]


def test_quoted_rules_are_the_plans_words(plan):
    text = plan.paragraph(ITEM9).text
    for words in WORDS:
        assert words.quote in text, words.quote


def test_every_name_a_rule_uses_is_a_place_of_the_build(places):
    # a name no place answers to would make its rule silently never fire
    surfaces = {s for f in places.values() for s in (f["properties"]["name"], *f["properties"]["aliases"])}
    for words in WORDS:
        assert set(words.places) <= surfaces, set(words.places) - surfaces


def test_north_belt_carries_the_new_areas_high_end_equipment(places):
    features = list(places.values())
    aerospace = select(features, {"belt": ["north"], "industry": ["航空航天"]})
    assert "park-xinqu-aerospace" in {f["id"] for f in aerospace}
    equipment = {f["id"] for f in select(features, {"belt": ["north"], "industry": ["高端装备制造"]})}
    assert {"park-xinqu-aerospace", "park-xinqu-new-energy"} <= equipment


def test_every_in_city_feature_is_in_some_zone(places):
    city = shape(places["admin-321100"]["geometry"]) if "admin-321100" in places else None
    assert city is not None
    belts = {f"structure-{key}" for key in ("north", "middle", "south")}  # the belts cross the zones
    for fid, f in places.items():
        if f["properties"]["in_region"] and in_city(shape(f["geometry"]), city) and fid not in belts:
            assert f["properties"]["zones"], fid


def test_places_on_the_119_50_cut_get_a_zone_with_the_reason(places):
    # 丁卯 lies on the meridian that splits 京口区 between the core and the east wing
    for fid, f in places.items():
        for d in f["properties"]["membership"]:
            assert d["rule"] and d["by"] in ("words", "geometry", "nearest"), fid
            if d["by"] == "nearest":
                assert "planmap rule" in d["rule"]

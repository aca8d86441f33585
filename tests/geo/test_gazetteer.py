"""Positions checked against geography, not against our own output."""
from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import box

from geo.coords import gcj02_to_wgs84
from geo.errors import DataError, PlaceNotFound
from geo.gazetteer.curated import COLUMNS, curated_entries, read_rows
from geo.gazetteer.entry import CATEGORIES, PRECISION_M
from geo.gazetteer.index import Gazetteer

COUNTY_SEATS = {  # county-level unit → its seat, as GeoNames names it
    "admin-321181": "云阳镇",   # 丹阳市 seat
    "admin-321182": "三茅镇",   # 扬中市 seat (三茅街道)
    "admin-321183": "华阳镇",   # 句容市 seat (华阳街道)
    "admin-321112": "谷阳镇",   # 丹徒区 (谷阳 is the district's former seat, inside it)
    "admin-321111": "七里甸街道",
    "admin-321102": "正东路街道",
}


def test_gcj02_conversion_matches_known_pair():
    # Known pair from the data-source notes: GCJ (119.425836, 32.187849) → WGS ≈ (119.42038, 32.18972).
    lon, lat = gcj02_to_wgs84(119.425836, 32.187849)
    assert lon == pytest.approx(119.42038, abs=2e-5)
    assert lat == pytest.approx(32.18972, abs=2e-5)


@pytest.mark.parametrize("adcode, seat", COUNTY_SEATS.items())
def test_county_polygon_contains_its_seat(gazetteer, adcode, seat):
    county = gazetteer.get(adcode)
    (town,) = [e for e in gazetteer.lookup(seat) if e.category == "town" and e.in_region]
    assert county.geometry.contains(town.geometry)


def test_six_counties_tile_the_city(gazetteer):
    city = gazetteer.get("admin-321100").geometry
    parts = [gazetteer.get(a).geometry for a in COUNTY_SEATS]
    union_area = sum(p.area for p in parts)
    assert union_area == pytest.approx(city.area, rel=0.01)


def test_every_town_lies_in_its_parent(gazetteer):
    towns = [e for e in gazetteer.entries.values() if e.category == "town" and e.source.startswith("GeoNames")]
    assert len([t for t in towns if t.in_region]) >= 40
    for town in towns:
        parent = gazetteer.get(town.parents[0])
        assert parent.geometry.contains(town.geometry), town.id


def test_towns_cover_all_six_counties(gazetteer):
    parents = {e.parents[0] for e in gazetteer.entries.values() if e.category == "town" and e.in_region}
    assert set(COUNTY_SEATS) <= parents


#: China with its islands, and 镇江 with a margin: every point of a place inside the city falls in it.
CHINA_BBOX = (73.0, 3.0, 136.0, 54.0)
CITY_BBOX = (118.8, 31.5, 120.1, 32.5)


def test_no_coordinate_outside_sane_bbox(gazetteer):
    # catches swapped lon/lat and GCJ/WGS slips of whole datasets
    china, city, world = box(*CHINA_BBOX), box(*CITY_BBOX), box(-180, -90, 180, 90)
    for entry in gazetteer.entries.values():
        # countries lie anywhere on earth (their lon/lat order is checked by the country test)
        assert (world if entry.id.startswith("country-") else china).intersects(entry.geometry), entry.id
        if entry.in_region and entry.geometry.geom_type == "Point":
            assert city.contains(entry.geometry), entry.id


def test_every_entry_has_provenance(gazetteer):
    for e in gazetteer.entries.values():
        assert e.category in CATEGORIES, e.id
        assert e.precision_class in PRECISION_M, e.id
        assert e.source and e.licence, e.id
        assert not e.geometry.is_empty, e.id


def test_curated_points_lie_in_their_stated_parent(gazetteer):
    for row in read_rows():
        entry = gazetteer.get(row["id"])
        if entry.geometry.geom_type != "Point" or not entry.parents:
            continue
        parent = gazetteer.get(entry.parents[0])
        if parent.geometry.geom_type in ("Polygon", "MultiPolygon"):
            assert parent.geometry.buffer(0.01).contains(entry.geometry), (row["id"], parent.name)


def test_xinba_resolves_inside_zhenjiang(gazetteer):
    # GeoNames and the national name base know several 新坝镇; the one inside Zhenjiang (扬中) wins a bare name.
    assert len([e for e in gazetteer.lookup("新坝镇")]) >= 2
    town = gazetteer.resolve("新坝镇")
    assert gazetteer.get(town.parents[0]).name == "扬中市"


def test_extended_gazetteer_is_indexed_as_a_new_one(gazetteer):
    # what the build does to add the plan's structure without indexing 14,000 entries again
    danyang = gazetteer.get("admin-321181")
    extra = [replace(danyang, id="test-extra", aliases=("测试新名", "测试新名"))]
    extended = gazetteer.extended(extra)
    rebuilt = Gazetteer([*gazetteer.entries.values(), *extra], gazetteer.region)
    assert extended.entries == rebuilt.entries and "test-extra" not in gazetteer.entries
    assert list(extended.by_surface.items()) == list(rebuilt.by_surface.items())
    assert [e.id for e in extended.lookup(danyang.name)] == [*(e.id for e in gazetteer.lookup(danyang.name)), "test-extra"]
    assert [e.id for e in extended.lookup("测试新名")] == ["test-extra"]
    with pytest.raises(ValueError, match="admin-321181"):
        gazetteer.extended([danyang])


def test_resolve_errors(gazetteer):
    with pytest.raises(PlaceNotFound, match="no place called"):
        gazetteer.resolve("不存在的地方")
    with pytest.raises(PlaceNotFound):
        gazetteer.get("no-such-id")


def test_curated_table_rejects_rows_without_source(tmp_path):
    bad = tmp_path / "curated.csv"
    row = dict.fromkeys(COLUMNS, "")
    row.update(id="x", name="某园", category="park", lon="119.4", lat="32.2", precision_class="C")
    bad.write_text(",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="must name its source"):
        read_rows(bad)


def test_curated_unknown_waypoint_is_reported():
    row = dict.fromkeys(COLUMNS, "")
    row.update(id="road-x", name="某路", category="road", waypoints="不存在甲|不存在乙",
               precision_class="S", source="test")
    with pytest.raises(DataError, match="不存在甲"):
        curated_entries({}, [row])


@pytest.mark.parametrize("road, office", [("健康路", "健康路街道"), ("正东路", "正东路街道"), ("宝塔路", "宝塔路街道")])
def test_a_road_a_street_office_is_named_after_keeps_the_bare_name(gazetteer, road, office):
    # 健康路街道 is named after 健康路: written alone the name is the road, and the office is only
    # found by its full name (its short name would otherwise hide the road)
    assert [e.category for e in gazetteer.lookup(road)] == ["road"]
    assert [e.category for e in gazetteer.lookup(office)] == ["town"]

"""The evidence rules (geo.evidence) and how the loaders apply them to the tables."""
from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo.errors import DataError
from geo.evidence import class_problems, is_estimate, metres_between, stacked_groups
from geo.gazetteer.curated import COLUMNS, curated_entries, read_rows
from geo.gazetteer.entry import Entry
from geo.gazetteer.geonames import CHECK_COLUMNS, apply_check, read_checks


def entry(eid="x", cls="C", metres=None, source="read off a map", urls=(), geom=None, basis="point"):
    return Entry(id=eid, name=eid, category="park", geometry=geom or Point(119.4, 32.2), precision_class=cls,
                 precision_m=metres, source=source, licence="test", source_url=urls, basis=basis)


def test_a_and_b_need_a_url():
    assert class_problems(entry(cls="B")) == ["class B without a URL that gives the coordinate"]
    assert class_problems(entry(cls="B", urls=("https://example.org/station",))) == []


@pytest.mark.parametrize("source", ["from general knowledge", "approximate centre", "approx.", "estimated from a map",
                                    "seat assumed at the town", "not surveyed"])
def test_estimates_are_at_best_c_and_2_km(source):
    assert is_estimate(source)
    assert any("estimate" in p for p in class_problems(entry(cls="B", source=source, urls=("https://a.org",))))
    assert class_problems(entry(cls="C", metres=1000, source=source))
    assert class_problems(entry(cls="C", metres=2000, source=source)) == []


def test_a_read_coordinate_is_not_an_estimate():
    assert not is_estimate("zh-Wikipedia coordinates of 丹徒站 (32°7′4.69″N 119°30′57.04″E)")


def test_anchor_areas_are_class_d():
    assert class_problems(entry(cls="C", basis="anchor-area"))
    assert class_problems(entry(cls="D", basis="anchor-area")) == []


def test_stacked_means_distinct_points_within_a_few_metres():
    # 1e-5° of latitude is about 1.1 m; 1e-3° about 111 m (distances checked with pyproj below)
    a, b = entry("a", geom=Point(119.4, 32.2)), entry("b", geom=Point(119.4, 32.20001))
    c = entry("c", geom=Point(119.4, 32.201))
    assert metres_between(a.geometry, b.geometry) == pytest.approx(1.1, abs=0.1)
    groups = stacked_groups([a, b, c])
    assert [[e.id for e in g] for g in groups] == [["a", "b"]]
    ring = entry("ring", geom=Point(119.4, 32.2).buffer(0.01), basis="anchor-area")
    assert stacked_groups([a, ring]) == []


def write_table(path, columns, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows([{**dict.fromkeys(columns, ""), **r} for r in rows])
    return path


TOWN = Entry(id="town-1", name="甲镇", category="town", geometry=Point(119.5, 32.0), precision_class="B",
             source="t", licence="t")
ROW = dict(dict.fromkeys(COLUMNS, ""), id="park-x", name="某园", category="park", precision_class="D", precision_m="3000", source="press",
           anchor="甲镇")


def test_anchor_row_is_the_anchors_area_not_a_point():
    (park,) = curated_entries({TOWN.id: TOWN}, [ROW])
    assert park.geometry.geom_type == "Polygon" and park.basis == "anchor-area" and park.anchor == "town-1"
    assert park.precision_class == "D"
    assert park.geometry.contains(TOWN.geometry)
    edge = park.geometry.exterior.coords[0]
    assert metres_between(Point(edge), TOWN.geometry) == pytest.approx(3000, rel=0.01)


def test_old_tables_without_the_source_columns_still_load(tmp_path):
    old = [c for c in COLUMNS if c not in ("source_url", "source_title", "wkt")]
    row = {k: v for k, v in dict(ROW, lon="119.4", lat="32.2", anchor="").items() if k in old}
    path = write_table(tmp_path / "curated.csv", old, [row])
    (row,) = read_rows(path)
    assert row["source_url"] == "" and row["wkt"] == ""


def test_wkt_row_is_its_own_area(tmp_path):
    wkt = "POLYGON((119.6 32.1, 119.7 32.1, 119.7 32.2, 119.6 32.2, 119.6 32.1))"
    path = write_table(tmp_path / "curated.csv", COLUMNS, [dict(ROW, anchor="", wkt=wkt,
                       source_url="https://a.org/x | https://b.org/y", source_title="甲 | 乙")])
    (zone,) = curated_entries({}, read_rows(path))
    assert zone.basis == "area" and zone.geometry.area == pytest.approx(0.01)
    assert zone.source_url == ("https://a.org/x", "https://b.org/y") and zone.source_title == ("甲", "乙")


@pytest.mark.parametrize("bad, message", [
    (dict(wkt="POLYGON((1 2, 3"), "unreadable wkt"),
    (dict(lon="119.4", lat="32.2", wkt="POINT(119.4 32.2)", anchor=""), "not both"),
    (dict(source_url="www.example.org"), "http"),
    (dict(source_url="https://a.org", source_title="甲 | 乙"), "one source_title per source_url"),
])
def test_bad_rows_are_refused_with_one_line(tmp_path, bad, message):
    path = write_table(tmp_path / "curated.csv", COLUMNS, [dict(ROW, **bad)])
    with pytest.raises(DataError, match=message):
        read_rows(path)


def check(**kw):
    row = dict.fromkeys(CHECK_COLUMNS, "")
    row.update(geonames_id="1", name="甲镇", geonames_lon="119.5", geonames_lat="32.0", read="seat address",
               where="test", **kw)
    return row


def test_a_town_point_keeps_b_only_with_a_second_source_within_500_m():
    near = apply_check(TOWN, check(ref_lon="119.5", ref_lat="32.003", verdict_class="B",
                                   source_url="https://example.org/gov"))  # 333 m north
    assert near.precision_class == "B" and near.geometry == TOWN.geometry
    assert "https://example.org/gov" in near.source_url
    with pytest.raises(DataError, match="needs a reference position"):
        apply_check(TOWN, check(verdict_class="B"))


def test_a_town_point_far_from_its_reference_moves_or_is_downgraded():
    far = dict(ref_lon="119.52", ref_lat="32.0", source_url="https://example.org/gov")  # ~1.9 km east
    moved = apply_check(TOWN, check(verdict_class="B", **far))
    assert moved.geometry.equals(Point(119.52, 32.0)) and moved.source_url == ("https://example.org/gov",)
    assert "m away" in moved.source
    kept = apply_check(TOWN, check(verdict_class="C", **far))
    assert kept.geometry == TOWN.geometry and kept.precision_class == "C" and kept.metres == 2000


def test_town_checks_table_is_validated(tmp_path):
    path = write_table(tmp_path / "town_checks.csv", CHECK_COLUMNS,
                       [dict(geonames_id="1", verdict_class="E", read="x")])
    with pytest.raises(DataError, match="verdict_class"):
        read_checks(path)
    assert read_checks(tmp_path / "absent.csv") == {}



def test_every_town_check_is_applied(gazetteer):
    """Each row of the committed town checks shows in the gazetteer: the town's class is the
    verdict, a B/A town lies within 500 m of its reference (or at it), and the check's URLs are cited."""
    from geo.gazetteer.geonames import read_checks

    checks = read_checks()
    for gid, c in checks.items():
        town = gazetteer.get(f"town-{gid}")
        assert town.precision_class == c["verdict_class"], gid
        if c["source_url"]:
            assert set(c["source_url"].replace(" ", "").split("|")) <= set(town.source_url), gid
        if c["verdict_class"] in ("A", "B"):
            ref = Point(float(c["ref_lon"]), float(c["ref_lat"]))
            assert metres_between(town.geometry, ref) <= 500, gid

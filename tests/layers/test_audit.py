"""`planmap audit`: the review command on the real build, and each rule on a made-up case."""
from __future__ import annotations

from dataclasses import replace

from shapely.geometry import Point, mapping

from layers.audit import audit, load_build


def built(build_dir):
    gaz, features, basemap = load_build(build_dir)
    return gaz, features, basemap


def test_stacked_places_break_the_audit(build_dir):
    gaz, features, basemap = built(build_dir)
    station = gaz.get("landmark-zhenjiang-station")
    twin = replace(station, id="landmark-twin", name="某馆", aliases=())
    gaz.entries[twin.id] = twin
    report = audit(gaz, features, basemap)
    assert ["landmark-twin", "landmark-zhenjiang-station"] in report.stacked
    assert any(p.startswith("stacked: landmark-twin, landmark-zhenjiang-station") for p in report.problems)


def test_a_b_row_without_a_url_breaks_the_audit(build_dir):
    gaz, features, basemap = built(build_dir)
    gaz.entries["landmark-x"] = replace(gaz.get("landmark-zhenjiang-station"), id="landmark-x",
                                        geometry=Point(119.3, 32.0), precision_class="B", source_url=())
    report = audit(gaz, features, basemap)
    assert "landmark-x: class B without a URL that gives the coordinate" in report.problems


def test_a_place_of_the_city_without_a_zone_breaks_the_audit(build_dir):
    gaz, features, basemap = built(build_dir)
    park = next(f for f in features if f["properties"]["category"] == "park")
    stray = {**park, "id": "park-stray", "properties": {**park["properties"], "zones": []}}
    report = audit(gaz, [*features, stray], basemap)
    assert "park-stray: a place of the city in no zone" in report.problems


def test_an_area_id_within_cannot_use_breaks_the_audit(build_dir):
    gaz, features, basemap = built(build_dir)
    district = next(f for f in basemap if f["id"] == "admin-321102")
    clash = {**district, "id": "admin-321102", "geometry": mapping(Point(119.3, 32.0).buffer(0.05))}
    report = audit(gaz, [*features, clash], basemap)
    assert "admin-321102: two different areas share this id" in report.problems


def test_own_position_means_a_point_or_a_published_extent_with_a_url(build_dir):
    from layers.audit import has_own_position

    gaz, _, _ = built(build_dir)
    station = gaz.get("landmark-zhenjiang-station")
    url = ("https://example.org/zone",)
    assert has_own_position(replace(station, precision_class="C", source_url=url))
    assert not has_own_position(replace(station, precision_class="D", source_url=url))
    assert not has_own_position(replace(station, precision_class="C", source_url=()))
    extent = replace(station, geometry=Point(119.6, 32.1).buffer(0.02), basis="area", precision_class="D")
    assert has_own_position(replace(extent, source_url=url))
    assert not has_own_position(replace(extent, basis="anchor-area", source_url=url))

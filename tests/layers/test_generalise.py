"""Geometry generalised for display: few vertices where the class is loose, never moved more than it allows."""
from __future__ import annotations

import json

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Point, shape

from geo.coords import buffer_km
from layers.generalise import decimals_for, display_geometry

#: UTM zone 50N, where 镇江 lies: distances in metres.
TO_UTM = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)


def metres(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_UTM.transform(xy[:, 0], xy[:, 1])))


def geojson(geom) -> dict:
    return json.loads(shapely.to_geojson(geom))


def test_decimal_places_follow_the_precision():
    # a grid step of at most a tenth of the precision: 0.00001° ≈ 1.1 m for a 33 m polygon,
    # 0.001° ≈ 111 m for areas known to 2 km or 5 km
    assert decimals_for(33) == 5
    assert decimals_for(2000) == 3
    assert decimals_for(5000) == 3
    assert decimals_for(10_000) == 3   # 0.01° ≈ 1.1 km is more than a tenth of 10 km
    assert decimals_for(12_000) == 2


def test_an_approximate_circle_needs_few_vertices_and_keeps_its_place():
    circle = buffer_km(Point(119.45, 32.2), 5)   # a class-D area: 5 km around an anchor
    original = geojson(circle)
    shown = display_geometry(original, 5000)
    ring = shown["coordinates"][0]
    assert shown["type"] == "Polygon"
    assert len(ring) <= 17 < len(original["coordinates"][0])
    assert all(round(c, 3) == c for xy in ring for c in xy)
    # no displayed vertex strays more than a tenth of the precision (plus the rounding) from the circle
    assert metres(shape(shown)).hausdorff_distance(metres(circle)) <= 500 + 80


def test_a_boundary_polygon_keeps_metre_detail_and_its_type():
    zigzag = [(119.4 + i * 0.0002, 32.1 + (i % 2) * 0.0001) for i in range(50)]
    polygon = shapely.Polygon([*zigzag, (119.41, 32.0), (119.4, 32.0)])
    multi = MultiPolygon([polygon, shapely.affinity.translate(polygon, 0.1, 0)])
    shown = display_geometry(geojson(multi), 33)
    assert shown["type"] == "MultiPolygon"
    assert len(shown["coordinates"][0][0]) == len(polygon.exterior.coords)   # 11 m teeth are kept
    assert metres(shape(shown)).hausdorff_distance(metres(multi)) <= 3.3 + 1


def test_no_geometry_stays_none():
    assert display_geometry(None, 5000) is None

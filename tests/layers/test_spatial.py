"""The one definition of "lies in" and "intersects", as a table of (geometry, area, expected)."""
from __future__ import annotations

import pytest
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

from layers.spatial import AREA_SHARE, LINE_SHARE, intersects, lies_in, lonlat_box

AREA = box(0, 0, 10, 10)


@pytest.mark.parametrize("geom, expected", [
    (Point(5, 5), True),
    (Point(10, 5), True),                                   # on the edge: covered
    (Point(11, 5), False),
    (MultiPoint([(5, 5), (20, 20)]), False),                 # a point outside: not covered
    (LineString([(5, 5), (15, 5)]), True),                   # half inside ≥ LINE_SHARE
    (LineString([(9, 5), (19, 5)]), False),                  # a tenth inside < LINE_SHARE
    (LineString([(8, 5), (18, 5)]), True),                   # exactly a fifth inside = LINE_SHARE
    (box(5, 5, 15, 15), False),                              # a quarter of its area inside < AREA_SHARE
    (box(5, 0, 15, 10), True),                               # half inside = AREA_SHARE
    (box(-100, -100, 100, 100), False),                      # a region larger than the area is not in it
    (Polygon(), False),
])
def test_lies_in(geom, expected):
    assert lies_in(geom, AREA) is expected


def test_shares_are_the_documented_ones():
    assert (LINE_SHARE, AREA_SHARE) == (0.2, 0.5)


def test_lies_in_clips_lines_to_the_clip_area():
    """A line mostly outside the city still lies in an area holding most of its in-city part."""
    line = LineString([(0, 5), (100, 5)])          # 8 % of it inside AREA
    assert not lies_in(line, AREA)
    assert lies_in(line, AREA, clip=box(0, 0, 20, 10))   # half of its part within the clip


@pytest.mark.parametrize("geom, expected", [
    (LineString([(9, 5), (19, 5)]), True),                  # any overlap intersects
    (box(-100, -100, 100, 100), True),
    (Point(11, 5), False),
])
def test_intersects(geom, expected):
    assert intersects(geom, AREA) is expected


def test_lonlat_box_across_the_antimeridian():
    area = lonlat_box(170, -10, -170, 10)
    assert area.contains(Point(175, 0)) and area.contains(Point(-175, 0)) and not area.contains(Point(0, 0))

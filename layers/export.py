"""Selecting features by the plan's filters and writing them in the formats GIS users open.

Modelled on geopandas' IO: one public :func:`export` entry point, one table from format
to GDAL driver, explicit CRS on every output. GeoJSON is written by :mod:`layers.geojson`
(GDAL cannot keep arrays of objects); the other formats go through GDAL via pyogrio,
with list-valued properties stored as JSON text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry import shape

from geo.errors import BadInput
from geo.gazetteer.entry import CATEGORIES

from . import geojson, styles
from .industries import ALL as INDUSTRIES
from .structure import BELT_KEYS, ZONE_KEYS


@dataclass(frozen=True)
class Format:
    driver: str
    suffix: str
    media_type: str


FORMATS = {
    "geojson": Format("GeoJSON", ".geojson", "application/geo+json"),
    "gpkg": Format("GPKG", ".gpkg", "application/geopackage+sqlite3"),
    "csv": Format("CSV", ".csv", "text/csv; charset=utf-8"),
    "kml": Format("KML", ".kml", "application/vnd.google-earth.kml+xml"),
}

#: Filter name → (feature property, valid values). One table for the CLI and the API.
FILTERS = {
    "belt": ("belts", BELT_KEYS),
    "zone": ("zones", ZONE_KEYS),
    "industry": ("industries", INDUSTRIES),
    "category": ("category", CATEGORIES),
}

#: Fields of every tabular export, in order, with their types; lists become JSON text.
FIELDS = {
    "id": "str", "name": "str", "category": "str", "aliases": "json", "belts": "json",
    "zones": "json", "industries": "json", "parents": "json", "precision": "str",
    "precision_m": "int", "precision_label": "str", "mentions": "int", "paragraphs": "json",
    "geo_source": "str", "source_url": "json", "source_title": "json", "basis": "str", "source_crs": "str", "licence": "str", "in_region": "bool",
    "sources": "json", "membership": "json",
}


def validate_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Filters with values checked; an unknown name or value is a BadInput naming the valid ones."""
    clean = {}
    for name, values in filters.items():
        if name not in FILTERS:
            raise BadInput(f"unknown filter {name!r}; valid filters: {', '.join(FILTERS)}")
        valid = FILTERS[name][1]
        for value in values:
            if value not in valid:
                raise BadInput(f"unknown {name} {value!r}; valid values: {', '.join(valid)}")
        if values:
            clean[name] = list(dict.fromkeys(values))
    return clean


def select(features: list[dict], filters: dict[str, list[str]]) -> list[dict]:
    """Features matching every filter (AND); several values of one filter match any (OR)."""
    filters = validate_filters(filters)

    def keep(f: dict) -> bool:
        for name, values in filters.items():
            value = f["properties"][FILTERS[name][0]]
            have = set(value) if isinstance(value, list) else {value}
            if not have & set(values):
                return False
        return True

    return [f for f in features if keep(f)]


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    return FORMATS[fmt]


def to_frame(features: list[dict]) -> gpd.GeoDataFrame:
    """One row per feature with typed columns; lists and objects as JSON text."""
    rows = []
    for f in features:
        props = {**f["properties"], "id": f["id"],
                 "paragraphs": list(dict.fromkeys(s["paragraph"] for s in f["properties"]["sources"]))}
        row = {}
        for name, kind in FIELDS.items():
            value = props.get(name)
            row[name] = json.dumps(value, ensure_ascii=False) if kind == "json" else value
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, columns=list(FIELDS),
                             geometry=[shape(f["geometry"]) for f in features], crs="EPSG:4326")
    return frame.astype({n: ("int64" if k == "int" else "bool" if k == "bool" else "object")
                         for n, k in FIELDS.items()})


def format_for(path: Path) -> str:
    """The format a file name asks for by its suffix (checked later by :func:`check_format`)."""
    return next((k for k, v in FORMATS.items() if v.suffix == path.suffix.lower()), path.suffix.lstrip("."))


def export(features: list[dict], path: str | Path, fmt: str | None = None) -> Path:
    """Write ``features`` to ``path``; the format comes from ``fmt`` or the file's suffix."""
    path = Path(path)
    fmt = fmt or format_for(path)
    spec = check_format(fmt)
    if fmt == "geojson":
        geojson.write(path, geojson.collection(features))
        return path
    import pyogrio  # GDAL is only needed for the tabular formats

    if path.exists():
        path.unlink()
    frame = to_frame(features)
    if fmt == "gpkg":
        write_gpkg(frame, path)
    elif fmt == "csv":
        pyogrio.write_dataframe(frame, path, driver=spec.driver, layer_options={"GEOMETRY": "AS_WKT"})
    else:
        pyogrio.write_dataframe(frame, path, driver=spec.driver, dataset_options={"NameField": "name"})
    return path


def write_gpkg(frame: gpd.GeoDataFrame, path: Path) -> None:
    """One layer per category, so each layer has one geometry kind as QGIS expects.

    An empty selection still gives a GeoPackage: one empty ``places`` layer, so a filter that
    matches nothing downloads a file that opens, like the other formats, instead of failing.
    """
    import pyogrio

    if frame.empty:
        pyogrio.write_dataframe(frame, path, layer="places", driver="GPKG", geometry_type="Unknown")
    for category in [c for c in CATEGORIES if (frame["category"] == c).any()]:
        layer = frame[frame["category"] == category].reset_index(drop=True)
        pyogrio.write_dataframe(layer, path, layer=category, driver="GPKG", promote_to_multi=True,
                                append=path.exists())
    styles.add_styles(path)
    styles.add_metadata(path, title=styles.TITLE, attribution=styles.ATTRIBUTION)

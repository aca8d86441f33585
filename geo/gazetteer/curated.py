"""The curated table (data/gazetteer/curated.csv): what no package knows.

Zones, parks, landmarks, institutions, bridges, roads and rail lines. A row states its
geometry in exactly one of three ways, so a reviewer can check each against its basis:

* ``lon``/``lat``: an explicit WGS-84 point, with the source of the coordinate;
* ``anchor``: the geometry of another gazetteer place the row lies in or at (a zone at
  its host town's point, a named area at its district's polygon), with a coarser
  precision class;
* ``waypoints``: a line through named places (or explicit ``LON LAT`` pairs where no
  named place fits), always precision class S (schematic).
"""
from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from shapely.geometry import LineString, Point

from ..errors import DataError
from .entry import CATEGORIES, PRECISION_M, Entry
from ..resources import data_file

CURATED_FILE = data_file("gazetteer", "curated.csv")
ALIASES_FILE = CURATED_FILE.with_name("aliases.csv")
LICENCE = "planmap curated table (CC BY 4.0)"
COLUMNS = ("id", "name", "aliases", "category", "parent", "lon", "lat", "anchor", "waypoints",
           "precision_class", "precision_m", "source", "source_crs", "note")
#: regional.csv: the same columns, plus the page a reviewer opens and what was read there.
REGIONAL_COLUMNS = (*COLUMNS, "source_url", "source_title")


def read_rows(path: Path = CURATED_FILE, columns: tuple[str, ...] = COLUMNS) -> list[dict]:
    """The table's rows, validated for shape; geometry is resolved later against the gazetteer."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != columns:
                raise DataError(f"{path}: columns must be {', '.join(columns)}")
            rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    except OSError as exc:
        raise DataError(f"cannot read the curated table {path}: {exc}") from exc
    seen = set()
    for n, row in enumerate(rows, start=2):
        where = f"{path.name} line {n} ({row['id'] or '?'})"
        methods = [bool(row["lon"] or row["lat"]), bool(row["anchor"]), bool(row["waypoints"])]
        if sum(methods) != 1:
            raise DataError(f"{where}: give exactly one of lon/lat, anchor, waypoints")
        if row["category"] not in CATEGORIES:
            raise DataError(f"{where}: unknown category {row['category']!r}")
        if row["precision_class"] not in PRECISION_M:
            raise DataError(f"{where}: unknown precision class {row['precision_class']!r}")
        if not row["source"]:
            raise DataError(f"{where}: every row must name its source")
        if row["id"] in seen:
            raise DataError(f"{where}: duplicate id")
        seen.add(row["id"])
    return rows


def curated_entries(known: dict[str, Entry], rows: list[dict] | None = None, strict: bool = True) -> list[Entry]:
    """Resolve the rows against ``known`` (by name or alias) and against each other.

    ``strict=False`` leaves out rows that refer to places ``known`` lacks instead of failing."""
    rows = read_rows() if rows is None else rows
    names: dict[str, Entry] = {}
    for entry in known.values():
        for surface in entry.surfaces:
            names.setdefault(surface, entry)
    pending, done = list(rows), []
    while pending:
        progress = []
        for row in pending:
            entry = _resolve(row, names)
            if entry is not None:
                progress.append(row)
                done.append(entry)
                for surface in entry.surfaces:
                    names.setdefault(surface, entry)
        if not progress:
            if not strict:
                break
            missing = {r["id"]: _unknown_refs(r, names) for r in pending}
            raise DataError(f"curated rows refer to places the gazetteer does not know: {missing}")
        pending = [r for r in pending if r not in progress]
    return done


def _refs(row: dict) -> list[str]:
    refs = [row["anchor"]] if row["anchor"] else []
    refs += [w for w in row["waypoints"].split("|") if w and not _is_pair(w)]
    refs += [p for p in row["parent"].split("|") if p]
    return refs


def _unknown_refs(row: dict, names: dict[str, Entry]) -> list[str]:
    return [r for r in _refs(row) if r not in names]


def _is_pair(text: str) -> bool:
    parts = text.split()
    if len(parts) != 2:
        return False
    try:
        [float(p) for p in parts]
    except ValueError:
        return False
    return True


def _point_of(ref: str, names: dict[str, Entry]) -> Point:
    if _is_pair(ref):
        lon, lat = map(float, ref.split())
        return Point(lon, lat)
    geom = names[ref].geometry
    return geom if geom.geom_type == "Point" else geom.representative_point()


def _resolve(row: dict, names: dict[str, Entry]) -> Entry | None:
    if _unknown_refs(row, names):
        return None
    if row["waypoints"]:
        geometry = LineString([_point_of(w, names) for w in row["waypoints"].split("|") if w])
    elif row["anchor"]:
        geometry = names[row["anchor"]].geometry
    else:
        geometry = Point(float(row["lon"]), float(row["lat"]))
    parents = tuple(names[p].id for p in row["parent"].split("|") if p)
    in_region = all(names[p].in_region for p in row["parent"].split("|") if p)
    return Entry(
        id=row["id"], name=row["name"], category=row["category"], geometry=geometry,
        precision_class=row["precision_class"],
        precision_m=int(float(row["precision_m"])) if row["precision_m"] else None,
        source=row["source"], licence=LICENCE,
        aliases=tuple(a for a in row["aliases"].split("|") if a and a != row["name"]),
        parents=parents, source_crs=row["source_crs"] or "EPSG:4326", in_region=in_region,
        note=row["note"],
    )


def read_aliases(path: Path = ALIASES_FILE) -> list[dict]:
    """Extra aliases for places another source provides (宝华片区 for GeoNames' 宝华镇), each with its basis."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the alias table {path}: {exc}") from exc
    for n, row in enumerate(rows, start=2):
        if not (row.get("name") and row.get("alias") and row.get("basis")):
            raise DataError(f"{path.name} line {n}: name, alias and basis are all required")
    return rows


def with_aliases(known: dict[str, Entry], rows: list[dict] | None = None) -> dict[str, Entry]:
    """``known`` with the alias table applied; an alias for an unknown name is an error."""
    rows = read_aliases() if rows is None else rows
    by_name = {e.name: e for e in known.values()}
    out = dict(known)
    for row in rows:
        entry = by_name.get(row["name"])
        if entry is None:
            raise DataError(f"alias {row['alias']!r} is for {row['name']!r}, which no source provides")
        entry = out[entry.id]
        out[entry.id] = replace(entry, aliases=(*entry.aliases, row["alias"]))
    return out

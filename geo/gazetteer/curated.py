"""The curated table (data/gazetteer/curated.csv): what no package knows.

Zones, parks, landmarks, institutions, bridges, roads and rail lines. A row states its
geometry in one of four ways, so a reviewer can check each against its basis:

* ``wkt``: a WGS-84 geometry of its own (a zone's published extent as a polygon);
* ``lon``/``lat``: an explicit WGS-84 point, with the source of the coordinate;
* ``anchor`` alone: the row is known only to lie somewhere in another place, so its
  geometry is that place's *area* — the anchor's polygon, or a circle of ``precision_m``
  around the anchor's point — at class D, never a point stacked on the anchor;
* ``waypoints``: a line through named places (or explicit ``LON LAT`` pairs where no
  named place fits), always precision class S (schematic).

``source`` says what was read; ``source_url`` and ``source_title`` (`` | `` separated, same
order) say where. The evidence each precision class needs is in :mod:`geo.evidence`.
"""
from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from ..errors import DataError
from ..evidence import AREA_CLASS, anchor_area
from ..resources import data_file
from .entry import CATEGORIES, LIST_SEP, PRECISION_M, Entry, split_list

CURATED_FILE = data_file("gazetteer", "curated.csv")
ALIASES_FILE = CURATED_FILE.with_name("aliases.csv")
LICENCE = "planmap curated table (CC BY 4.0)"
COLUMNS = ("id", "name", "aliases", "category", "parent", "lon", "lat", "anchor", "waypoints",
           "precision_class", "precision_m", "source", "source_crs", "note",
           "source_url", "source_title", "wkt")
#: Columns a table may lack (it is read as if they were empty).
OPTIONAL = ("source_url", "source_title", "wkt")


def read_rows(path: Path = CURATED_FILE) -> list[dict]:
    """The table's rows, validated for shape; geometry is resolved later against the gazetteer."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields = tuple(reader.fieldnames or ())
            missing = [c for c in COLUMNS if c not in fields and c not in OPTIONAL]
            unknown = [c for c in fields if c not in COLUMNS]
            if missing or unknown or len(set(fields)) != len(fields):
                raise DataError(f"{path}: columns must be {', '.join(COLUMNS)} "
                                f"({', '.join(OPTIONAL)} optional)")
            rows = [{**dict.fromkeys(OPTIONAL, ""), **{k: (v or "").strip() for k, v in row.items()}}
                    for row in reader]
    except OSError as exc:
        raise DataError(f"cannot read the curated table {path}: {exc}") from exc
    seen = set()
    for n, row in enumerate(rows, start=2):
        where = f"{path.name} line {n} ({row['id'] or '?'})"
        _check_geometry_columns(row, where)
        if row["category"] not in CATEGORIES:
            raise DataError(f"{where}: unknown category {row['category']!r}")
        if row["precision_class"] not in PRECISION_M:
            raise DataError(f"{where}: unknown precision class {row['precision_class']!r}")
        if not row["source"]:
            raise DataError(f"{where}: every row must name its source")
        if row["id"] in seen:
            raise DataError(f"{where}: duplicate id")
        urls, titles = split_list(row["source_url"]), split_list(row["source_title"])
        if any(not u.startswith(("https://", "http://")) for u in urls):
            raise DataError(f"{where}: source_url must be http(s) URLs separated by '{LIST_SEP.strip()}'")
        if titles and len(titles) != len(urls):
            raise DataError(f"{where}: give one source_title per source_url ({len(titles)} titles, {len(urls)} URLs)")
        seen.add(row["id"])
    return rows


def _check_geometry_columns(row: dict, where: str) -> None:
    """One way of stating the geometry: wkt, lon/lat, anchor alone, or waypoints."""
    has_point = bool(row["lon"] or row["lat"])
    if has_point and not (row["lon"] and row["lat"]):
        raise DataError(f"{where}: give both lon and lat")
    if has_point:
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError:
            raise DataError(f"{where}: lon/lat must be numbers") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise DataError(f"{where}: lon/lat out of range")
    if row["wkt"]:
        _parse_wkt(row["wkt"], where)
    own = has_point or bool(row["wkt"])
    if has_point and row["wkt"]:
        raise DataError(f"{where}: give either lon/lat or wkt, not both")
    if row["waypoints"] and (own or row["anchor"]):
        raise DataError(f"{where}: a line gives waypoints only (no lon/lat, wkt or anchor)")
    if not (own or row["anchor"] or row["waypoints"]):
        raise DataError(f"{where}: give one of lon/lat, wkt, anchor, waypoints")


def _parse_wkt(text: str, where: str) -> BaseGeometry:
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.GEOSException as exc:
        raise DataError(f"{where}: unreadable wkt ({exc})") from None
    if geom is None or geom.is_empty or not geom.is_valid:
        raise DataError(f"{where}: wkt must be a valid, non-empty geometry")
    return geom


def curated_entries(known: dict[str, Entry], rows: list[dict] | None = None, strict: bool = True) -> list[Entry]:
    """Resolve the rows against ``known`` (by name or alias) and against each other.

    ``strict=False`` leaves out rows that refer to places ``known`` lacks instead of failing."""
    rows = read_rows() if rows is None else [{**dict.fromkeys(OPTIONAL, ""), **r} for r in rows]
    names: dict[str, Entry] = {}
    by_id = dict(known)
    for entry in known.values():
        for surface in entry.surfaces:
            names.setdefault(surface, entry)
    pending, done = list(rows), []
    while pending:
        progress = []
        for row in pending:
            resolved = _resolve(row, names, by_id)
            if resolved is not None:
                progress.append(row)
                done.append(resolved)
                by_id[resolved.id] = resolved
                for surface in resolved.surfaces:
                    names.setdefault(surface, resolved)
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


def waypoint_entry(ref: str, names: dict[str, Entry], by_id: dict[str, Entry]) -> Entry | None:
    """The place a named waypoint stands for: a place known only as an anchor's area stands
    for nothing of its own, so the line goes through the anchor itself (never through a
    point invented inside the area). None for an explicit ``LON LAT`` pair."""
    if _is_pair(ref):
        return None
    entry = names[ref]
    while entry.basis == "anchor-area" and entry.anchor in by_id:
        entry = by_id[entry.anchor]
    return entry


def _point_of(ref: str, names: dict[str, Entry], by_id: dict[str, Entry]) -> Point:
    entry = waypoint_entry(ref, names, by_id)
    if entry is None:
        lon, lat = map(float, ref.split())
        return Point(lon, lat)
    geom = entry.geometry
    return geom if geom.geom_type == "Point" else geom.representative_point()


def _resolve(row: dict, names: dict[str, Entry], by_id: dict[str, Entry]) -> Entry | None:
    if _unknown_refs(row, names):
        return None
    precision_class = row["precision_class"]
    precision_m = int(float(row["precision_m"])) if row["precision_m"] else None
    anchor = ""
    if row["waypoints"]:
        geometry = LineString([_point_of(w, names, by_id) for w in row["waypoints"].split("|") if w])
        basis = "waypoints"
    elif row["wkt"]:
        geometry, basis = _parse_wkt(row["wkt"], row["id"]), "area"
        if geometry.geom_type == "Point":
            basis = "point"
    elif row["lon"]:
        geometry, basis = Point(float(row["lon"]), float(row["lat"])), "point"
    else:
        anchor_entry = names[row["anchor"]]
        precision_class = AREA_CLASS
        precision_m = precision_m or PRECISION_M[AREA_CLASS]
        geometry, basis, anchor = anchor_area(anchor_entry, precision_m), "anchor-area", anchor_entry.id
    if row["anchor"] and not anchor:
        anchor = names[row["anchor"]].id
    parents = tuple(names[p].id for p in row["parent"].split("|") if p)
    in_region = all(names[p].in_region for p in row["parent"].split("|") if p)
    return Entry(
        id=row["id"], name=row["name"], category=row["category"], geometry=geometry,
        precision_class=precision_class, precision_m=precision_m,
        source=row["source"], licence=LICENCE,
        aliases=tuple(a for a in row["aliases"].split("|") if a and a != row["name"]),
        parents=parents, source_crs=row["source_crs"] or "EPSG:4326", in_region=in_region,
        note=row["note"], source_url=split_list(row["source_url"]),
        source_title=split_list(row["source_title"]), basis=basis, anchor=anchor,
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

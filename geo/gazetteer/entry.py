"""One gazetteer entry: a named place with geometry and the provenance of that geometry."""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

CATEGORIES = (
    "admin", "town", "zone", "park", "community", "corridor", "road", "rail",
    "bridge", "river", "landmark", "institution", "region", "structure",
)

#: Precision classes: what a coordinate claims, in metres (see README, "Data sources").
PRECISION_M = {"A": 100, "B": 500, "C": 2000, "S": 2000, "D": 10000, "P": 0}
PRECISION_LABEL = {
    "A": "exact point", "B": "town centre", "C": "indicative zone", "S": "schematic line",
    "D": "approximate location or area", "P": "surveyed polygon",
}


@dataclass(frozen=True)
class Entry:
    """A place. ``in_region`` is False for places outside Zhenjiang (neighbours, far ends of lines)."""

    id: str
    name: str
    category: str
    geometry: BaseGeometry
    precision_class: str
    source: str
    licence: str
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    precision_m: int | None = None
    source_crs: str = "EPSG:4326"
    in_region: bool = True
    note: str = ""

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def metres(self) -> int:
        return self.precision_m if self.precision_m is not None else PRECISION_M[self.precision_class]

    def to_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "category": self.category,
            "aliases": list(self.aliases), "parents": list(self.parents),
            "geometry": shapely.to_wkt(self.geometry, rounding_precision=7),
            "precision_class": self.precision_class, "precision_m": self.metres,
            "source": self.source, "licence": self.licence, "source_crs": self.source_crs,
            "in_region": self.in_region, "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Entry":
        return cls(
            id=d["id"], name=d["name"], category=d["category"],
            geometry=d["geometry"] if isinstance(d["geometry"], BaseGeometry) else shapely.from_wkt(d["geometry"]),
            precision_class=d["precision_class"],
            source=d["source"], licence=d["licence"], aliases=tuple(d["aliases"]),
            parents=tuple(d["parents"]), precision_m=d["precision_m"], source_crs=d["source_crs"],
            in_region=d["in_region"], note=d["note"],
        )

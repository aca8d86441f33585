"""One gazetteer entry: a named place with geometry and the provenance of that geometry."""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

CATEGORIES = (
    "admin", "town", "zone", "park", "community", "corridor", "road", "rail",
    "bridge", "river", "landmark", "institution", "region", "structure",
)

#: Precision classes: what a coordinate claims, in metres (see README, "Data sources"). What
#: each class needs as evidence is in :mod:`geo.evidence`. The keys are machine codes the data
#: and the exports keep; the explorer shows its own Chinese words for them.
PRECISION_M = {"A": 100, "B": 500, "C": 2000, "S": 2000, "D": 10000, "P": 0}
PRECISION_LABEL = {
    "A": "exact point", "B": "town centre", "C": "indicative zone", "S": "schematic line",
    "D": "approximate location or area", "P": "surveyed polygon",
}

#: How a geometry was made: a point read from a source, an area with a published extent,
#: the area of another place the row is known only to lie in, a line through named
#: waypoints, or a boundary dataset's polygon.
BASES = ("point", "area", "anchor-area", "waypoints", "dataset")

#: Separator of several URLs or titles in one cell of a table.
LIST_SEP = " | "


def split_list(cell: str) -> tuple[str, ...]:
    """The values of a `` | ``-separated cell."""
    return tuple(v.strip() for v in cell.split(LIST_SEP.strip()) if v.strip())


@dataclass(frozen=True)
class Entry:
    """A place. ``in_region`` is False for places outside Zhenjiang (neighbours, far ends of lines).

    ``source`` says what was read; ``source_url``/``source_title`` where (same order), so a
    reviewer can open it. ``basis`` says how the geometry was made (see :data:`BASES`);
    ``anchor`` names the place a row is known only to lie in.
    """

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
    source_url: tuple[str, ...] = ()
    source_title: tuple[str, ...] = ()
    basis: str = "point"
    anchor: str = ""

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
            "in_region": self.in_region, "note": self.note, "source_url": list(self.source_url),
            "source_title": list(self.source_title), "basis": self.basis, "anchor": self.anchor,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Entry:
        return cls(
            id=d["id"], name=d["name"], category=d["category"],
            geometry=d["geometry"] if isinstance(d["geometry"], BaseGeometry) else shapely.from_wkt(d["geometry"]),
            precision_class=d["precision_class"],
            source=d["source"], licence=d["licence"], aliases=tuple(d["aliases"]),
            parents=tuple(d["parents"]), precision_m=d["precision_m"], source_crs=d["source_crs"],
            in_region=d["in_region"], note=d["note"], source_url=tuple(d["source_url"]),
            source_title=tuple(d["source_title"]), basis=d["basis"], anchor=d["anchor"],
        )

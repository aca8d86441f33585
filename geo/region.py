"""The region whose texts are read: a prefecture-level city, chosen by name or code.

Everything that used to be a 镇江 constant follows from it: which places count as inside
(the geoparser's prior), its neighbours (whose polygons and towns the gazetteer loads),
the projection for distances (the UTM zone pyproj estimates for its bounds), and the map's
centre and bounds. Built from the national name base and the cnmaps polygons.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from .coords import utm_for_bounds
from .errors import PlanmapError
from .gazetteer.admin import TOLERANCE, load_polygon
from .gazetteer.division import read_divisions, short_name

#: The region of the plan this project was made for.
DEFAULT_REGION = "镇江市"


class UnknownRegion(PlanmapError):
    """A --region that names no prefecture-level city."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    province: str
    polygon: BaseGeometry
    neighbours: tuple[str, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.polygon.bounds

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of its bounds, as Leaflet takes it."""
        minx, miny, maxx, maxy = self.bounds
        return (round((miny + maxy) / 2, 4), round((minx + maxx) / 2, 4))

    @property
    def utm(self) -> pyproj.CRS:
        """The WGS-84 UTM zone for its bounds: metres for buffers and distances."""
        return utm_for_bounds(self.bounds)

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "short": self.short, "province": self.province,
                "polygon": shapely.to_wkt(self.polygon, rounding_precision=6), "neighbours": list(self.neighbours)}

    @classmethod
    def from_dict(cls, d: dict) -> Region:
        return cls(d["code"], d["name"], d["short"], d["province"], shapely.from_wkt(d["polygon"]),
                   tuple(d["neighbours"]))

    @staticmethod
    def names_in(d: dict) -> set[str]:
        """The ways a cached region may be asked for: 镇江市, 镇江, 321100."""
        return {str(d[k]) for k in ("code", "name", "short") if d.get(k)}

    def contains_code(self, code: str) -> bool:
        """Whether an NBS/adcode code lies in the region (its first four digits are the city's)."""
        return code.startswith(self.code[:4])


@lru_cache(maxsize=8)
def load_region(name: str = DEFAULT_REGION) -> Region:
    """The region called ``name`` (镇江市, 镇江, or its code 321100); UnknownRegion otherwise."""
    divisions = read_divisions()
    cities = [d for d in divisions.values() if d.level == "city"
              and name in (d.name, d.code, short_name(d))]
    if len(cities) != 1:
        raise UnknownRegion(f"--region {name!r} names no prefecture-level city (try 镇江市 or 321100)")
    city = cities[0]
    polygon = load_polygon(city.code, TOLERANCE["region"])
    near = polygon.buffer(0.02)
    candidates = [d for d in divisions.values() if d.level == "city" and d.code != city.code
                  and d.point is not None and d.radius_m is not None
                  and d.point.distance(polygon) * 100_000 < d.radius_m + 10_000]
    neighbours = tuple(d.code for d in candidates if load_polygon(d.code, TOLERANCE["neighbour"]).intersects(near))
    return Region(city.code, city.name, short_name(city) or city.name, city.parent, polygon, neighbours)

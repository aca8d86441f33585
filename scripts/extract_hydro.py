#!/usr/bin/env python3
"""Extract the Yangtze (长江) and the Grand Canal (京杭大运河) around Zhenjiang
from GSHHG / WDBII (as installed for GMT) into a small RFC 7946 GeoJSON file.

    python scripts/extract_hydro.py

Needs the ``gmt`` command line (Debian: ``apt-get install gmt gmt-gshhg-full``)
and shapely.  Writes ``data/hydro/zhenjiang_water.geojson`` next to this repo's
``scripts/`` directory.  The output is deterministic for a given GMT/GSHHG
installation; the versions found are written into every feature's ``source``.

What the data hold here (GSHHG 2.3.7, full resolution), and so what is written:

* WDBII has **no centreline** for the Yangtze around Zhenjiang: the river is a
  "double-lined river" (class 0, river-lake), i.e. two bank lines.  Those bank
  lines are the ``river-yangtze`` MultiLineString.  The same outline is a GSHHG
  level-2 *river-lake* polygon (islands such as 世业洲 are level-3 holes); the
  water area is the ``river-yangtze-water`` feature.  Both stop at about
  119.615E (east of 谏壁): downstream, GSHHG/WDBII have no Yangtze until the
  WVS ocean outline reaches up the estuary to about 120.05E, a small piece of
  which (inside the bbox) is added to ``river-yangtze-water``.
* The Grand Canal is WDBII class 8 ("major canals"): 谏壁 → 丹阳 → 常州 south
  of the river, and 扬州 → 高邮 north of it.  All class-8 lines in the bbox
  belong to it, and they are the ``river-grand-canal`` feature.
* Other WDBII *rivers* (classes 0-4) in the bbox: only the double-lined river
  north of the Yangtze near 扬州 (most likely the 淮河入江水道 between 邵伯湖
  and the Yangtze).  Written as ``river-other``.  Minor canals (class 9: 通扬运河
  towards 泰州, 丹金溧漕河 south of 丹阳) are not written.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from shapely import set_precision
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Polygon,
    box,
    mapping,
)
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, polygonize, unary_union

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "hydro" / "zhenjiang_water.geojson"

WEST, EAST, SOUTH, NORTH = 118.8, 120.1, 31.5, 32.5
REGION = f"-R{WEST}/{EAST}/{SOUTH}/{NORTH}"
BBOX = box(WEST, SOUTH, EAST, NORTH)

# Exact commands run (kept as lists; their joined form goes into `source`).
#: GMT keeps a gmt.history file in the working directory unless told not to.
NO_HISTORY = "--GMT_HISTORY=false"
CMD_RIVERS = ["gmt", "coast", REGION, "-Df", "-Ia", "-M", NO_HISTORY]
CMD_SHORE = ["gmt", "coast", REGION, "-Df", "-A0/0/4+r", "-W", "-M", NO_HISTORY]
# Classifies polygonize faces: keeps points in ocean, river-lakes and ponds.
CMD_WET = ["gmt", "select", REGION, "-Df", "-A0/0/4+r", "-Nk/s/k/s/k", NO_HISTORY]

# Coordinates are snapped to this grid (degrees) before noding, so that
# segment ends that GMT cut at tile (bin) edges meet exactly.
SNAP = 1e-7
DECIMALS = 6
SIZE_LIMIT = 150_000  # bytes; above it, simplify (tolerance in degrees)
SIMPLIFY_TOL = 0.0005

# Latitude splitting the Yangtze channel (all < 32.28N in this bbox) from the
# double-lined river north of it near 扬州 (all > 32.32N).  Checked below.
YANGTZE_MAX_LAT = 32.3

WDBII_CLASSES = {
    0: "double-lined river (river-lake)",
    1: "permanent major river",
    2: "additional major river",
    3: "additional river",
    4: "minor river",
    5: "intermittent river (major)",
    6: "intermittent river (additional)",
    7: "intermittent river (minor)",
    8: "major canal",
    9: "minor canal",
    10: "irrigation canal",
}

HEADER_RE = re.compile(r"^>\s*(River|Shore)\s+Bin\s*#\s*(\d+),\s*Level\s+(\d+)")


#: GMT writes its session file (gmt.history) into the working directory: run it in a
#: scratch directory so nothing lands in the repository.
SCRATCH = tempfile.mkdtemp(prefix="extract-hydro-")


def run(cmd: list[str], stdin: str | None = None) -> str:
    res = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, check=False,
        env={**os.environ, "LC_ALL": "C"}, cwd=SCRATCH,
    )
    if res.returncode != 0:
        sys.exit(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
    return res.stdout


def versions() -> dict[str, str]:
    gmt_version = run(["gmt", "--version"]).strip()
    # `-V` makes GMT print "GSHHG version X" for the data it actually reads.
    res = subprocess.run(
        ["gmt", "coast", REGION, "-Df", "-W", "-M", "-V"],
        capture_output=True, text=True, check=False, cwd=SCRATCH,
    )
    m = re.search(r"GSHHG version\s+(\S+)", res.stderr)
    gshhg = m.group(1) if m else "unknown"
    pkg = ""
    try:
        pkg = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "gmt-gshhg-full"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()
    except FileNotFoundError:
        pass
    return {"gmt": gmt_version, "gshhg": gshhg, "deb": pkg}


def parse_segments(text: str) -> list[tuple[str, int, list[tuple[float, float]]]]:
    """Parse GMT multi-segment ASCII into (kind, level, points)."""
    segs: list[tuple[str, int, list[tuple[float, float]]]] = []
    cur: list[tuple[float, float]] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(">"):
            m = HEADER_RE.match(line)
            if not m:
                sys.exit(f"unexpected segment header: {line!r}")
            cur = []
            segs.append((m.group(1), int(m.group(3)), cur))
            continue
        if cur is None:
            sys.exit("data before first segment header")
        x, y = line.split()[:2]
        cur.append((float(x), float(y)))
    return segs


def to_line(points: list[tuple[float, float]]) -> LineString | None:
    pts = [(round(x / SNAP) * SNAP, round(y / SNAP) * SNAP) for x, y in points]
    dedup = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if len(dedup) < 2:
        return None  # GMT emits 2-point zero-length stubs at tile corners
    return LineString(dedup)


def lines_of(geom) -> list[LineString]:
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if isinstance(geom, (MultiLineString, GeometryCollection)):
        out: list[LineString] = []
        for g in geom.geoms:
            out.extend(lines_of(g))
        return out
    return []  # points from touching the bbox edge


def clip_merge(lines: list[LineString]) -> MultiLineString:
    clipped: list[LineString] = []
    for ln in lines:
        clipped.extend(lines_of(ln.intersection(BBOX)))
    if not clipped:
        return MultiLineString()
    merged = linemerge(unary_union(clipped))
    parts = lines_of(merged)
    parts.sort(key=lambda g: (round(g.bounds[0], 6), round(g.bounds[1], 6)))
    return MultiLineString(parts)


def polygons_of(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, (MultiPolygon, GeometryCollection)):
        out: list[Polygon] = []
        for g in geom.geoms:
            out.extend(polygons_of(g))
        return out
    return []


def wet_area(shore_lines: list[LineString]) -> list[Polygon]:
    """Node shorelines with the bbox edge, polygonize, keep faces GMT calls wet."""
    noded = unary_union(
        [ln.intersection(BBOX) for ln in shore_lines] + [BBOX.exterior]
    )
    faces = [f for f in polygonize(noded) if f.area > 0]
    probes = [f.representative_point() for f in faces]
    text = "".join(f"{p.x:.9f} {p.y:.9f} {i}\n" for i, p in enumerate(probes))
    kept = run(CMD_WET, stdin=text)
    wet_ids = {int(float(row.split()[2])) for row in kept.splitlines() if row.strip()}
    wet = unary_union([faces[i] for i in sorted(wet_ids)])
    return sorted(polygons_of(wet), key=lambda p: (p.bounds[0], p.bounds[1]))


def rounded(geom):
    geom = set_precision(geom, 10 ** -DECIMALS)
    if isinstance(geom, (Polygon, MultiPolygon)):
        # RFC 7946 s3.1.6: exterior rings counterclockwise, holes clockwise.
        geom = MultiPolygon([orient(p, 1.0) for p in polygons_of(geom)])
    return geom


def approx_km(geom) -> float:
    """Length in km with a local equirectangular scale (fine at this size)."""
    import math

    kx = 111.32 * math.cos(math.radians((SOUTH + NORTH) / 2))
    total = 0.0
    for ln in lines_of(geom):
        c = list(ln.coords)
        for (x0, y0), (x1, y1) in zip(c, c[1:], strict=False):
            total += math.hypot((x1 - x0) * kx, (y1 - y0) * 110.57)
    return total


def main() -> None:
    ver = versions()
    rivers = parse_segments(run(CMD_RIVERS))
    shores = parse_segments(run(CMD_SHORE))

    by_class: dict[int, list[LineString]] = {}
    for kind, level, pts in rivers:
        if kind != "River":
            continue
        ln = to_line(pts)
        if ln is not None:
            by_class.setdefault(level, []).append(ln)

    # --- Yangtze: WDBII class-0 bank lines south of YANGTZE_MAX_LAT ----------
    class0 = lines_of(clip_merge(by_class.get(0, [])))
    yangtze_banks = [g for g in class0 if g.bounds[3] < YANGTZE_MAX_LAT]
    north_banks = [g for g in class0 if g.bounds[1] > YANGTZE_MAX_LAT]
    if len(yangtze_banks) + len(north_banks) != len(class0):
        sys.exit("a class-0 river line straddles YANGTZE_MAX_LAT; re-check the split")
    if not yangtze_banks:
        sys.exit("no WDBII double-lined river (class 0) for the Yangtze in the bbox")
    yangtze = MultiLineString(yangtze_banks)

    # --- Yangtze water: GSHHG river-lake (+ ocean reaching up the estuary) ---
    shore_lines = [ln for _, _, pts in shores if (ln := to_line(pts)) is not None]
    wet = wet_area(shore_lines)
    yangtze_wet = [p for p in wet if p.bounds[3] < YANGTZE_MAX_LAT]
    other_wet = [p for p in wet if p.bounds[1] > YANGTZE_MAX_LAT]
    if len(yangtze_wet) + len(other_wet) != len(wet):
        sys.exit("a water polygon straddles YANGTZE_MAX_LAT; re-check the split")
    yangtze_water = MultiPolygon(yangtze_wet)

    # --- Grand Canal: WDBII class 8 (major canals) ---------------------------
    canal = clip_merge(by_class.get(8, []))
    if canal.is_empty:
        sys.exit("WDBII has no class-8 canal in the bbox")

    # --- Other rivers: WDBII classes 1-4, plus class-0 lines off the Yangtze --
    other_lines = list(north_banks)
    for c in (1, 2, 3, 4):
        other_lines.extend(lines_of(clip_merge(by_class.get(c, []))))
    other = MultiLineString(other_lines) if other_lines else None

    gmt_id = f"GMT {ver['gmt']}, GSHHG {ver['gshhg']} full resolution (-Df)"
    if ver["deb"]:
        gmt_id += f", Debian gmt-gshhg-full {ver['deb']}"
    c_riv = " ".join(CMD_RIVERS)
    c_sho = " ".join(CMD_SHORE)
    c_wet = " ".join(CMD_WET)
    clip = f"clipped to lon {WEST}-{EAST}, lat {SOUTH}-{NORTH}; coordinates rounded to {DECIMALS} decimals"
    licence = "GSHHG LGPL-3.0-or-later / WDBII public domain"

    def feature(fid, geom, props):
        return {"type": "Feature", "id": fid, "properties": props, "geometry": geom}

    def build(simplify: float | None) -> dict:
        def g(geom):
            if simplify:
                geom = geom.simplify(simplify, preserve_topology=True)
            return mapping(rounded(geom))

        simp = f"; shapely simplify({simplify})" if simplify else "; not simplified"
        feats = [
            feature("river-yangtze", g(yangtze), {
                "name": "长江",
                "aliases": ["长江", "扬子江"],
                "category": "river",
                "geometry_note": "Both banks of the river. WDBII has no centreline here: the "
                                 "Yangtze is a class-0 double-lined river (river-lake). Ends "
                                 "at ~119.615E; the reach downstream (扬中) is absent from WDBII.",
                "source": f"WDBII rivers, class 0 (double-lined river), via `{c_riv}`; "
                          f"{gmt_id}; {clip}{simp}",
                "precision_class": "small-scale (WDBII, nominal 1:3,000,000)",
                "precision_m": 1000,
                "licence": licence,
            }),
            feature("river-yangtze-water", g(yangtze_water), {
                "name": "长江水域",
                "aliases": ["长江"],
                "category": "river",
                "geometry_note": "Water area: GSHHG level-2 river-lake (islands such as 世业洲 "
                                 "are holes) from 118.8E to ~119.615E, plus the GSHHG ocean "
                                 "(WVS) polygon where it reaches up the estuary into the bbox "
                                 "at ~120.05E. The reach in between is missing from GSHHG.",
                "source": f"GSHHG shorelines (river-lakes, islands, ocean) via `{c_sho}`, "
                          f"faces polygonized with shapely and kept where `{c_wet}` passes "
                          f"their representative point; {gmt_id}; {clip}{simp}",
                "precision_class": "small-scale (WDBII lakes/river-lakes, nominal 1:3,000,000)",
                "precision_m": 1000,
                "licence": licence,
            }),
            feature("river-grand-canal", g(canal), {
                "name": "京杭大运河",
                "aliases": ["大运河", "京杭运河", "运河"],
                "category": "canal",
                "geometry_note": "Centreline. South of the Yangtze: 谏壁 → 丹阳 → 常州; "
                                 "north of it: from the river-lake east of 扬州 north towards "
                                 "邵伯/高邮. The old canal through Zhenjiang city (古运河) and "
                                 "the 扬州–瓜洲/六圩 reach are not in WDBII.",
                "source": f"WDBII rivers, class 8 (major canals), via `{c_riv}`; "
                          f"{gmt_id}; {clip}; segments joined with shapely linemerge{simp}",
                "precision_class": "small-scale (WDBII, nominal 1:3,000,000)",
                "precision_m": 2000,
                "licence": licence,
            }),
        ]
        if other is not None:
            feats.append(feature("river-other", g(other), {
                "name": "其他河流",
                "aliases": [],
                "category": "river",
                "geometry_note": "Bank lines of the WDBII double-lined river north of the "
                                 "Yangtze near 扬州 (probably the 淮河入江水道, 邵伯湖 to the "
                                 "Yangtze; not verified), plus any WDBII class 1-4 rivers in "
                                 "the bbox (none in GSHHG 2.3.7).",
                "source": f"WDBII rivers, classes 0 (north of {YANGTZE_MAX_LAT}N) and 1-4, via "
                          f"`{c_riv}`; {gmt_id}; {clip}{simp}",
                "precision_class": "small-scale (WDBII, nominal 1:3,000,000)",
                "precision_m": 2000,
                "licence": licence,
            }))
        return {
            "type": "FeatureCollection",
            "bbox": [WEST, SOUTH, EAST, NORTH],
            "features": feats,
        }

    doc = build(None)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > SIZE_LIMIT:
        doc = build(SIMPLIFY_TOL)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line: small diffs, still compact.
    lines = ['{"type":"FeatureCollection","bbox":' + json.dumps(doc["bbox"], separators=(",", ":")) + ',"features":[']
    lines.append(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                            for f in doc["features"]))
    lines.append("]}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")

    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size} bytes), "
          f"{_dt.date.today().isoformat()}; {gmt_id}")
    for f in doc["features"]:
        from shapely.geometry import shape

        geom = shape(f["geometry"])
        n = sum(len(ln.coords) for ln in lines_of(geom)) if "Line" in geom.geom_type else \
            sum(len(p.exterior.coords) + sum(len(r.coords) for r in p.interiors)
                for p in polygons_of(geom))
        extra = (f", ~{approx_km(geom):.1f} km" if "Line" in geom.geom_type
                 else f", {len(polygons_of(geom))} polygon(s)")
        print(f"  {f['id']}: {geom.geom_type}, {n} vertices{extra}, "
              f"bounds {tuple(round(b, 4) for b in geom.bounds)}")


if __name__ == "__main__":
    main()

"""What a position must show to claim its precision: the evidence rules, defined once.

The gazetteer's loaders, ``planmap audit`` and the tests all ask this module, so a rule
cannot mean one thing in the data and another in the review. The rules:

* **A** (≤ 100 m) and **B** (≤ 500 m) need a source that gives the coordinate: at least one
  URL a reviewer can open (``source_url``), and no word of estimation in what was read.
* A position that is an estimate ("general knowledge", "approximate", "assumed" …) is at
  best **C** and claims no better than 2 km.
* A place known only to lie somewhere in another place (``anchor``) is that place's area,
  class **D** — never a point that stacks on other places.
* Two distinct places whose points lie within :data:`STACK_M` metres are *stacked*: on a map
  they are one dot, and a reader cannot tell them apart.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from .coords import buffer_km
from .gazetteer.entry import PRECISION_M, Entry

#: Classes that claim a coordinate of their own, finer than an estimate.
COORDINATE_CLASSES = ("A", "B")
#: The best class and the finest radius an estimate may claim.
ESTIMATE_CLASS = "C"
ESTIMATE_MIN_M = 2000
#: Distinct places closer than this are one dot on the map.
STACK_M = 5.0
#: The class of a place known only to lie in another place's area.
AREA_CLASS = "D"
#: Classes at or better than C: what "a position of its own at class C or better" means.
OWN_POSITION_CLASSES = ("A", "B", "C")

#: Words by which a source says its position is not read from a reference.
ESTIMATE_WORDS = re.compile(
    r"general knowledge|approximat|\bapprox\b|estimat|assumed|unverified|not verified|not surveyed|guess",
    re.IGNORECASE,
)

_GEOD = Geod(ellps="WGS84")


def is_estimate(source: str) -> bool:
    """Whether what was read says the position is estimated rather than read off a reference."""
    return bool(ESTIMATE_WORDS.search(source))


def best_class(source: str, urls: Iterable[str]) -> str:
    """The finest class a point's evidence supports: A when a URL gives it, C for an estimate or no URL."""
    return "A" if any(urls) and not is_estimate(source) else ESTIMATE_CLASS


def class_problems(entry: Entry) -> list[str]:
    """What is wrong with the class ``entry`` claims, given its evidence (empty when it holds)."""
    problems = []
    if entry.precision_class in COORDINATE_CLASSES:
        if not any(entry.source_url):
            problems.append(f"class {entry.precision_class} without a URL that gives the coordinate")
        if is_estimate(entry.source):
            problems.append(f"class {entry.precision_class} on an estimate ({_quote(entry.source)})")
    if entry.precision_class == ESTIMATE_CLASS and is_estimate(entry.source) and entry.metres < ESTIMATE_MIN_M:
        problems.append(f"an estimate claims {entry.metres} m; estimates claim no better than {ESTIMATE_MIN_M} m")
    if entry.basis == "anchor-area" and entry.precision_class != AREA_CLASS:
        problems.append(f"lies somewhere in {entry.anchor} but claims class {entry.precision_class}, not {AREA_CLASS}")
    if entry.precision_class in PRECISION_M and entry.precision_class not in ("S", "P", "D"):
        if entry.metres > PRECISION_M[entry.precision_class]:
            problems.append(f"claims class {entry.precision_class} with {entry.metres} m, "
                            f"coarser than the class allows ({PRECISION_M[entry.precision_class]} m)")
    return problems


def _quote(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def metres_between(a: BaseGeometry, b: BaseGeometry) -> float:
    """Geodesic distance between two points (or representative points of other shapes), in metres."""
    pa, pb = _point(a), _point(b)
    return float(_GEOD.inv(pa[0], pa[1], pb[0], pb[1])[2])


def metres_from(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Geodesic distances in metres from one point to many."""
    return _GEOD.inv(np.full(lons.size, lon), np.full(lons.size, lat), lons, lats)[2]


def _point(geom: BaseGeometry) -> tuple[float, float]:
    p = geom if geom.geom_type == "Point" else geom.representative_point()
    return p.x, p.y


def stacked_groups(entries: Iterable[Entry]) -> list[list[Entry]]:
    """Groups of distinct point places lying within :data:`STACK_M` of each other.

    Areas, lines and places known only by an anchor's area are not positions and never stack.
    """
    points = [e for e in entries if e.geometry.geom_type == "Point"]
    if not points:
        return []
    lon = np.array([e.geometry.x for e in points])
    lat = np.array([e.geometry.y for e in points])
    parent = list(range(len(points)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(points)):
        near = np.nonzero(np.abs(lat - lat[i]) < 1e-3)[0]
        near = near[near > i]
        if near.size == 0:
            continue
        dist = metres_from(lon[i], lat[i], lon[near], lat[near])
        for j in near[dist <= STACK_M]:
            parent[root(int(j))] = root(i)
    groups: dict[int, list[Entry]] = {}
    for i, entry in enumerate(points):
        groups.setdefault(root(i), []).append(entry)
    return [g for g in groups.values() if len(g) > 1]


def anchor_area(anchor: Entry, metres: float) -> BaseGeometry:
    """Where a place known only to lie in ``anchor`` may be (class :data:`AREA_CLASS`): the
    anchor's own area, or the circle of ``metres`` around its point or line — never a point of
    its own, which would stack on the anchor and its other places."""
    if anchor.geometry.geom_type in ("Polygon", "MultiPolygon"):
        return anchor.geometry
    return buffer_km(anchor.geometry, metres / 1000)

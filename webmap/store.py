"""The build's outputs held in memory: the server reads files once, at start-up.

The store never opens the raw source datasets (GeoNames, cnmaps); it serves what
`planmap build` derived, which keeps the server small and its start-up fast.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import BadInput, DataError, NotFound
from geo.normalise import fold
from layers.cartography import CATEGORIES
from layers.export import select
from layers.generalise import display_feature
from layers.spatial import lies_in

#: Files a build must have for the server to start.
REQUIRED = ("document.json", "paragraphs.json", "mentions.json", "unresolved.json",
            "places.geojson", "basemap.geojson")


def _read(build_dir: Path, name: str):
    try:
        return json.loads((build_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot load {name} from the build in {build_dir}: {exc}") from exc


@dataclass(frozen=True)
class Store:
    document: dict
    paragraphs: tuple[dict, ...]
    features: tuple[dict, ...]
    mentions: tuple[dict, ...]
    unresolved: tuple[dict, ...]
    basemap: dict
    paragraph_index: dict[str, dict] = field(default_factory=dict)
    feature_index: dict[str, dict] = field(default_factory=dict)
    shapes: dict[str, BaseGeometry] = field(default_factory=dict)
    #: feature id → the districts it lies in, worked out once (the overview asks on every filter)
    district_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: every area the page shows (features and the background's districts) → (name, shape)
    areas: dict[str, tuple[str, BaseGeometry]] = field(default_factory=dict)
    #: feature id → the feature with its geometry generalised for display (:mod:`layers.generalise`)
    display: dict[str, dict] = field(default_factory=dict)
    #: the background generalised likewise (districts are boundary polygons, rivers class C)
    display_basemap: dict = field(default_factory=dict)

    @classmethod
    def load(cls, build_dir: Path) -> Store:
        paragraphs = _read(build_dir, "paragraphs.json")
        features = _read(build_dir, "places.geojson")["features"]
        basemap = _read(build_dir, "basemap.geojson")
        shapes = {f["id"]: shape(f["geometry"]) for f in features}
        districts = [(d["id"], shape(d["geometry"])) for d in _districts(basemap)]
        return cls(
            document=_read(build_dir, "document.json"),
            paragraphs=tuple(paragraphs),
            features=tuple(features),
            mentions=tuple(_read(build_dir, "mentions.json")),
            unresolved=tuple(_read(build_dir, "unresolved.json")),
            basemap=basemap,
            paragraph_index={p["id"]: p for p in paragraphs},
            feature_index={f["id"]: f for f in features},
            shapes=shapes,
            district_ids={fid: tuple(d for d, area in districts if lies_in(geom, area))
                          for fid, geom in shapes.items()},
            areas={f["id"]: (f["properties"]["name"], shape(f["geometry"]))
                   for f in (*basemap["features"], *features)},
            display={f["id"]: display_feature(f) for f in features},
            display_basemap={**basemap, "features": [display_feature(f) for f in basemap["features"]]},
        )

    @property
    def documents(self) -> list[dict]:
        """The build's documents in build order, the first being the default one."""
        return self.document["documents"]

    @property
    def doc_ids(self) -> list[str]:
        return [d["id"] for d in self.documents]

    def paragraph(self, pid: str) -> dict:
        """A paragraph by its id (``jianyi:s3-i9``); an id without a document (``s3-i9``) is the first document's."""
        qualified = pid if ":" in pid else f"{self.doc_ids[0]}:{pid}"
        try:
            return self.paragraph_index[qualified]
        except KeyError:
            raise NotFound(f"no paragraph with id {pid[:80]!r}") from None

    def feature(self, fid: str) -> dict:
        try:
            return self.feature_index[fid]
        except KeyError:
            raise NotFound(f"no feature with id {fid[:80]!r}") from None

    def search(self, filters: dict[str, list[str]], q: str | None = None) -> list[dict]:
        """Features matching the plan filters and, if given, a name/alias search (case- and width-folded)."""
        chosen = select(list(self.features), filters, self.doc_ids)
        if q:
            needle = fold(q.strip())
            chosen = [f for f in chosen
                      if any(needle in fold(n) for n in (f["properties"]["name"], *f["properties"]["aliases"]))]
        return chosen

    def for_display(self, features: list[dict], detail: str) -> list[dict]:
        """``features`` as the page draws them: ``full`` geometry, ``display`` (generalised to each
        precision class), or ``first``, the first view's form: generalised, and without geometry
        (``null``) for the categories hidden by default, which the page fetches when they are turned on."""
        if detail == "full":
            return features
        hidden = {c for c, symbol in CATEGORIES.items() if not symbol.visible} if detail == "first" else set()
        return [{**f, "geometry": None} if f["properties"]["category"] in hidden else self.display[f["id"]]
                for f in features]

    def area(self, aid: str) -> tuple[str, BaseGeometry]:
        """(name, shape) of an area the page shows: any feature, or a district of the background
        (the overview's ``admin-321102`` is a district whether or not the plan names it)."""
        try:
            return self.areas[aid]
        except KeyError:
            raise NotFound(f"no feature or district with id {aid[:80]!r}") from None

    def features_within(self, area: BaseGeometry) -> list[dict]:
        """Features inside an area; regions larger than the area (长三角 around a district) are not 'inside'."""
        return [f for f in self.features if lies_in(self.shapes[f["id"]], area)]

    def districts(self) -> list[dict]:
        return _districts(self.basemap)

    def paragraphs_mentioning(self, features: list[dict]) -> list[dict]:
        """Paragraphs that mention any of ``features``, in document order, with mention counts."""
        counts: dict[str, int] = {}
        places: dict[str, list[str]] = {}
        for f in features:
            for s in f["properties"]["sources"]:
                counts[s["paragraph"]] = counts.get(s["paragraph"], 0) + 1
                places.setdefault(s["paragraph"], [])
                if f["id"] not in places[s["paragraph"]]:
                    places[s["paragraph"]].append(f["id"])
        return [{**p, "mentions": counts[p["id"]], "places": places[p["id"]]}
                for p in self.paragraphs if p["id"] in counts]


def _districts(basemap: dict) -> list[dict]:
    """The city's county-level units from the basemap (the city outline itself excluded)."""
    return [f for f in basemap["features"]
            if f["properties"]["category"] == "admin" and f["id"] != "admin-321100"]


def parse_bbox(text: str) -> BaseGeometry:
    """``minlon,minlat,maxlon,maxlat`` in WGS-84 degrees, checked."""
    parts = text.split(",")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise BadInput(f"bbox must be four numbers minlon,minlat,maxlon,maxlat; got {text[:80]!r}") from None
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise BadInput(f"bbox {text[:80]!r} is not a valid lon/lat box (min < max, within ±180/±90)")
    return box(minx, miny, maxx, maxy)

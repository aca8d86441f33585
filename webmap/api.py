"""The HTTP API as plain functions: (store, query arguments) in, a JSON-able body out.

No Flask here, so the same functions serve tests, the CLI and the views; errors are
raised as :mod:`geo.errors` types and mapped to one JSON shape by the app. Query
arguments arrive as ``{name: [values]}`` so repeated parameters are visible: repeating
a filter means OR, repeating anything else is an error.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from geo.errors import BadInput
from layers import geojson
from layers.export import FILTERS, FORMATS, check_format, export
from layers.industries import ALL as INDUSTRIES
from layers.structure import BELT_KEYS

from .store import Store, parse_bbox

#: Longest value of any query parameter; plan names and filter values are far shorter.
MAX_PARAM = 200
#: Longest ``ids`` list of an export: every feature id of a build, comma-separated, fits.
MAX_IDS = 20_000
FEATURE_PARAMS = (*FILTERS, "q")


def _check(args: dict[str, list[str]], allowed: tuple[str, ...], repeatable: tuple[str, ...] = ()) -> None:
    for name, values in args.items():
        if name not in allowed:
            raise BadInput(f"unknown parameter {name[:40]!r}; valid parameters: {', '.join(allowed) or 'none'}")
        if len(values) > 1 and name not in repeatable:
            raise BadInput(f"parameter {name!r} given {len(values)} times; give it once")
        limit = MAX_IDS if name == "ids" else MAX_PARAM
        for value in values:
            if len(value) > limit:
                raise BadInput(f"parameter {name!r} is longer than {limit} characters")


def _one(args: dict[str, list[str]], name: str) -> str | None:
    values = args.get(name)
    return values[0] if values else None


def _filters(args: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: [v for v in args[name] if v] for name in FILTERS if name in args}


def list_paragraphs(store: Store, args: dict[str, list[str]] | None = None) -> dict:
    """Every paragraph, or with ``within``/``bbox`` those that mention places inside the area."""
    args = args or {}
    _check(args, ("within", "bbox"))
    within, bbox = _one(args, "within"), _one(args, "bbox")
    if within and bbox:
        raise BadInput("give either within or bbox, not both")
    if not (within or bbox):
        return {"document": store.document, "paragraphs": list(store.paragraphs)}
    area = store.shapes[store.feature(within)["id"]] if within else parse_bbox(bbox)
    inside = store.features_within(area)
    paragraphs = store.paragraphs_mentioning(inside)
    return {"document": store.document, "area": {"within": within, "bbox": bbox},
            "places": [f["id"] for f in inside], "paragraphs": paragraphs}


def get_paragraph(store: Store, pid: str) -> dict:
    return store.paragraph(pid)


def list_features(store: Store, args: dict[str, list[str]]) -> dict:
    """A FeatureCollection of the features matching the filters and the ``q`` name search."""
    _check(args, FEATURE_PARAMS, repeatable=tuple(FILTERS))
    chosen = store.search(_filters(args), _one(args, "q"))
    return {"type": "FeatureCollection", "numberMatched": len(chosen), "features": chosen}


def get_feature(store: Store, fid: str) -> dict:
    return store.feature(fid)


def overview(store: Store, args: dict[str, list[str]]) -> dict:
    """Where the plan puts its attention: mentions per district, belt and industry, for the filtered places."""
    _check(args, FEATURE_PARAMS, repeatable=tuple(FILTERS))
    chosen = store.search(_filters(args), _one(args, "q"))

    def total(features: list[dict]) -> int:
        return sum(f["properties"]["mentions"] for f in features)

    districts = [{"id": d["id"], "name": d["properties"]["name"],
                  "mentions": total([f for f in chosen if d["id"] in store.district_ids[f["id"]]])}
                 for d in store.districts()]
    return {
        "places": len(chosen), "mentions": total(chosen), "districts": districts,
        "belts": [{"key": b, "mentions": total([f for f in chosen if b in f["properties"]["belts"]])}
                  for b in BELT_KEYS],
        "industries": sorted(({"key": i, "mentions": total([f for f in chosen if i in f["properties"]["industries"]])}
                              for i in INDUSTRIES), key=lambda r: -r["mentions"]),
    }


@dataclass(frozen=True)
class Download:
    body: bytes
    filename: str
    media_type: str


#: Export parameters beyond the filters: what the explorer draws (ids), its area query, a split GeoJSON.
EXPORT_PARAMS = (*FEATURE_PARAMS, "format", "ids", "within", "bbox", "split")
#: GeoJSON members of a split export, one per geometry kind (QGIS opens each as one layer).
GEOMETRY_KINDS = {"Point": "points", "MultiPoint": "points", "LineString": "lines",
                  "MultiLineString": "lines", "Polygon": "polygons", "MultiPolygon": "polygons"}


def export_features(store: Store, args: dict[str, list[str]]) -> Download:
    """The selection as a file; the name says what was selected (planmap_belt-north.gpkg).

    Besides the filters, the explorer passes what it draws: ``within``/``bbox`` (the area
    query), and ``ids``, the comma-separated features left after its layer switches and,
    if asked, the map extent. ``split=1`` with GeoJSON gives a zip of one file per geometry kind.
    """
    _check(args, EXPORT_PARAMS, repeatable=tuple(FILTERS))
    fmt = _one(args, "format") or "geojson"
    spec = check_format(fmt)
    filters = _filters(args)
    chosen = store.search(filters, _one(args, "q"))
    within, bbox, ids = _one(args, "within"), _one(args, "bbox"), _one(args, "ids")
    split = (_one(args, "split") or "0") not in ("0", "")
    if within and bbox:
        raise BadInput("give either within or bbox, not both")
    if split and fmt != "geojson":
        raise BadInput("split applies to format=geojson only")
    extra: list[str] = []
    if within or bbox:
        area = store.shapes[store.feature(within)["id"]] if within else parse_bbox(bbox or "")
        inside_ids = {f["id"] for f in store.features_within(area)}
        chosen = [f for f in chosen if f["id"] in inside_ids]
        extra.append(f"within-{within}" if within else "area")
    if ids is not None:
        wanted = [i for i in ids.split(",") if i]
        for fid in wanted:
            store.feature(fid)   # an unknown id is a 404 naming it
        keep = set(wanted)
        chosen = [f for f in chosen if f["id"] in keep]
        extra.append(f"{len(chosen)}-places")
    if split:
        return Download(split_geojson(chosen), export_filename(filters, "_by-geometry.zip", extra), "application/zip")
    with tempfile.TemporaryDirectory(prefix="planmap-export-") as tmp:
        path = export(chosen, Path(tmp) / f"export{FORMATS[fmt].suffix}", fmt)
        body = path.read_bytes()
    return Download(body, export_filename(filters, spec.suffix, extra), spec.media_type)


def split_geojson(features: list[dict]) -> bytes:
    """A zip of ``points.geojson``, ``lines.geojson``, ``polygons.geojson`` (only the kinds present)."""
    groups: dict[str, list[dict]] = {}
    for f in features:
        groups.setdefault(GEOMETRY_KINDS[f["geometry"]["type"]], []).append(f)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, members in groups.items():
            archive.writestr(f"{kind}.geojson", geojson.dumps(geojson.collection(members)))
    return buffer.getvalue()


def export_filename(filters: dict[str, list[str]], suffix: str, extra: list[str] | None = None) -> str:
    """ASCII-safe where the filter values are; Chinese industry names are kept (RFC 6266 filename*)."""
    parts = ["planmap"] + [f"{name}-{'+'.join(values)}" for name, values in filters.items()] + (extra or [])
    return "_".join(parts) + suffix

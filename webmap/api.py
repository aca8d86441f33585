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
from geo.intent import ACTIONS, STAGES
from layers import geojson
from layers.export import FILTERS, check_format, export, validate_filters
from layers.industries import ALL as INDUSTRIES
from layers.structure import BELT_KEYS

from .store import Store, parse_bbox

#: Longest value of any query parameter; plan names and filter values are far shorter.
MAX_PARAM = 200
#: Longest ``ids`` list of an export: every feature id of a build, comma-separated, fits.
MAX_IDS = 20_000
FEATURE_PARAMS = (*FILTERS, "q")
#: How much geometry ``/api/features`` and ``/api/basemap`` send (see :meth:`Store.for_display`).
DETAILS = ("full", "display", "first")


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


def _docs(store: Store, args: dict[str, list[str]]) -> list[str]:
    """The ``doc`` values given (checked against the build's documents), or every document."""
    chosen = validate_filters({"doc": [v for v in args.get("doc", []) if v]}, store.doc_ids)
    return chosen.get("doc", store.doc_ids)


def list_paragraphs(store: Store, args: dict[str, list[str]] | None = None) -> dict:
    """Every paragraph (of the ``doc`` documents if given), or with ``within``/``bbox`` those that
    mention places inside the area."""
    args = args or {}
    _check(args, ("within", "bbox", "doc"), repeatable=("doc",))
    within, bbox = _one(args, "within"), _one(args, "bbox")
    docs = _docs(store, args)
    if within and bbox:
        raise BadInput("give either within or bbox, not both")
    if not (within or bbox):
        return {"document": store.document, "paragraphs": [p for p in store.paragraphs if p["doc"] in docs]}
    name, area = store.area(within) if within else (None, parse_bbox(bbox or ""))
    inside = store.features_within(area)
    paragraphs = [p for p in store.paragraphs_mentioning(inside) if p["doc"] in docs]
    return {"document": store.document, "area": {"within": within, "bbox": bbox, "name": name},
            "places": [f["id"] for f in inside], "paragraphs": paragraphs}


def list_documents(store: Store) -> dict:
    """The build's documents with their counts (paragraphs, mentions, places, unresolved spans)."""
    return {"documents": store.documents}


def get_paragraph(store: Store, pid: str) -> dict:
    return store.paragraph(pid)


def _detail(args: dict[str, list[str]]) -> str:
    detail = _one(args, "detail") or "full"
    if detail not in DETAILS:
        raise BadInput(f"unknown detail {detail[:40]!r}; valid values: {', '.join(DETAILS)}")
    return detail


def list_features(store: Store, args: dict[str, list[str]]) -> dict:
    """A FeatureCollection of the features matching the filters and the ``q`` name search, with
    ``detail`` geometry: ``full`` (default), or as the page draws it, ``display`` or ``first``."""
    _check(args, (*FEATURE_PARAMS, "detail"), repeatable=tuple(FILTERS))
    chosen = store.search(_filters(args), _one(args, "q"))
    return {"type": "FeatureCollection", "numberMatched": len(chosen),
            "features": store.for_display(chosen, _detail(args))}


def basemap(store: Store, args: dict[str, list[str]]) -> dict:
    """The background layer, at ``full`` geometry (default) or generalised for ``display``."""
    _check(args, ("detail",))
    return store.basemap if _detail(args) == "full" else store.display_basemap


def get_feature(store: Store, fid: str, args: dict[str, list[str]] | None = None) -> dict:
    args = args or {}
    _check(args, ("detail",))
    return store.for_display([store.feature(fid)], _detail(args))[0]


def overview(store: Store, args: dict[str, list[str]]) -> dict:
    """Where the documents put their attention: mentions per district, belt and industry, for the filtered
    places, in total and per document (``docs``: one column each), and the places only one document names;
    and what they want there: mentions per stage, and per action by district and belt."""
    _check(args, FEATURE_PARAMS, repeatable=tuple(FILTERS))
    filters = _filters(args)
    chosen = store.search(filters, _one(args, "q"))
    docs = list(dict.fromkeys(filters.get("doc") or store.doc_ids))

    def row(features: list[dict]) -> dict:
        per_doc = {d: sum(f["properties"]["docs"].get(d, 0) for f in features) for d in docs}
        return {"mentions": sum(f["properties"]["mentions"] for f in features), "docs": per_doc}

    in_district = {d["id"]: [f for f in chosen if d["id"] in store.district_ids[f["id"]]] for d in store.districts()}
    in_belt = {b: [f for f in chosen if b in f["properties"]["belts"]] for b in BELT_KEYS}
    districts = [{"id": d["id"], "name": d["properties"]["name"], **row(in_district[d["id"]])}
                 for d in store.districts()]

    def saying(features: list[dict], key: str, value: str) -> int:
        """Mentions of ``features`` whose stage is, or whose actions include, ``value``."""
        return sum(value == s[key] if key == "stage" else value in s[key]
                   for f in features for s in f["properties"]["sources"])

    return {
        "places": len(chosen), **row(chosen), "documents": docs, "districts": districts,
        "belts": [{"key": b, **row(fs)} for b, fs in in_belt.items()],
        "industries": sorted(({"key": i, **row([f for f in chosen if i in f["properties"]["industries"]])}
                              for i in INDUSTRIES), key=lambda r: -r["mentions"]),
        "only": {d: [{"id": f["id"], "name": f["properties"]["name"], "mentions": f["properties"]["docs"][d]}
                     for f in chosen if list(f["properties"]["docs"]) == [d]] for d in docs},
        "stages": [{"key": s, "label": label, "mentions": saying(chosen, "stage", s)} for s, label in STAGES.items()],
        "actions": [{"key": a, "label": label, "mentions": saying(chosen, "actions", a),
                     "districts": [{"id": d, "mentions": saying(fs, "actions", a)} for d, fs in in_district.items()],
                     "belts": [{"key": b, "mentions": saying(fs, "actions", a)} for b, fs in in_belt.items()]}
                    for a, label in ACTIONS.items()],
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
    """The selection as a file; the name says what was selected (planmap_belt-north.gpkg) and, in a
    build of several documents, which documents it covers (planmap_doc-jianyi+gangyao.gpkg).

    Besides the filters, the explorer passes what it draws: ``within``/``bbox`` (the area
    query), and ``ids``, the comma-separated features left after its layer switches and,
    if asked, the map extent. ``split=1`` with GeoJSON gives a zip of one file per geometry kind.
    """
    _check(args, EXPORT_PARAMS, repeatable=tuple(FILTERS))
    fmt = _one(args, "format") or "geojson"
    spec = check_format(fmt)
    filters = _filters(args)
    chosen = store.search(filters, _one(args, "q"))
    covered = list(dict.fromkeys(filters.get("doc") or store.doc_ids))
    named = filters if "doc" in filters or len(store.doc_ids) == 1 else {**filters, "doc": covered}
    within, bbox, ids = _one(args, "within"), _one(args, "bbox"), _one(args, "ids")
    split = (_one(args, "split") or "0") not in ("0", "")
    if within and bbox:
        raise BadInput("give either within or bbox, not both")
    if split and fmt != "geojson":
        raise BadInput("split applies to format=geojson only")
    extra: list[str] = []
    if within or bbox:
        _, area = store.area(within) if within else (None, parse_bbox(bbox or ""))
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
        return Download(split_geojson(chosen), export_filename(named, "_by-geometry.zip", extra), "application/zip")
    name = export_filename(named, spec.suffix, extra)
    # The GeoPackage's QGIS project refers to the file by the name it is downloaded as.
    with tempfile.TemporaryDirectory(prefix="planmap-export-") as tmp:
        path = export(chosen, Path(tmp) / f"export{spec.suffix}", fmt, documents=covered, saved_as=name)
        body = path.read_bytes()
    return Download(body, name, spec.media_type)


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

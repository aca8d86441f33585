"""The HTTP API as plain functions: (store, query arguments) in, a JSON-able body out.

No Flask here, so the same functions serve tests, the CLI and the views; errors are
raised as :mod:`geo.errors` types and mapped to one JSON shape by the app. Query
arguments arrive as ``{name: [values]}`` so repeated parameters are visible: repeating
a filter means OR, repeating anything else is an error.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.errors import BadInput
from layers.export import FILTERS, FORMATS, check_format, export
from layers.industries import ALL as INDUSTRIES
from layers.structure import BELT_KEYS

from .store import Store, parse_bbox

#: Longest value of any query parameter; plan names and filter values are far shorter.
MAX_PARAM = 200
FEATURE_PARAMS = (*FILTERS, "q")


def _check(args: dict[str, list[str]], allowed: tuple[str, ...], repeatable: tuple[str, ...] = ()) -> None:
    for name, values in args.items():
        if name not in allowed:
            raise BadInput(f"unknown parameter {name[:40]!r}; valid parameters: {', '.join(allowed) or 'none'}")
        if len(values) > 1 and name not in repeatable:
            raise BadInput(f"parameter {name!r} given {len(values)} times; give it once")
        for value in values:
            if len(value) > MAX_PARAM:
                raise BadInput(f"parameter {name!r} is longer than {MAX_PARAM} characters")


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
    name, area = store.area(within) if within else (None, parse_bbox(bbox or ""))
    inside = store.features_within(area)
    paragraphs = store.paragraphs_mentioning(inside)
    return {"document": store.document, "area": {"within": within, "bbox": bbox, "name": name},
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


def export_features(store: Store, args: dict[str, list[str]]) -> Download:
    """The filtered selection as a file; the name says what was selected (planmap-belt-north.gpkg)."""
    _check(args, (*FEATURE_PARAMS, "format"), repeatable=tuple(FILTERS))
    fmt = _one(args, "format") or "geojson"
    spec = check_format(fmt)
    filters = _filters(args)
    chosen = store.search(filters, _one(args, "q"))
    with tempfile.TemporaryDirectory(prefix="planmap-export-") as tmp:
        path = export(chosen, Path(tmp) / f"export{FORMATS[fmt].suffix}", fmt)
        body = path.read_bytes()
    return Download(body, export_filename(filters, spec.suffix), spec.media_type)


def export_filename(filters: dict[str, list[str]], suffix: str) -> str:
    """ASCII-safe where the filter values are; Chinese industry names are kept (RFC 6266 filename*)."""
    parts = ["planmap"] + [f"{name}-{'+'.join(values)}" for name, values in filters.items()]
    return "_".join(parts) + suffix

"""`planmap build`: run the whole pipeline once and write its outputs atomically.

Everything is written into a fresh temporary directory beside the target and only
then swapped in, so a build that fails or is killed leaves the previous one intact.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from geo.document import Document, load_document
from geo.gazetteer.index import Gazetteer, cache_key, load_gazetteer, save_gazetteer
from geo.geoparser import NOT_PLACES_FILE, Geoparser
from geo.region import DEFAULT_REGION
from geo.resources import data_file

from . import geojson
from .export import to_frame, write_gpkg
from .features import basemap_features, place_features
from .structure import structure_entries

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = data_file("source", "zhenjiang-14th-fyp-recommendations.txt")
DEFAULT_BUILD_DIR = PROJECT_ROOT / "data" / "build"


@dataclass
class BuildReport:
    """What a build produced, for the CLI summary."""

    out_dir: Path
    paragraphs: int
    mentions: int = 0
    places: int = 0
    unresolved: int = 0
    gazetteer_cached: bool = False
    warnings: list[str] = field(default_factory=list)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def fingerprint(source: str | Path, region: str = DEFAULT_REGION) -> dict:
    """What a build depends on: the source text, the curated data and package versions.

    ``planmap serve`` compares it with the build's to rebuild when any of them changed.
    """
    source = Path(source)
    return {
        "source": hashlib.sha256(source.read_bytes()).hexdigest() if source.is_file() else None,
        "not_places": hashlib.sha256(NOT_PLACES_FILE.read_bytes()).hexdigest(),
        "gazetteer": cache_key(),
        "region": region,
        "planmap": version("planmap"),
    }


def is_current(build_dir: str | Path, source: str | Path, region: str | None = None) -> bool:
    """Whether ``build_dir`` holds a complete build of ``source`` with today's data."""
    try:
        document = json.loads((Path(build_dir) / "document.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    region = region or document.get("inputs", {}).get("region", DEFAULT_REGION)  # the build's own, by default
    return document.get("inputs") == fingerprint(source, region)


def build(source: str | Path = DEFAULT_SOURCE, out_dir: str | Path = DEFAULT_BUILD_DIR,
          region: str = DEFAULT_REGION) -> BuildReport:
    """Read, geoparse and layer ``source`` into ``out_dir`` for ``region`` (its prior, projection and
    map centre); raises before touching ``out_dir`` on bad input."""
    out_dir = Path(out_dir)
    recover(out_dir)
    doc = load_document(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        gazetteer, cached = load_gazetteer([out_dir], region)
        save_gazetteer(gazetteer, tmp)
        report = _write_outputs(doc, Path(source), gazetteer, tmp, region)
        report.gazetteer_cached = cached
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out_dir = out_dir
    return report


def _write_outputs(doc: Document, source: Path, gazetteer: Gazetteer, out: Path, region: str) -> BuildReport:
    structure = structure_entries(gazetteer)
    gazetteer = Gazetteer([*gazetteer.entries.values(), *structure], gazetteer.region)
    result = Geoparser(gazetteer).parse(doc)
    places = place_features(doc, result, gazetteer, structure)
    write_json(out / "paragraphs.json", [p.to_dict() for p in doc.paragraphs])
    write_json(out / "mentions.json", [m.to_dict() for m in result.mentions])
    write_json(out / "unresolved.json", [u.to_dict() for u in result.unresolved])
    geojson.write(out / "places.geojson", geojson.collection(places))
    layers = out / "layers"
    layers.mkdir()
    categories = list(dict.fromkeys(f["properties"]["category"] for f in places))
    for category in categories:
        geojson.write(layers / f"{category}.geojson", geojson.collection(
            [f for f in places if f["properties"]["category"] == category]))
    write_gpkg(to_frame(places), out / "planmap.gpkg")
    geojson.write(out / "basemap.geojson", geojson.collection(basemap_features(gazetteer)))
    write_json(out / "document.json", {
        "source": source.name,
        "title": doc.title,
        "date": doc.date,
        "publisher": doc.source,
        "structured": doc.structured,
        "warnings": list(doc.warnings),
        "text_length": len(doc.text),
        "inputs": fingerprint(source, region),
        "region": {"code": gazetteer.region.code, "name": gazetteer.region.name,
                   "centre": list(gazetteer.region.centre), "bounds": list(gazetteer.region.bounds)},
    })
    return BuildReport(out, paragraphs=len(doc.paragraphs), mentions=len(result.mentions),
                       places=len(places), unresolved=len(result.unresolved),
                       warnings=list(doc.warnings))


def _old(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def recover(target: str | Path) -> None:
    """Put the previous build back if a build was killed between the two renames of the swap."""
    target = Path(target)
    if not target.exists() and _old(target).is_dir():
        os.rename(_old(target), target)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; the old build survives until the new one is in
    place, and :func:`recover` restores it if the process dies in between."""
    old = _old(target)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)

"""`planmap build`: run the whole pipeline once and write its outputs atomically.

Everything is written into a fresh temporary directory beside the target and only
then swapped in, so a build that fails or is killed leaves the previous one intact.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from geo.document import Document, load_document
from geo.gazetteer.index import Gazetteer, cache_key, load_gazetteer, save_gazetteer
from geo.geoparser import NOT_PLACES_FILE, Geoparser
from geo.resources import default_build_dir, default_source

from . import geojson
from .export import to_frame, write_gpkg
from .features import basemap_features, place_features
from .structure import structure_entries

__all__ = ["DEFAULT_BUILD_DIR", "DEFAULT_SOURCE", "BuildReport", "build", "changes", "ensure_build", "is_current", "recover"]

LOGGER = logging.getLogger(__name__)
DEFAULT_SOURCE = default_source()
DEFAULT_BUILD_DIR = default_build_dir()
#: What a build remembers of its inputs, so that serving it never mistakes it for a build of something else.
MANIFEST = "manifest.json"


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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_inputs() -> dict:
    """What a build depends on besides its source: the curated data (by hash) and the package versions."""
    return {"not_places": _sha256(NOT_PLACES_FILE), "gazetteer": cache_key(), "planmap": version("planmap")}


def manifest(sources: list[Path]) -> dict:
    """The inputs of a build: each source by absolute path and hash, and :func:`data_inputs`."""
    return {"sources": [{"path": str(s.resolve()), "sha256": _sha256(s)} for s in sources],
            "data": data_inputs()}


def read_manifest(build_dir: str | Path) -> dict | None:
    """The manifest of a complete build in ``build_dir``, or None when there is none."""
    try:
        data = json.loads((Path(build_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "sources" in data and "data" in data else None


def built_sources(build_dir: str | Path) -> list[Path]:
    """The source files the build in ``build_dir`` was made from (empty when there is no build)."""
    found = read_manifest(build_dir)
    return [Path(s["path"]) for s in found["sources"]] if found else []


def changes(build_dir: str | Path, source: str | Path | None = None) -> list[str]:
    """Why the build in ``build_dir`` should be rebuilt; empty when it is current.

    With ``source`` None the build is compared with its *own* inputs: its sources (by the
    paths it recorded) and today's curated data. A recorded source that no longer exists
    is not a reason: the build is all that is left of it. With ``source`` given, a build
    of another text is a reason too.
    """
    found = read_manifest(build_dir)
    if found is None:
        return ["there is no complete build"]
    reasons = []
    recorded = [Path(s["path"]) for s in found["sources"]]
    if source is not None and Path(source).resolve() not in recorded:
        reasons.append(f"it was built from {', '.join(p.name for p in recorded)}, not {Path(source).name}")
    for entry, path in zip(found["sources"], recorded, strict=True):
        if path.is_file() and _sha256(path) != entry["sha256"]:
            reasons.append(f"{path.name} changed")
    now = data_inputs()
    changed = [key for key in now if found["data"].get(key) != now[key]]
    if changed:
        reasons.append(f"the packaged data changed ({', '.join(changed)})")
    return reasons


def is_current(build_dir: str | Path, source: str | Path | None = None) -> bool:
    """Whether ``build_dir`` holds a complete build (of ``source``, if given) with today's data."""
    return not changes(build_dir, source)


def ensure_build(build_dir: str | Path, source: str | Path | None = None) -> BuildReport | None:
    """Rebuild ``build_dir`` if :func:`changes` says so; returns the report of the build made, if any.

    The rebuild reads ``source`` if given, else the text the build was made from, else (no
    build yet) the packaged plan. A build whose source is gone is kept as it is.
    """
    build_dir = Path(build_dir)
    recover(build_dir)
    reasons = changes(build_dir, source)
    if not reasons:
        return None
    recorded = built_sources(build_dir)
    if source is None and recorded and not all(p.is_file() for p in recorded):
        LOGGER.warning("the build in %s is out of date (%s) but its source %s is gone: serving it as built",
                       build_dir, "; ".join(reasons), ", ".join(str(p) for p in recorded))
        return None
    chosen = Path(source) if source is not None else (recorded[0] if recorded else DEFAULT_SOURCE)
    LOGGER.warning("the build in %s is out of date (%s): building from %s", build_dir, "; ".join(reasons), chosen)
    return build(chosen, build_dir)


def build(source: str | Path = DEFAULT_SOURCE, out_dir: str | Path = DEFAULT_BUILD_DIR) -> BuildReport:
    """Read, geoparse and layer ``source`` into ``out_dir``; raises before touching ``out_dir`` on bad input."""
    out_dir = Path(out_dir)
    recover(out_dir)
    doc = load_document(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        gazetteer, cached = load_gazetteer([out_dir])
        save_gazetteer(gazetteer, tmp)
        report = _write_outputs(doc, Path(source), gazetteer, tmp)
        report.gazetteer_cached = cached
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out_dir = out_dir
    return report


def _write_outputs(doc: Document, source: Path, gazetteer: Gazetteer, out: Path) -> BuildReport:
    structure = structure_entries(gazetteer)
    gazetteer = Gazetteer([*gazetteer.entries.values(), *structure])
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
    })
    write_json(out / MANIFEST, manifest([source]))
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

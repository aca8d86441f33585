"""`planmap build`: run the whole pipeline once and write its outputs atomically.

A build holds one or more documents (:mod:`layers.family`); paragraph, mention and
source ids are qualified by the document id, and ``document.json`` lists the documents.

Everything is written into a fresh temporary directory beside the target and only
then swapped in, so a build that fails or is killed leaves the previous one intact.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from geo.errors import DocumentError
from geo.gazetteer.index import Gazetteer, cache_key, load_gazetteer, save_gazetteer
from geo.geoparser import NOT_PLACES_FILE, Geoparser
from geo.intent import analyse

from . import geojson
from .export import to_frame, write_gpkg
from .family import DEFAULT_SOURCE, DocSpec, LazyParser, ParsedDoc, file_hash, qualify, read_family, specs
from .features import basemap_features, place_features
from .structure import structure_entries

__all__ = ["DEFAULT_SOURCE", "DEFAULT_BUILD_DIR", "build", "is_current", "recover", "fingerprint"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUILD_DIR = PROJECT_ROOT / "data" / "build"
#: What the build was made from (paths and hashes); read by :func:`is_current`, never served.
INPUTS = "inputs.json"

Sources = str | Path | Iterable[str | Path] | None


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
    #: ids of the documents read and geoparsed by this build, and of those taken from the cache
    parsed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def fingerprint(sources: Sources) -> dict:
    """What a build depends on: the documents (id, file, content), the curated data and package versions.

    ``planmap serve`` compares it with the build's to rebuild when any of them changed.
    """
    return {
        "documents": [{"id": s.id, "path": str(s.path.resolve()), "sha256": file_hash(s.path)}
                      for s in specs(sources)],
        "not_places": hashlib.sha256(NOT_PLACES_FILE.read_bytes()).hexdigest(),
        "gazetteer": cache_key(),
        "planmap": version("planmap"),
    }


def recorded_sources(build_dir: str | Path) -> list[str] | None:
    """The ``id=path`` sources a build was made from, or None when there is no readable build."""
    try:
        inputs = json.loads((Path(build_dir) / INPUTS).read_text(encoding="utf-8"))
        return [f"{d['id']}={d['path']}" for d in inputs["documents"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_current(build_dir: str | Path, sources: Sources = None) -> bool:
    """Whether ``build_dir`` holds a complete build of ``sources`` with today's data; with no sources,
    whether it is current with the documents it was built from."""
    if sources is None:
        sources = recorded_sources(build_dir)
        if sources is None:
            return False
    try:
        inputs = json.loads((Path(build_dir) / INPUTS).read_text(encoding="utf-8"))
        (Path(build_dir) / "document.json").stat()
        return inputs == fingerprint(sources)
    except (OSError, ValueError, DocumentError):
        return False


def build(sources: Sources = None, out_dir: str | Path = DEFAULT_BUILD_DIR) -> BuildReport:
    """Read, geoparse and layer the documents named by ``sources`` (see :func:`layers.family.specs`;
    the plan alone by default) into ``out_dir``; raises before touching ``out_dir`` on bad input."""
    out_dir = Path(out_dir)
    recover(out_dir)
    family = specs(sources)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        gazetteer, cached = load_gazetteer([out_dir])
        save_gazetteer(gazetteer, tmp)
        report = _write_outputs(family, gazetteer, out_dir, tmp)
        report.gazetteer_cached = cached
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out_dir = out_dir
    return report


def document_record(parsed: ParsedDoc) -> dict:
    """One document's metadata as served: no machine path, only the file name."""
    doc = parsed.doc
    return {
        "id": parsed.id,
        "source": parsed.path.name,
        "format": "pdf" if parsed.path.suffix.lower() == ".pdf" else "text",
        "title": doc.title or parsed.path.stem,
        "date": doc.date,
        "publisher": doc.source,
        "structured": doc.structured,
        "warnings": list(doc.warnings),
        "text_length": len(doc.text),
        "pages": max((p.page or 0 for p in doc.paragraphs), default=0) or None,
        "paragraphs": len(doc.paragraphs),
        "mentions": len(parsed.result.mentions),
        "places": len(parsed.result.places()),
        "unresolved": len(parsed.result.unresolved),
        "sha256": parsed.sha256,
    }


def _write_outputs(family: list[DocSpec], gazetteer: Gazetteer, previous: Path, out: Path) -> BuildReport:
    structure = structure_entries(gazetteer)
    gazetteer = Gazetteer([*gazetteer.entries.values(), *structure])
    docs = read_family(family, LazyParser(lambda: Geoparser(gazetteer)), [previous], out)
    places = place_features(docs, gazetteer, structure)
    write_json(out / "paragraphs.json", [
        {**p.to_dict(), "id": qualify(d.id, p.id), "doc": d.id} for d in docs for p in d.doc.paragraphs])
    write_json(out / "mentions.json", [
        {**m.to_dict(), **i.to_dict(), "paragraph": qualify(d.id, m.paragraph), "doc": d.id}
        for d in docs for m, i in zip(d.result.mentions, analyse(d.doc, d.result.mentions), strict=True)])
    write_json(out / "unresolved.json", _spans(docs, "unresolved"))
    geojson.write(out / "places.geojson", geojson.collection(places))
    layers = out / "layers"
    layers.mkdir()
    categories = list(dict.fromkeys(f["properties"]["category"] for f in places))
    for category in categories:
        geojson.write(layers / f"{category}.geojson", geojson.collection(
            [f for f in places if f["properties"]["category"] == category]))
    documents = [document_record(d) for d in docs]
    write_gpkg(to_frame(places), out / "planmap.gpkg", documents=[d["id"] for d in documents])
    geojson.write(out / "basemap.geojson", geojson.collection(basemap_features(gazetteer)))
    first = documents[0]
    write_json(out / "document.json", {
        **{k: first[k] for k in ("id", "source", "title", "date", "publisher", "structured", "warnings",
                                 "text_length")},
        "documents": documents,
    })
    write_json(out / INPUTS, fingerprint([f"{s.id}={s.path}" for s in family]))
    warnings = [w if len(docs) == 1 else f"{d.id}: {w}" for d in docs for w in d.doc.warnings]
    return BuildReport(out, paragraphs=sum(len(d.doc.paragraphs) for d in docs),
                       mentions=sum(len(d.result.mentions) for d in docs), places=len(places),
                       unresolved=sum(len(d.result.unresolved) for d in docs), warnings=warnings,
                       parsed=[d.id for d in docs if not d.cached], cached=[d.id for d in docs if d.cached])


def _spans(docs: list[ParsedDoc], kind: str) -> list[dict]:
    """Mentions or unresolved spans of every document, each naming its document and qualified paragraph."""
    return [{**span.to_dict(), "paragraph": qualify(d.id, span.paragraph), "doc": d.id}
            for d in docs for span in getattr(d.result, kind)]


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

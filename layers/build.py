"""`planmap build`: run the whole pipeline once and write its outputs atomically.

A build holds one or more documents (:mod:`layers.family`); paragraph, mention and
source ids are qualified by the document id, and ``document.json`` lists the documents.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from geo.gazetteer.index import CACHE_NAME, Gazetteer, cache_key, load_gazetteer, save_gazetteer
from geo.geoparser import NOT_PLACES_FILE, Geoparser
from geo.intent import analyse
from geo.region import DEFAULT_REGION
from geo.resources import default_build_dir

from . import geojson
from .family import (
    DEFAULT_SOURCE,
    DocSpec,
    LazyParser,
    ParsedDoc,
    check_readable,
    file_hash,
    qualify,
    read_family,
    specs,
)
from .features import basemap_features, place_features
from .structure import structure_entries

__all__ = ["DEFAULT_BUILD_DIR", "DEFAULT_SOURCE", "BuildReport", "build", "changes", "ensure_build", "is_current",
           "recover"]

LOGGER = logging.getLogger(__name__)
DEFAULT_BUILD_DIR = default_build_dir()
#: What a build remembers of its inputs, so that serving it never mistakes it for a build of something else.
MANIFEST = "manifest.json"
#: The GeoPackage of a build: the slowest output to write (GeoPandas, GDAL), so reused when its inputs are unchanged.
GPKG = "planmap.gpkg"

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


def data_inputs() -> dict:
    """What a build depends on besides its documents: the curated data (by hash) and the package versions."""
    return {"not_places": file_hash(NOT_PLACES_FILE), "gazetteer": cache_key(), "planmap": version("planmap")}


def manifest(family: list[DocSpec], region: str, outputs: dict[str, dict[str, str | None]]) -> dict:
    """The inputs of a build: each document by id, absolute path and hash, the region, and :func:`data_inputs`;
    ``outputs`` maps an output file to the key of what it was made from (see :func:`gpkg_key`) and its hash."""
    return {"sources": [{"id": s.id, "path": str(s.path.resolve()), "sha256": file_hash(s.path)} for s in family],
            "region": region, "data": data_inputs(), "outputs": outputs}


def read_manifest(build_dir: str | Path) -> dict | None:
    """The manifest of a complete build in ``build_dir``, or None when there is none."""
    try:
        data = json.loads((Path(build_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "sources" in data and "data" in data else None


def built_sources(build_dir: str | Path) -> list[str]:
    """The ``id=path`` documents the build in ``build_dir`` was made from (empty when there is no build)."""
    found = read_manifest(build_dir)
    return [f"{s['id']}={s['path']}" for s in found["sources"]] if found else []


def changes(build_dir: str | Path, sources: Sources = None, region: str | None = None) -> list[str]:
    """Why the build in ``build_dir`` should be rebuilt; empty when it is current.

    With ``sources`` None the build is compared with its *own* inputs: its documents (by the
    paths it recorded) and today's curated data. A recorded document that no longer exists
    is not a reason: the build is all that is left of it. With ``sources`` given, a build
    of other documents is a reason too, and so is ``region`` if given and not the build's.
    """
    found = read_manifest(build_dir)
    if found is None:
        return ["there is no complete build"]
    reasons = []
    recorded = [Path(s["path"]) for s in found["sources"]]
    if sources is not None:
        wanted = [s.path.resolve() for s in specs(sources)]
        if wanted != recorded:
            reasons.append(f"it was built from {', '.join(p.name for p in recorded)}, "
                           f"not {', '.join(p.name for p in wanted)}")
    if region is not None and region != found.get("region", DEFAULT_REGION):
        reasons.append(f"it was built for {found.get('region', DEFAULT_REGION)}, not {region}")
    for entry, path in zip(found["sources"], recorded, strict=True):
        if path.is_file() and file_hash(path) != entry["sha256"]:
            reasons.append(f"{path.name} changed")
    now = data_inputs()
    changed = [key for key in now if found["data"].get(key) != now[key]]
    if changed:
        reasons.append(f"the packaged data changed ({', '.join(changed)})")
    return reasons


def is_current(build_dir: str | Path, sources: Sources = None, region: str | None = None) -> bool:
    """Whether ``build_dir`` holds a complete build (of ``sources`` for ``region``, if given) with today's data."""
    return not changes(build_dir, sources, region)


def ensure_build(build_dir: str | Path, sources: Sources = None) -> BuildReport | None:
    """Rebuild ``build_dir`` if :func:`changes` says so; returns the report of the build made, if any.

    The rebuild reads ``sources`` if given, else the documents the build was made from, else (no
    build yet) the packaged plan. A build whose documents are gone is kept as it is.
    """
    build_dir = Path(build_dir)
    recover(build_dir)
    reasons = changes(build_dir, sources)
    if not reasons:
        return None
    recorded = built_sources(build_dir)
    if sources is None and recorded and not all(Path(r.partition("=")[2]).is_file() for r in recorded):
        LOGGER.warning("the build in %s is out of date (%s) but its documents are gone: serving it as built",
                       build_dir, "; ".join(reasons))
        return None
    chosen = sources if sources is not None else (recorded or None)
    region = (read_manifest(build_dir) or {}).get("region", DEFAULT_REGION)   # the build's own
    LOGGER.warning("the build in %s is out of date (%s): building", build_dir, "; ".join(reasons))
    return build(chosen, build_dir, region)


def build(sources: Sources = None, out_dir: str | Path = DEFAULT_BUILD_DIR, region: str = DEFAULT_REGION) -> BuildReport:
    """Read, geoparse and layer the documents named by ``sources`` (see :func:`layers.family.specs`;
    the plan alone by default) into ``out_dir`` for ``region`` (its prior, projection and map
    centre); raises before touching ``out_dir`` on bad input."""
    out_dir = Path(out_dir)
    recover(out_dir)
    family = specs(sources)
    check_readable(family)   # bad input fails here, in a second, not after the gazetteer is assembled
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        gazetteer, cached = load_gazetteer([out_dir], region)
        if cached:   # the file it was read from is what saving it would write again, byte for byte
            shutil.copyfile(out_dir / CACHE_NAME, tmp / CACHE_NAME)
        else:   # and read back: the cache rounds coordinates, and a build must not depend on whether it was there
            save_gazetteer(gazetteer, tmp)
            gazetteer, _ = load_gazetteer([tmp], region)
        # a previous build's per-document cache holds only for the same region
        same_region = (read_manifest(out_dir) or {}).get("region", DEFAULT_REGION) == gazetteer.region.name
        report = _write_outputs(family, gazetteer, [out_dir] if same_region else [], tmp, region)
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


def _write_outputs(family: list[DocSpec], gazetteer: Gazetteer, previous: list[Path], out: Path,
                   region: str) -> BuildReport:
    structure = structure_entries(gazetteer)
    gazetteer = gazetteer.extended(structure)
    docs = read_family(family, LazyParser(lambda: Geoparser(gazetteer)), previous, out)
    intents = {d.id: analyse(d.doc, d.result.mentions) for d in docs}
    places = place_features(docs, intents, gazetteer, structure)
    write_json(out / "paragraphs.json", [
        {**p.to_dict(), "id": qualify(d.id, p.id), "doc": d.id} for d in docs for p in d.doc.paragraphs])
    write_json(out / "mentions.json", [
        {**m.to_dict(), **i.to_dict(), "paragraph": qualify(d.id, m.paragraph), "doc": d.id}
        for d in docs for m, i in zip(d.result.mentions, intents[d.id], strict=True)])
    write_json(out / "unresolved.json", _spans(docs, "unresolved"))
    geojson.write(out / "places.geojson", geojson.collection(places))
    layers = out / "layers"
    layers.mkdir()
    categories = list(dict.fromkeys(f["properties"]["category"] for f in places))
    for category in categories:
        geojson.write(layers / f"{category}.geojson", geojson.collection(
            [f for f in places if f["properties"]["category"] == category]))
    documents = [document_record(d) for d in docs]
    gpkg = gpkg_key(out / "places.geojson", [d["id"] for d in documents])
    if not _reuse(GPKG, gpkg, previous, out):
        from .export import to_frame, write_gpkg  # GeoPandas and GDAL: imported only when the file is written

        write_gpkg(to_frame(places), out / GPKG, documents=[d["id"] for d in documents])
    geojson.write(out / "basemap.geojson", geojson.collection(basemap_features(gazetteer)))
    first = documents[0]
    write_json(out / "document.json", {
        **{k: first[k] for k in ("id", "source", "title", "date", "publisher", "structured", "warnings",
                                 "text_length")},
        "documents": documents,
        "region": {"code": gazetteer.region.code, "name": gazetteer.region.name,
                   "centre": list(gazetteer.region.centre), "bounds": list(gazetteer.region.bounds)},
    })
    outputs = {GPKG: {"key": gpkg, "sha256": file_hash(out / GPKG)}}
    write_json(out / MANIFEST, manifest(family, gazetteer.region.name, outputs))
    warnings = [w if len(docs) == 1 else f"{d.id}: {w}" for d in docs for w in d.doc.warnings]
    return BuildReport(out, paragraphs=sum(len(d.doc.paragraphs) for d in docs),
                       mentions=sum(len(d.result.mentions) for d in docs), places=len(places),
                       unresolved=sum(len(d.result.unresolved) for d in docs), warnings=warnings,
                       parsed=[d.id for d in docs if not d.cached], cached=[d.id for d in docs if d.cached])


def gpkg_key(places: Path, documents: list[str]) -> str:
    """What the GeoPackage is made from: the features (as written to ``places``), the document ids,
    the code of this package (styles, QGIS project, schema …) and the versions of what writes it."""
    digest = hashlib.sha256(places.read_bytes())
    for part in (json.dumps(documents), *(version(p) for p in ("planmap", "geopandas", "pyogrio"))):
        digest.update(part.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _reuse(name: str, key: str, previous: list[Path], out: Path) -> bool:
    """Copy output ``name`` from a previous build that made it from the same ``key``, if the file is still
    the one that build wrote (a GeoPackage opened and saved in QGIS is not); False when there is none."""
    for directory in previous:
        made = ((read_manifest(directory) or {}).get("outputs") or {}).get(name)
        if (isinstance(made, dict) and made.get("key") == key
                and made.get("sha256") == file_hash(directory / name)):
            shutil.copyfile(directory / name, out / name)
            return True
    return False


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

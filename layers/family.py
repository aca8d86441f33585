"""The documents of one build (a plan family) and the cache that spares re-reading them.

A build reads one or more documents: the city's 建议 (the default, id ``jianyi``), a 纲要,
a district's plan, a news report. Each keeps its own id, which prefixes its paragraph
ids (``jianyi:s3-i9``) so that paragraphs, mentions and sources of several documents
can live in one build. Ids come from the file name or are given as ``id=path``.

Reading and geoparsing a document is cached in the build directory under the hash of
its bytes and of everything the parse depends on, so rebuilding after one document
changed re-parses that document only.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import geo
from geo.document import Document, Paragraph, load_document
from geo.errors import DocumentError
from geo.gazetteer.index import cache_key
from geo.geoparser import NOT_PLACES_FILE, Geoparser, Mention, ParseResult, Unresolved
from geo.resources import data_file

DEFAULT_SOURCE = data_file("source", "zhenjiang-14th-fyp-recommendations.txt")
#: The id of the city's 建议, the document every build holds when none is named.
DEFAULT_ID = "jianyi"
#: Letters (any script), digits, - and _: safe in a URL, a file name and before the ``:`` of a paragraph id.
ID_PATTERN = re.compile(r"^[\w-]{1,40}$")
#: File kinds a folder given as a source contributes.
SUFFIXES = (".txt", ".pdf")
#: Where the per-document cache lives inside a build directory.
CACHE_DIR = "documents"
#: Code whose change changes a parse: part of every cache key.
_PARSER_CODE = ("document.py", "pdf.py", "geoparser.py", "normalise.py", "textio.py")


@dataclass(frozen=True)
class DocSpec:
    """One document of a build: its id and the file it is read from."""

    id: str
    path: Path


@dataclass(frozen=True)
class ParsedDoc:
    """A document read and geoparsed; ``cached`` says whether it came from the cache."""

    id: str
    path: Path
    sha256: str
    doc: Document
    result: ParseResult
    cached: bool = False


def qualify(doc_id: str, pid: str) -> str:
    """The build-wide id of a paragraph: ``jianyi:s3-i9``."""
    return f"{doc_id}:{pid}"


def derive_id(path: Path) -> str:
    """The id a file gets when none is given: its name without suffix, lower-case, runs of
    other characters as ``-`` (the plan's own file is ``jianyi``)."""
    if path.resolve() == DEFAULT_SOURCE.resolve():
        return DEFAULT_ID
    doc_id = re.sub(r"[^\w-]+", "-", path.stem.lower()).strip("-")[:40]
    if not doc_id:
        raise DocumentError(f"{path}: cannot make a document id from the file name; give one as id=path")
    return doc_id


def specs(sources: str | Path | Iterable[str | Path] | None) -> list[DocSpec]:
    """The documents named by ``--source`` values: files, folders (their .txt and .pdf files,
    by name), or ``id=path``; none means the plan alone."""
    if sources is None:
        return [DocSpec(DEFAULT_ID, DEFAULT_SOURCE)]
    if isinstance(sources, (str, Path)):
        sources = [sources]
    out: list[DocSpec] = []
    for source in sources:
        given, path = _split(str(source))
        if path.is_dir():
            if given:
                raise DocumentError(f"{path}: a folder holds several documents; give ids to files, not folders")
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                raise DocumentError(f"{path}: the folder has no .txt or .pdf file")
            out += [DocSpec(derive_id(p), p) for p in files]
        else:
            out.append(DocSpec(given or derive_id(path), path))
    if not out:
        return [DocSpec(DEFAULT_ID, DEFAULT_SOURCE)]
    seen: set[str] = set()
    for spec in out:
        if spec.id in seen:
            raise DocumentError(f"two documents have the id {spec.id!r}; name them with id=path")
        seen.add(spec.id)
    return out


def _split(source: str) -> tuple[str | None, Path]:
    """``id=path`` → (id, path); anything else is a path (``./a=b.txt`` stays a path)."""
    head, sep, tail = source.partition("=")
    if sep and ID_PATTERN.match(head):
        return head, Path(tail)
    return None, Path(source)


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def parser_key() -> str:
    """Everything a parse depends on besides the document: gazetteer, not-places, code, version."""
    digest = hashlib.sha256()
    for part in (cache_key(), NOT_PLACES_FILE.read_bytes(), version("planmap")):
        digest.update(part if isinstance(part, bytes) else str(part).encode())
    geo_dir = Path(geo.__file__).parent
    for name in _PARSER_CODE:
        digest.update((geo_dir / name).read_bytes())
    return digest.hexdigest()


def check_readable(specs_: Sequence[DocSpec]) -> None:
    """Read every document once, so that a missing, empty, undecodable or malformed one is refused
    before anything expensive starts; raises the reader's one-line error."""
    for spec in specs_:
        if file_hash(spec.path) is None:
            raise DocumentError(f"{spec.path}: no such file")
        load_document(spec.path)


def read_family(specs_: Sequence[DocSpec], parser: LazyParser, cache_dirs: Sequence[Path],
                out: Path) -> list[ParsedDoc]:
    """Every document read and geoparsed, from a cache in ``cache_dirs`` when its key is there;
    every parse is saved under ``out``'s cache so the next build finds it."""
    key = parser_key()
    (out / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    parsed = []
    for spec in specs_:
        sha = file_hash(spec.path)
        if sha is None:
            raise DocumentError(f"{spec.path}: no such file")
        name = f"{hashlib.sha256((sha + key).encode()).hexdigest()[:32]}.json"
        hit = next((d / CACHE_DIR / name for d in cache_dirs if (d / CACHE_DIR / name).is_file()), None)
        entry = _load(hit) if hit else None
        cached = entry is not None
        if entry is None:
            doc = load_document(spec.path)
            entry = (doc, parser.get().parse(doc))
        (out / CACHE_DIR / name).write_text(_dumps(*entry), encoding="utf-8")
        parsed.append(ParsedDoc(spec.id, spec.path, sha, entry[0], entry[1], cached=cached))
    return parsed


class LazyParser:
    """The geoparser, built on first use: a build whose documents are all cached never builds its automaton."""

    def __init__(self, make) -> None:
        self._make = make
        self._parser: Geoparser | None = None

    def get(self) -> Geoparser:
        if self._parser is None:
            self._parser = self._make()
        return self._parser



def _dumps(doc: Document, result: ParseResult) -> str:
    document = {
        "text": doc.text, "title": doc.title, "date": doc.date, "source": doc.source, "editor": doc.editor,
        "structured": doc.structured, "warnings": list(doc.warnings),
        "paragraphs": [p.to_dict() for p in doc.paragraphs],
    }
    return json.dumps({"document": document, "mentions": [m.to_dict() for m in result.mentions],
                       "unresolved": [u.to_dict() for u in result.unresolved]}, ensure_ascii=False)


def _load(path: Path) -> tuple[Document, ParseResult] | None:
    """A cached parse, or None when the file is unreadable (it is then parsed again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        d = data["document"]
        doc = Document(d["text"], tuple(Paragraph(**p) for p in d["paragraphs"]), title=d["title"],
                       date=d["date"], source=d["source"], editor=d["editor"], structured=d["structured"],
                       warnings=tuple(d["warnings"]))
        result = ParseResult(tuple(Mention(**m) for m in data["mentions"]),
                             tuple(Unresolved(**u) for u in data["unresolved"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return doc, result

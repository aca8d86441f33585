"""Reading a PDF's text layer into paragraphs, each with the page it starts on.

Plans are published as PDF. pypdf extracts each page's lines; what a reader does not
see as text is then dropped: running headers and footers (a line that recurs at the top
or bottom of most pages, digits ignored, so 第3页 and 第4页 count as the same line) and
lone page numbers. Lines are joined into paragraphs because a PDF has no paragraphs,
only lines: a paragraph ends at a short line, or where the next line opens with a
heading or a numbering (第二章, 一、, （一）, 1.) or with an indent.

A PDF whose pages hold no text (a scan) is refused: there is nothing to geoparse
without OCR, and an empty document would look like a plan that names no places.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from .errors import DocumentError
from .textio import MAX_BYTES

MAGIC = b"%PDF-"
#: Lines looked at for running headers and footers, at each end of a page.
EDGE_LINES = 2
#: A line at a page's edge on at least this share of the pages (and two of them) is a running header/footer.
RUNNING_SHARE = 0.5
#: A line shorter than this share of the page's longest line ends its paragraph.
SHORT_LINE = 0.85
_PAGE_NUMBER = re.compile(r"^[-—–－·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－·\s]*$")
_OPENING = re.compile(
    r"^(?:第[一二三四五六七八九十百]+[篇章节]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,3}[.．、](?!\d)|——)"
)
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")


def is_pdf(path: str | Path) -> bool:
    """Whether a file is a PDF, by its first bytes (a .txt that is a PDF is still a PDF)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def read_pdf(path: str | Path) -> list[tuple[int, str]]:
    """(page number, paragraph text) in reading order; every failure is a :class:`DocumentError`."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES * 4:
        raise DocumentError(f"{path}: {size:,} bytes is too large to be a plan (limit {MAX_BYTES * 4:,} bytes for a PDF)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise DocumentError(f"{path}: the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{path}: cannot read the PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR on it first")
    return paragraphs(pages)


def paragraphs(pages: list[str]) -> list[tuple[int, str]]:
    """Pure: the pages' extracted text → (page, paragraph) with running lines and page numbers dropped."""
    lines = [[line.rstrip() for line in page.splitlines() if line.strip()] for page in pages]
    running = running_lines(lines)
    out: list[tuple[int, str]] = []
    for number, page in enumerate(lines, start=1):
        kept = [line for i, line in enumerate(page) if not _dropped(line, i, len(page), running)]
        blocks = _page_blocks(kept)
        if blocks and out and out[-1][0] == number - 1 and _runs_on(out[-1][1], blocks[0]):
            out[-1] = (out[-1][0], out[-1][1] + blocks.pop(0))
        out.extend((number, text) for text in blocks)
    return out


def _page_blocks(lines: list[str]) -> list[str]:
    """One page's lines joined into paragraphs (Chinese wraps without spaces, so lines join directly)."""
    longest = max((len(line.strip()) for line in lines), default=0)
    blocks: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        current.append(line.strip())
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (nxt is None or len(line.strip()) < SHORT_LINE * longest
                or _OPENING.match(nxt.strip()) or _INDENT.match(nxt)):
            blocks.append("".join(current))
            current = []
    return blocks


def _runs_on(last: str, first: str) -> bool:
    """Whether a page's last paragraph continues as the next page's first: no sentence end, no numbering."""
    return not re.search(r"[。！？；：”」）)]$", last) and not _OPENING.match(first)


def _key(line: str) -> str:
    """A line as compared across pages: width-folded, digits as #, spaces dropped."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)))


def _edges(page: list[str]) -> list[tuple[int, str]]:
    n = len(page)
    return [(i, page[i]) for i in sorted({*range(min(EDGE_LINES, n)), *range(max(0, n - EDGE_LINES), n)})]


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines repeated at the edges of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts = Counter(key for page in pages for key in {_key(line) for _, line in _edges(page)})
    need = max(2, RUNNING_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= need}


def _dropped(line: str, index: int, length: int, running: set[str]) -> bool:
    at_edge = index < EDGE_LINES or index >= length - EDGE_LINES
    return at_edge and (_key(line) in running or bool(_PAGE_NUMBER.match(line.strip())))

"""The plan as a document model: paragraphs with stable ids and offsets.

The source is a scraped news page, so reading it means three things: drop the page
chrome, drop the body's second copy, and recognise the numbering the plan uses
(sections 一、…八、, items 1.…33., ——sub-paragraphs). Every paragraph keeps its text
exactly as written; ``doc.text[p.start:p.end] == p.text`` always holds, which is
what lets mentions, quotes and highlights point into the text by offset.

Other plans of the family (a 纲要, a district's plan) number themselves with
第一篇/第一章/第一节 and, below those, 一、/（一）/1.; such a text is read as an outline
whose paragraph ids are the path of its headings (``ch3-se2-k1``). A PDF is read into
paragraphs by :mod:`geo.pdf` first, and each paragraph keeps the page it starts on.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import DocumentError, NotFound
from .pdf import is_pdf, read_pdf
from .textio import read_text

#: Lines that belong to the news page around the text, never to a document.
_CHROME = re.compile(
    r"""^(?:
        打开APP | 小贴士 | \d+步打开.* | [•·]?\s*点击右上角.* | [•·]?\s*使用浏览器.*
      | template\s+'.*' | \d+\s*条评论 | 来说两句.* | 最热评论 | 最新评论
      | 已有\d+人参与.* | 加载中.* | 表情 | 相关阅读 | \d{1,6}
    )$""",
    re.VERBOSE,
)
_BYLINE = re.compile(r"^编辑[:：]\s*(?P<editor>.+)$")
_SOURCE = re.compile(r"^来源[:：]\s*(?P<source>.+)$")
_DATE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SECTION = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})、")
_ITEM = re.compile(r"^(?P<num>\d{1,3})[.．、](?!\d)")
_SUB = "——"
#: The outline numbering of a 纲要, outermost first: (pattern, paragraph kind, id prefix).
_OUTLINE = (
    (re.compile(r"^第(?P<num>[一二三四五六七八九十]{1,3})篇"), "part", "pt"),
    (re.compile(r"^第(?P<num>[一二三四五六七八九十]{1,3})章"), "chapter", "ch"),
    (re.compile(r"^第(?P<num>[一二三四五六七八九十]{1,3})节"), "section", "se"),
    (re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})、"), "heading", "h"),
    (re.compile(r"^\((?P<num>[一二三四五六七八九十]{1,3})\)"), "subheading", "k"),
    (re.compile(r"^(?P<num>\d{1,3})[.、](?!\d)"), "item", "n"),
)
#: A first paragraph this short without a full stop is the document's title.
_TITLE_MAX = 60

#: How a line that closes a sentence ends (。！？ and a closing quote or bracket after them).
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]?$")
#: A paragraph repeated verbatim at least this long is a scrape artefact, even alone.
_LONG_REPEAT = 40
#: Runs of this many repeated paragraphs are dropped whatever their length.
_RUN_REPEAT = 3

_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document; ``item`` is inherited by sub-paragraphs."""

    id: str
    kind: str
    text: str
    start: int
    end: int
    section: int | None = None
    item: int | None = None
    title: str | None = None
    #: The PDF page the paragraph starts on (1-based); None for a text file.
    page: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """A read document: normalised text plus the paragraphs that tile it."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    date: str | None = None
    source: str | None = None
    editor: str | None = None
    structured: bool = True
    warnings: tuple[str, ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.start for p in self.paragraphs))

    def paragraph(self, pid: str) -> Paragraph:
        for p in self.paragraphs:
            if p.id == pid:
                return p
        raise NotFound(f"no paragraph with id {pid!r}")

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph that contains a document offset (mentions use this)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0 or offset >= self.paragraphs[i].end:
            raise NotFound(f"offset {offset} is not inside any paragraph")
        return self.paragraphs[i]

    @property
    def sections(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "section"]

    @property
    def items(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "item"]


def load_document(path: str | Path) -> Document:
    """Read a text file (any supported encoding) or a PDF with a text layer into a :class:`Document`."""
    if is_pdf(path):
        blocks = read_pdf(path)
        doc = parse_document("\n\n".join(text for _, text in blocks), name=str(path))
        return with_pages(doc, blocks)
    return parse_document(read_text(path), name=str(path))


def with_pages(doc: Document, blocks: list[tuple[int, str]]) -> Document:
    """``doc`` with each paragraph's page, from the (page, text) blocks it was parsed from.

    Paragraphs are the blocks in order, less those the reader dropped (chrome, repeats),
    so one forward walk pairs them; a paragraph without a block keeps the previous page.
    """
    paragraphs = []
    i, page = 0, None
    for p in doc.paragraphs:
        j = i
        while j < len(blocks) and blocks[j][1] != p.text:
            j += 1
        if j < len(blocks):
            page, i = blocks[j][0], j + 1
        paragraphs.append(replace(p, page=page))
    return replace(doc, paragraphs=tuple(paragraphs))


def parse_document(raw: str, *, name: str = "input") -> Document:
    """Parse decoded text. Pure: the same text always gives the same ids and offsets."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    editor = None
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        byline = _BYLINE.match(stripped)
        if byline:
            editor = byline.group("editor")
            kept.append("")
        elif _CHROME.match(stripped):
            kept.append("")
        else:
            kept.append(line.rstrip())
    blocks, dropped = _drop_repeats(_blocks(kept))
    if not blocks:
        raise DocumentError(f"{name}: no text left after removing page chrome")
    warnings = [f"dropped {dropped} paragraphs that repeat earlier text"] if dropped else []
    if any((level := _outline_level(b)) is not None and level[0] < 3 for b in blocks):
        return _outline(blocks, name, editor, warnings)
    if _is_structured(blocks):
        return _structured(blocks, name, editor, warnings)
    warnings.append("no plan numbering (一、 sections with 1. items) found: read as plain paragraphs")
    return _plain(blocks, editor, warnings)


def _blocks(lines: list[str]) -> list[str]:
    """Group non-blank lines into paragraphs, split at blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip() if not current else line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    return blocks


def _drop_repeats(blocks: list[str]) -> tuple[list[str], int]:
    """Drop runs of paragraphs that repeat earlier ones (the scraped body appears twice)."""
    kept: list[str] = []
    first: dict[str, int] = {}
    dropped = 0
    j = 0
    while j < len(blocks):
        block = blocks[j]
        if block in first:
            i, k = first[block], 0
            while j + k < len(blocks) and i + k < len(kept) and kept[i + k] == blocks[j + k]:
                k += 1
            if k >= _RUN_REPEAT or len(block) >= _LONG_REPEAT:
                dropped += k
                j += k
                continue
        first.setdefault(block, len(kept))
        kept.append(block)
        j += 1
    return kept, dropped


def _fold_prefix(text: str) -> str:
    """Fold full-width digits and dots of a paragraph's opening for numbering detection only."""
    return unicodedata.normalize("NFKC", text[:8])


def _section_number(text: str) -> int | None:
    m = _SECTION.match(text)
    return _chinese_number(m.group("num")) if m else None


def _item_number(text: str) -> int | None:
    m = _ITEM.match(_fold_prefix(text))
    return int(m.group("num")) if m else None


def _chinese_number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _NUMERALS[numeral[1]]
    if numeral.endswith("十"):
        return 10 * _NUMERALS[numeral[0]]
    if "十" in numeral:
        return 10 * _NUMERALS[numeral[0]] + _NUMERALS[numeral[2]]
    return _NUMERALS[numeral]


def _is_structured(blocks: list[str]) -> bool:
    has_section = any(_section_number(b) for b in blocks)
    has_item = any(_item_number(b) for b in blocks)
    return has_section and has_item


def _item_title(text: str) -> str:
    """The item's heading: its first sentence, after the number (9.加快市域一体发展。… → 加快市域一体发展)."""
    body = re.sub(r"^\s*[0-9０-９]{1,3}[.．、]\s*", "", text, count=1)
    return body.split("。", 1)[0]


class _Assembler:
    """Accumulates paragraphs and the joined text so offsets are right by construction."""

    SEP = "\n\n"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.paragraphs: list[Paragraph] = []
        self.length = 0

    def add(self, pid: str, kind: str, text: str, **fields) -> None:
        if self.parts:
            self.parts.append(self.SEP)
            self.length += len(self.SEP)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.paragraphs.append(Paragraph(pid, kind, text, start, self.length, **fields))

    def text(self) -> str:
        return "".join(self.parts)


def _structured(blocks: list[str], name: str, editor: str | None, warnings: list[str]) -> Document:
    out = _Assembler()
    title = date = source = None
    section = item = None
    expected_section, expected_item = 1, 1
    subs = intros = closings = preambles = 0
    last_item = max(n for b in blocks if (n := _item_number(b)) is not None)
    for index, block in enumerate(blocks):
        sec_no, item_no = _section_number(block), _item_number(block)
        date_match = _DATE.match(block)
        source_match = _SOURCE.match(block)
        if sec_no is not None:
            if sec_no != expected_section:
                raise DocumentError(
                    f"{name}: section numbering jumps from {expected_section - 1} to {sec_no} "
                    f"at {block[:20]!r}"
                )
            expected_section += 1
            section, item, intros = sec_no, None, 0
            out.add(f"s{sec_no}", "section", block, section=sec_no, title=block.split("、", 1)[1])
        elif item_no is not None and section is not None:
            if item_no != expected_item:
                raise DocumentError(
                    f"{name}: item numbering jumps from {expected_item - 1} to {item_no} "
                    f"at {block[:20]!r} (expected {expected_item})"
                )
            expected_item += 1
            item, subs = item_no, 0
            out.add(f"s{section}-i{item}", "item", block, section=section, item=item,
                    title=_item_title(block))
        elif source_match and section is not None:
            source = source_match.group("source")
            out.add("source", "source", block)
        elif section is None:
            if date is None and date_match:
                date = date_match.group("date")
                out.add("date", "date", block)
            elif title is None and index + 1 < len(blocks) and _DATE.match(blocks[index + 1]):
                title = block
                out.add("title", "title", block)
            else:
                preambles += 1
                pid = "preamble" if preambles == 1 else f"preamble-{preambles}"
                out.add(pid, "preamble", block)
        elif item is None:
            intros += 1
            pid = f"s{section}-intro" if intros == 1 else f"s{section}-intro-{intros}"
            out.add(pid, "intro", block, section=section)
        elif item == last_item and not block.startswith(_SUB):
            closings += 1
            pid = "closing" if closings == 1 else f"closing-{closings}"
            out.add(pid, "closing", block)
        else:
            subs += 1
            out.add(f"s{section}-i{item}-p{subs}", "sub", block, section=section, item=item)
    return Document(out.text(), tuple(out.paragraphs), title=title, date=date, source=source,
                    editor=editor, structured=True, warnings=tuple(warnings))


def _plain(blocks: list[str], editor: str | None, warnings: list[str]) -> Document:
    out = _Assembler()
    paragraphs = [part for block in blocks for part in _lines_as_paragraphs(block)]
    for n, paragraph in enumerate(paragraphs, start=1):
        out.add(f"p{n}", "text", paragraph)
    return Document(out.text(), tuple(out.paragraphs), editor=editor, structured=False,
                    warnings=tuple(warnings))


def _lines_as_paragraphs(block: str) -> list[str]:
    """A block's lines as paragraphs of their own when they end as sentences do (news pasted with one
    line per paragraph); a block whose lines break mid-sentence (text hard-wrapped, as from a PDF) is
    one paragraph."""
    lines = block.split("\n")
    if len(lines) > 1 and sum(bool(_SENTENCE_END.search(line)) for line in lines) >= 0.8 * len(lines):
        return lines
    return [block]


def _outline_level(text: str) -> tuple[int, str, str, int] | None:
    """(depth, kind, id prefix, number) of a heading of the 纲要 numbering, or None for body text."""
    folded = _fold_prefix(text)
    for depth, (pattern, kind, prefix) in enumerate(_OUTLINE):
        m = pattern.match(folded)
        if m:
            num = m.group("num")
            return depth, kind, prefix, int(num) if num.isdigit() else _chinese_number(num)
    return None


def _heading_title(text: str) -> str:
    """A heading's words after its number (第三章　产业强市 → 产业强市), up to the first full stop."""
    folded = _fold_prefix(text)
    cut = next(m.end() for pattern, _, _ in _OUTLINE if (m := pattern.match(folded)))
    # NFKC keeps the length of these openings except full-width forms, which fold one to one
    return text[cut:].strip(" \u3000").split("。", 1)[0]


def _outline(blocks: list[str], name: str, editor: str | None, warnings: list[str]) -> Document:
    """A 纲要-style text: each heading opens a level, ids are the path of open headings."""
    out = _Assembler()
    title = date = None
    stack: list[tuple[int, str]] = []   # (depth, "ch3")
    body = preambles = chapter = 0
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        level = _outline_level(block)
        if level is not None:
            depth, kind, prefix, number = level
            stack = [s for s in stack if s[0] < depth] + [(depth, f"{prefix}{number}")]
            pid = "-".join(part for _, part in stack)
            if pid in seen:
                raise DocumentError(f"{name}: the numbering repeats {pid!r} at {block[:20]!r}")
            seen.add(pid)
            chapter = number if kind == "chapter" else chapter
            body = 0
            out.add(pid, kind, block, section=chapter or None, title=_heading_title(block))
        elif not stack:
            if date is None and (date_match := _DATE.match(block)):
                date = date_match.group("date")
                out.add("date", "date", block)
            elif title is None and index == 0 and len(block) <= _TITLE_MAX and "。" not in block:
                title = block
                out.add("title", "title", block)
            else:
                preambles += 1
                out.add("preamble" if preambles == 1 else f"preamble-{preambles}", "preamble", block)
        else:
            body += 1
            out.add(f"{'-'.join(part for _, part in stack)}-p{body}", "text", block, section=chapter or None)
    return Document(out.text(), tuple(out.paragraphs), title=title, date=date, editor=editor,
                    structured=True, warnings=tuple(warnings))

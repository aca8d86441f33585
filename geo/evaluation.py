"""Scoring a geoparser against hand-made gold lists: library code for tests and benchmarks.

Two gold formats, both made by reading a text, never from the geoparser's output:

* the plan's list (``tests/data/plan_places.csv``): one row per occurrence, located by
  paragraph, surface and occurrence number (:func:`load_gold`);
* a held-out text's list (``<name>.gold.csv`` beside ``<name>.txt``): rows in reading order,
  each located at the first occurrence of its surface after the previous row
  (:func:`load_sequential_gold`), with a ``scope`` saying where the place lies.

Rows whose category or scope is ``skip`` mark strings a reader might take for places but
that are not (idioms, programme names, product names); they are scored neither way.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .document import Document

#: Scopes of held-out gold rows: inside the region, outside it, the region's own name, not scored.
SCOPES = ("zj", "out", "self", "skip")


@dataclass(frozen=True)
class GoldMention:
    """A place reference at ``text[start:end]``; ``canonical`` lists the names a right answer
    may carry (``|``-separated: 沪宁城际|沪宁城际铁路)."""

    start: int
    end: int
    surface: str
    canonical: str
    category: str
    scope: str = ""

    @property
    def names(self) -> set[str]:
        return set(self.canonical.split("|"))


def _group(doc: Document, key: str) -> list:
    """Paragraphs a gold ``para`` key covers: ``i9`` = item 9 and its sub-paragraphs."""
    if key.startswith("i") and key[1:].isdigit():
        return [p for p in doc.paragraphs if p.item == int(key[1:]) and p.kind in ("item", "sub")]
    return [doc.paragraph(key)]


def load_gold(doc: Document, path: Path) -> list[GoldMention]:
    """The plan's gold list: rows located by paragraph, surface and occurrence number."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            occurrences = [p.start + i for p in _group(doc, row["para"])
                           for i in _find_all(p.text, row["surface"])]
            start = occurrences[int(row["occurrence"]) - 1]
            out.append(GoldMention(start, start + len(row["surface"]), row["surface"],
                                   row["canonical"], row["category"]))
    return out


def load_sequential_gold(text: str, path: Path) -> list[GoldMention]:
    """A held-out gold list: rows in reading order, each found after the previous one.

    Raises ValueError naming the row when a surface is not found, so a gold list that
    drifts from its text fails loudly instead of scoring the wrong span.
    """
    out: list[GoldMention] = []
    cursor = 0
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            start = text.find(row["surface"], cursor)
            if start < 0:
                raise ValueError(f"{path.name} line {n}: {row['surface']!r} not found after offset {cursor}")
            if row["scope"] not in SCOPES:
                raise ValueError(f"{path.name} line {n}: scope must be one of {', '.join(SCOPES)}")
            end = start + len(row["surface"])
            category = "skip" if row["scope"] == "skip" else row["kind"]
            out.append(GoldMention(start, end, row["surface"], row["canonical"], category, row["scope"]))
            cursor = end
    return out


def _find_all(text: str, sub: str) -> list[int]:
    found, i = [], text.find(sub)
    while i >= 0:
        found.append(i)
        i = text.find(sub, i + 1)
    return found


@dataclass
class Score:
    gold: int
    system: int
    found: int       # system spans that overlap a gold mention
    correct: int     # gold mentions matched by a span resolved to the gold place
    true_positive: int
    misses: list = field(default_factory=list)
    false: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.true_positive / self.system if self.system else 0.0


Span = tuple[int, int, set[str]]


def score(gold: list[GoldMention], spans: list[Span]) -> Score:
    """Score a system's ``spans``: (start, end, every name of the place it resolved to).

    A span is right when it overlaps a gold span and one of the gold canonical names is one
    of the place's names. Overlap, not equality, because where a name ends is a convention
    (宁镇扬一体化 or 宁镇扬, 省道S122 or S122) while which place it means is the question.
    A span that resolves a nested prefix (南京 in 南京南站 → 南京市) overlaps the gold
    mention with the wrong place, so it is wrong. Each gold mention is matched once; system
    spans on ``skip`` rows are not counted.
    """
    scored = [g for g in gold if g.category != "skip"]
    skipped = [g for g in gold if g.category == "skip"]
    system = [s for s in spans if not any(_overlap(s, g) for g in skipped)]
    matched: set[GoldMention] = set()
    found, false = 0, []
    for span in system:
        hits = [g for g in scored if _overlap(span, g) and g not in matched]
        found += bool(hits)
        right = [g for g in hits if g.names & span[2]]
        if right:
            matched.add(right[0])
        else:
            false.append((span[0], span[1], sorted(span[2])))
    misses = [g for g in scored if g not in matched]
    return Score(len(scored), len(system), found, len(matched), len(system) - len(false), misses, false)


def _overlap(span: tuple, g: GoldMention) -> bool:
    return span[0] < g.end and g.start < span[1]

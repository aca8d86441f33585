"""The hand-made gold list of the plan's place references, and scoring against it.

``tests/data/plan_places.csv`` was made by reading the plan, independently of the code:
one row per occurrence (paragraph, surface, occurrence number, canonical place).
Rows of category ``skip`` mark strings a reader might take for places but that are not
(idioms, programme names); they are scored neither way.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geo.document import Document

GOLD_FILE = Path(__file__).resolve().parent / "data" / "plan_places.csv"


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    surface: str
    canonical: str
    category: str


def _group(doc: Document, key: str) -> list:
    """Paragraphs a gold ``para`` key covers: ``i9`` = item 9 and its sub-paragraphs."""
    if key.startswith("i") and key[1:].isdigit():
        return [p for p in doc.paragraphs if p.item == int(key[1:]) and p.kind in ("item", "sub")]
    return [doc.paragraph(key)]


def load_gold(doc: Document, path: Path = GOLD_FILE) -> list[GoldMention]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            occurrences = [p.start + i for p in _group(doc, row["para"])
                           for i in _find_all(p.text, row["surface"])]
            start = occurrences[int(row["occurrence"]) - 1]
            out.append(GoldMention(start, start + len(row["surface"]), row["surface"],
                                   row["canonical"], row["category"]))
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
    found: int       # gold mentions found at the same span
    correct: int     # … and resolved to the gold place
    true_positive: int
    misses: list
    false: list

    @property
    def recall(self) -> float:
        return self.correct / self.gold

    @property
    def precision(self) -> float:
        return self.true_positive / self.system if self.system else 0.0


def score(gold: list[GoldMention], spans: list[tuple[int, int, set[str]]]) -> Score:
    """Score a system's ``spans``: (start, end, every name of the place it resolved to).

    A span is right when it overlaps a gold span and the gold canonical name is one of
    the place's names. Overlap, not equality, because where a name ends is a convention
    (宁镇扬一体化 or 宁镇扬, 省道S122 or S122) while which place it means is the question.
    Each gold mention is matched once; system spans on ``skip`` rows are not counted.
    """
    scored = [g for g in gold if g.category != "skip"]
    skipped = [g for g in gold if g.category == "skip"]
    system = [s for s in spans if not any(_overlap(s, g) for g in skipped)]
    matched: set[GoldMention] = set()
    found, false = 0, []
    for span in system:
        hits = [g for g in scored if _overlap(span, g) and g not in matched]
        found += bool(hits)
        right = [g for g in hits if g.canonical in span[2]]
        if right:
            matched.add(right[0])
        else:
            false.append((span[0], span[1], sorted(span[2])))
    misses = [g for g in scored if g not in matched]
    return Score(len(scored), len(system), found, len(matched), len(system) - len(false), misses, false)


def _overlap(span: tuple, g: GoldMention) -> bool:
    return span[0] < g.end and g.start < span[1]

"""The hand-made stage/action gold lists (``tests/data/intent_gold.csv`` and the held-out
``intent_heldout_gold.csv``; how they were made: ``tests/data/intent_gold.md``) and scoring
any labelling against them.

A labelling is a mapping from a mention's document start offset to ``(stage, actions)``;
a gold mention the labelling lacks counts as wrong on every measure.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo.intent import ACTIONS

DATA = Path(__file__).resolve().parent / "data"
PLAN_GOLD = DATA / "intent_gold.csv"
HELDOUT_TEXT = DATA / "intent_heldout.txt"
HELDOUT_GOLD = DATA / "intent_heldout_gold.csv"

Labels = Mapping[int, tuple[str, tuple[str, ...]]]


@dataclass(frozen=True)
class GoldIntent:
    paragraph: str
    surface: str
    start: int
    stage: str
    actions: tuple[str, ...]


def load_intent_gold(path: Path = PLAN_GOLD) -> list[GoldIntent]:
    with path.open(encoding="utf-8", newline="") as f:
        return [GoldIntent(r["paragraph"], r["surface"], int(r["start"]), r["stage"],
                           tuple(a for a in r["actions"].split(";") if a))
                for r in csv.DictReader(f)]


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class IntentScore:
    total: int
    stage_correct: int
    actions_exact: int
    labels: dict[str, LabelScore] = field(default_factory=dict)
    errors: list[tuple[GoldIntent, tuple[str, tuple[str, ...]] | None]] = field(default_factory=list)

    @property
    def stage_accuracy(self) -> float:
        return self.stage_correct / self.total

    @property
    def micro(self) -> LabelScore:
        return LabelScore(sum(s.tp for s in self.labels.values()), sum(s.fp for s in self.labels.values()),
                          sum(s.fn for s in self.labels.values()))


def score_intents(gold: list[GoldIntent], labels: Labels) -> IntentScore:
    result = IntentScore(len(gold), 0, 0, {a: LabelScore() for a in ACTIONS})
    for g in gold:
        got = labels.get(g.start)
        stage, actions = got if got is not None else ("", ())
        result.stage_correct += stage == g.stage
        result.actions_exact += set(actions) == set(g.actions)
        for a in ACTIONS:
            s = result.labels[a]
            s.tp += a in actions and a in g.actions
            s.fp += a in actions and a not in g.actions
            s.fn += a not in actions and a in g.actions
        if got is None or stage != g.stage or set(actions) != set(g.actions):
            result.errors.append((g, got))
    return result

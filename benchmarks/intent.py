"""Stage and action of each mention (geo/intent.py) against the hand-made gold lists, beside a baseline.

Two texts: the plan (gold list ``tests/data/intent_gold.csv``, the development set the rules were
written against) and a held-out text written in the plan's style (``tests/data/intent_heldout.txt``
with its own gold list), on which the rules were never tuned. Spans are the geoparser's mentions
(gazetteer + the plan's structure, as ``layers/build.py`` parses), so both systems label the same
mentions. The baseline labels every mention of section 一 ``done`` and every other ``planned``, with
no action (its action precision is undefined, reported as 0).

Run: ``python3 benchmarks/intent.py [--json PATH] [--errors]``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.intent_gold is not installed

from geo.document import Document, load_document  # noqa: E402
from geo.gazetteer.index import Gazetteer, load_gazetteer  # noqa: E402
from geo.geoparser import Geoparser, Mention  # noqa: E402
from geo.intent import ACTIONS, Intent, analyse  # noqa: E402
from layers.build import DEFAULT_BUILD_DIR, DEFAULT_SOURCE  # noqa: E402
from layers.structure import structure_entries  # noqa: E402
from tests.intent_gold import (  # noqa: E402
    HELDOUT_GOLD,
    HELDOUT_TEXT,
    PLAN_GOLD,
    GoldIntent,
    IntentScore,
    Labels,
    load_intent_gold,
    score_intents,
)

TEXTS = {"plan (development set)": (DEFAULT_SOURCE, PLAN_GOLD), "held-out text": (HELDOUT_TEXT, HELDOUT_GOLD)}


def baseline(doc: Document, mentions: tuple[Mention, ...]) -> Labels:
    return {m.start: ("done" if doc.paragraph(m.paragraph).section == 1 else "planned", ()) for m in mentions}


def by_rule(gold: list[GoldIntent], intents: dict[int, Intent]) -> str:
    """How often each action rule gives exactly the gold action set (the rules' confidences are priors)."""
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for g in gold:
        intent = intents[g.start]
        total[intent.action_rule] += 1
        right[intent.action_rule] += set(intent.actions) == set(g.actions)
    return "; ".join(f"{rule} {right[rule]}/{n}" for rule, n in total.most_common())


def row(name: str, s: IntentScore) -> dict:
    return {"system": name, "mentions": s.total, "stage_accuracy": s.stage_accuracy,
            "actions_exact": s.actions_exact / s.total,
            "action_precision": s.micro.precision, "action_recall": s.micro.recall, "action_f1": s.micro.f1,
            "labels": {a: {"precision": v.precision, "recall": v.recall, "f1": v.f1, "gold": v.tp + v.fn}
                       for a, v in s.labels.items()}}


def table(title: str, rows: list[dict]) -> str:
    lines = [f"### {title} ({rows[0]['mentions']} mentions)", "",
             "| system | stage accuracy | action sets exact | action P | action R | action F1 | "
             + " | ".join(f"{a} P/R" for a in ACTIONS) + " |",
             "|---" * (6 + len(ACTIONS)) + "|"]
    for r in rows:
        per = " | ".join(f"{v['precision']:.2f}/{v['recall']:.2f}" for v in r["labels"].values())
        lines.append(f"| {r['system']} | {r['stage_accuracy']:.1%} | {r['actions_exact']:.1%} | "
                     f"{r['action_precision']:.1%} | {r['action_recall']:.1%} | {r['action_f1']:.1%} | {per} |")
    gold = " · ".join(f"{a} {v['gold']}" for a, v in rows[0]["labels"].items())
    return "\n".join(lines + ["", f"Gold mentions per action: {gold}."])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list planmap's disagreements with the gold lists")
    args = parser.parse_args(argv)
    gazetteer, _ = load_gazetteer([DEFAULT_BUILD_DIR])
    geoparser = Geoparser(Gazetteer([*gazetteer.entries.values(), *structure_entries(gazetteer)]))
    report = {}
    for title, (source, gold_path) in TEXTS.items():
        doc = load_document(source)
        mentions = geoparser.parse(doc).mentions
        gold = load_intent_gold(gold_path)
        intents = {m.start: i for m, i in zip(mentions, analyse(doc, mentions), strict=True)}
        ours = score_intents(gold, {start: (i.stage, i.actions) for start, i in intents.items()})
        rows = [row("planmap", ours), row("baseline (section 一 done, else planned, no action)",
                                         score_intents(gold, baseline(doc, mentions)))]
        report[title] = rows
        print(table(title, rows) + f"\n\nplanmap's action rules, exact action sets / mentions: {by_rule(gold, intents)}.\n")
        if args.errors:
            for g, got in ours.errors:
                print(f"  {g.paragraph} {g.surface}@{g.start}: gold {g.stage}/{','.join(g.actions) or '-'}, "
                      f"planmap {got[0] if got else '?'}/{','.join(got[1]) if got else '?'}")
            print()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

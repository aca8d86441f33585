"""Recall and precision of the geoparser against the hand-made gold list (tests/data/plan_places.csv)."""
from __future__ import annotations

import json

from geo.evaluation import load_gold, score
from tests.common import DATA

GOLD_FILE = DATA / "plan_places.csv"


def test_recall_and_precision_on_the_plan(plan, build_dir):
    mentions = json.loads((build_dir / "mentions.json").read_text(encoding="utf-8"))
    places = json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))["features"]
    names = {f["id"]: {f["properties"]["name"], *f["properties"]["aliases"]} for f in places}
    result = score(load_gold(plan, GOLD_FILE), [(m["start"], m["end"], names[m["place"]]) for m in mentions])
    assert result.gold >= 200
    assert result.recall >= 0.97, [(m.surface, m.canonical) for m in result.misses]
    assert result.precision >= 0.97, result.false


def test_nothing_left_unresolved_in_the_plan(build_dir):
    assert json.loads((build_dir / "unresolved.json").read_text(encoding="utf-8")) == []


def test_gold_rows_point_at_their_surface(plan):
    for g in load_gold(plan, GOLD_FILE):
        assert plan.text[g.start:g.end] == g.surface

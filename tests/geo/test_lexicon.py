"""Fast text helpers against the plain definitions they stand for."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.lexicon import PLACE_LIKE, place_like_spans
from geo.normalise import _TABLE, fold

ROOT = Path(__file__).resolve().parents[2]
#: Characters that make place-like spans, and the ones that break them.
ALPHABET = list("镇街道港区产业园科技园片区新城高新区开发区示范区集聚区创新社区铁路城际高铁高速大桥南京丹阳的和") + list(
    "GS0123 。，、国道省道")


def regex_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLACE_LIKE.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_place_like_spans_are_the_expressions_spans(text):
    assert place_like_spans(text) == regex_spans(text)


def test_place_like_spans_on_the_plan_and_the_development_texts():
    paths = [*ROOT.glob("data/source/*.txt"), *ROOT.glob("tests/data/dev/*.txt")]
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 100
    assert sum(len(regex_spans(line)) for line in lines) > 500  # the texts do hold such spans
    assert all(place_like_spans(line) == regex_spans(line) for line in lines)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=[*ALPHABET, "鎮", "江", "ｇ", "３", "a", "z", "，", "\u3000", "Ｇ"], max_size=60))
def test_fold_is_the_tables_translation(text):
    assert fold(text) == text.translate(_TABLE) and len(fold(text)) == len(text)


def test_fold_on_the_plan():
    text = next(ROOT.glob("data/source/*.txt")).read_text(encoding="utf-8")
    assert fold(text) == text.translate(_TABLE) != text  # the plan holds characters to fold

from __future__ import annotations

import pytest

import json

from geo.document import load_document
from layers.build import build
from tests.common import PLAN


@pytest.fixture(scope="session")
def plan():
    """The real plan, read once per test session."""
    return load_document(PLAN)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    """One real build of the plan, shared by every test that only reads it."""
    out = tmp_path_factory.mktemp("build") / "build"
    build(PLAN, out)
    return out


@pytest.fixture(scope="session")
def places(build_dir):
    """The built places.geojson features, by id."""
    fc = json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))
    return {f["id"]: f for f in fc["features"]}

from __future__ import annotations

import pytest

from geo.gazetteer.index import load_gazetteer
from geo.geoparser import Geoparser


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory):
    gaz, _ = load_gazetteer([])
    return gaz


@pytest.fixture(scope="session")
def parser(gazetteer):
    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def parsed(parser, plan):
    return parser.parse(plan)

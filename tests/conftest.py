from __future__ import annotations

import pytest

from geo.document import load_document
from tests.common import PLAN


@pytest.fixture(scope="session")
def plan():
    """The real plan, read once per test session."""
    return load_document(PLAN)

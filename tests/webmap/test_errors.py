"""Each planmap error class answers with its HTTP status; geo itself knows no HTTP."""
from __future__ import annotations

import pytest

from geo import errors
from webmap.errors import http_status


@pytest.mark.parametrize("cls, status", [
    (errors.BadInput, 400), (errors.DocumentError, 400), (errors.AmbiguousPlace, 400),
    (errors.NotFound, 404), (errors.PlaceNotFound, 404),
    (errors.DataError, 500), (errors.PlanmapError, 500),
])
def test_http_status(cls, status):
    assert http_status(cls("x")) == status


def test_geo_errors_carry_no_http_status():
    assert not any(hasattr(cls, "status") for cls in vars(errors).values() if isinstance(cls, type))

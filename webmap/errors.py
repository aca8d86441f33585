"""HTTP statuses of the error classes of :mod:`geo.errors`: the web's view of planmap's failures."""
from __future__ import annotations

from geo.errors import BadInput, NotFound, PlanmapError

#: Most specific class first; anything else is a defect of the server (500).
STATUSES: tuple[tuple[type[PlanmapError], int], ...] = (
    (NotFound, 404),
    (BadInput, 400),
)


def http_status(exc: PlanmapError) -> int:
    """The status an API answer carries for ``exc``."""
    return next((status for cls, status in STATUSES if isinstance(exc, cls)), 500)

"""Error types shared by every planmap package.

Each error carries a one-line message meant for a person and a short code; the CLI
prints the message, and the web map maps each class to an HTTP status (webmap/errors.py),
so both report the same failure the same way. Nothing here knows about HTTP.
"""
from __future__ import annotations


class PlanmapError(Exception):
    """Base class: a failure whose message is safe to show to a user."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(PlanmapError):
    """The input (a file, a query value) cannot be used as given."""

    code = "bad-input"


class DocumentError(BadInput):
    """A source document cannot be read as text or has a broken structure."""

    code = "bad-document"


class NotFound(PlanmapError):
    """A paragraph, place or feature id that does not exist."""

    code = "not-found"


class PlaceNotFound(NotFound):
    code = "place-not-found"


class AmbiguousPlace(BadInput):
    """A name that resolves to several places and no context decides between them."""

    code = "ambiguous-place"


class DataError(PlanmapError):
    """A packaged or curated dataset is missing or inconsistent: a defect of the install, not of the request."""

    code = "data-error"

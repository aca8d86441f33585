"""Error types shared by every planmap package.

Each error carries a one-line message meant for a person and the HTTP status the
web API answers with, so that the CLI and the API report the same failure the same way.
"""
from __future__ import annotations


class PlanmapError(Exception):
    """Base class: a failure whose message is safe to show to a user."""

    status = 500
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(PlanmapError):
    """The input (a file, a query value) cannot be used as given."""

    status = 400
    code = "bad-input"


class DocumentError(BadInput):
    """A source document cannot be read as text or has a broken structure."""

    code = "bad-document"


class NotFound(PlanmapError):
    """A paragraph, place or feature id that does not exist."""

    status = 404
    code = "not-found"


class PlaceNotFound(NotFound):
    code = "place-not-found"


class AmbiguousPlace(BadInput):
    """A name that resolves to several places and no context decides between them."""

    code = "ambiguous-place"


class DataError(PlanmapError):
    """A packaged or curated dataset is missing or inconsistent: a defect of the install, not of the request."""

    code = "data-error"

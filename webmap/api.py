"""The HTTP API as plain functions: (store, query arguments) in, JSON-able body out.

No Flask here, so the same functions can be called from tests, the CLI or another
framework; errors are raised as :mod:`geo.errors` types and mapped to one JSON shape
by the app.
"""
from __future__ import annotations

from .store import Store


def list_paragraphs(store: Store) -> dict:
    return {"document": store.document, "paragraphs": list(store.paragraphs)}


def get_paragraph(store: Store, pid: str) -> dict:
    return store.paragraph(pid)

"""The explorer: Flask app, Folium map, HTTP API and the ``planmap`` command line.

``create_app`` is imported on first use, so the command line (``webmap.cli``) starts
without loading Flask, pygeoapi and the map.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

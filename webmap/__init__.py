"""The explorer: Flask app, Folium map, HTTP API and the ``planmap`` command line."""
from .app import create_app

__all__ = ["create_app"]

"""Flask application factory: no module-level app, no configuration read at import time."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from geo.errors import PlanmapError
from layers.build import build

from . import api
from .settings import resolve
from .store import Store

LOGGER = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the app from settings (see :mod:`webmap.settings`); builds the data first if needed."""
    settings = resolve(config)
    build_dir = settings["build_dir"]
    if settings["auto_build"] and not (build_dir / "paragraphs.json").exists():
        LOGGER.warning("no build in %s: building from %s", build_dir, settings["source"])
        build(settings["source"], build_dir)
    store = Store.load(build_dir)

    app = Flask(__name__)
    app.config["PLANMAP"] = settings
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    @app.errorhandler(PlanmapError)
    def planmap_error(exc: PlanmapError):
        return error_response(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_response(exc.code or 500, exc.description or exc.name)

    @app.get("/api/paragraphs")
    def paragraphs():
        return jsonify(api.list_paragraphs(store))

    @app.get("/api/paragraphs/<pid>")
    def paragraph(pid: str):
        return jsonify(api.get_paragraph(store, pid))

    return app


def error_response(status: int, message: str):
    """The one error shape of the API: ``{"ok": false, "status": …, "error": …}``."""
    response = jsonify({"ok": False, "status": status, "error": message})
    response.status_code = status
    return response

"""Flask application factory: no module-level app, no configuration read at import time."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, jsonify, render_template, request, send_from_directory
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from geo.errors import PlanmapError
from layers import cartography
from layers.build import ensure_build, recover
from layers.export import FILTERS

from . import api, cache, security
from .errors import http_status
from .i18n import DEFAULT, LANGUAGES, catalogue
from .map import build_map, render_parts
from .ogcapi import register_ogcapi
from .openapi import openapi_document
from .settings import resolve
from .store import REQUIRED, Store

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app from settings (see :mod:`webmap.settings`); builds the data first if needed."""
    settings = resolve(config)
    build_dir = settings["build_dir"]
    recover(build_dir)
    if settings["auto_build"]:
        ensure_build(build_dir, settings["source"])
    store = Store.load(build_dir)

    app = Flask(__name__)
    app.config["PLANMAP"] = settings
    app.json = DefaultJSONProvider(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.url_map.merge_slashes = False   # /api/features//x is no feature, not a redirect to /api/features/x

    @app.errorhandler(PlanmapError)
    def planmap_error(exc: PlanmapError):
        return error_response(http_status(exc), exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = error_response(exc.code or 500, exc.description or exc.name)
        if isinstance(exc, MethodNotAllowed):   # RFC 9110: a 405 says which methods the resource has
            response.headers["Allow"] = ", ".join(exc.valid_methods or ())
        return response

    pages = render_template_pages(app, store, settings)
    security.install(app, pages[DEFAULT])
    register_ogcapi(app, store, settings["public_url"])
    cache.install(app, fingerprint(build_dir, settings), max_bytes=settings["cache_bytes"])

    @app.get("/")
    def index():
        return pages.get(request.args.get("lang", DEFAULT), pages[DEFAULT])

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(app.static_folder or "static", "favicon.ico", mimetype="image/vnd.microsoft.icon")

    def args() -> dict[str, list[str]]:
        return request.args.to_dict(flat=False)

    @app.get("/api/paragraphs")
    def paragraphs():
        return jsonify(api.list_paragraphs(store, args()))

    @app.get("/api/paragraphs/<pid>")
    def paragraph(pid: str):
        return jsonify(api.get_paragraph(store, pid))

    @app.get("/api/documents")
    def documents():
        return jsonify(api.list_documents(store))

    @app.get("/api/basemap")
    def basemap():
        return geojson_response(api.basemap(store, args()))

    @app.get("/api/unresolved")
    def unresolved():
        return jsonify(list(store.unresolved))

    @app.get("/api/openapi.json")
    def openapi():
        return jsonify(openapi_document())

    @app.get("/api/overview")
    def overview():
        return jsonify(api.overview(store, args()))

    @app.get("/api/features")
    def features():
        return geojson_response(api.list_features(store, args()))

    @app.get("/api/features/<fid>")
    def feature(fid: str):
        return geojson_response(api.get_feature(store, fid, args()))

    @app.get("/api/export")
    def export():
        download = api.export_features(store, args())
        response = Response(download.body, mimetype=download.media_type)
        ascii_name = download.filename.encode("ascii", "replace").decode().replace("?", "_")
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download.filename)}")
        return response

    return app


def fingerprint(build_dir: Path, settings: dict) -> str:
    """What every answer depends on: the build's outputs, the app's own files and the settings.

    Used as the ETag of every cached answer; it changes when anything a client could see changes.
    """
    digest = hashlib.sha256(repr(sorted((k, str(v)) for k, v in settings.items())).encode())
    app_files = sorted(p for d in ("static", "templates", "messages") for p in (HERE / d).rglob("*") if p.is_file())
    for path in [*(build_dir / name for name in REQUIRED), *app_files]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def explorer_options(doc_ids: list[str]) -> dict:
    """Everything the page script needs besides the data and the words, serialised once into the page.

    Language-neutral (labels come from the message catalogue), so every language's page
    carries the same inline script and one Content-Security-Policy hash covers them all.
    The document filter's values are the build's documents; with one document there is nothing to choose.
    """
    values = {**{name: list(v) for name, (_, v) in FILTERS.items()}, "doc": list(doc_ids)}
    return {
        "style": cartography.as_json(),
        "filters": [{"key": name, "prop": prop, "values": values[name]} for name, (prop, _) in FILTERS.items()
                    if name != "doc" or len(doc_ids) > 1],
    }


def render_template_pages(app: Flask, store: Store, settings: dict) -> dict[str, str]:
    """The explorer page per language, rendered once: it holds no data, only the map, its options and the words."""
    centre = tuple(store.document["region"]["centre"])
    parts = render_parts(build_map(explorer_options(store.doc_ids), centre, tiles=settings["tiles"]))
    with app.app_context():
        return {lang: render_template("index.html", map=parts, m=catalogue(lang),
                                      title=store.document.get("title") or "planmap")
                for lang in LANGUAGES}


def geojson_response(body: dict) -> Response:
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def error_response(status: int, message: str):
    """The one error shape of the API: ``{"ok": false, "status": …, "error": …}``."""
    response = jsonify({"ok": False, "status": status, "error": message})
    response.status_code = status
    return response

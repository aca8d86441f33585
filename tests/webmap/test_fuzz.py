"""Fuzzing the JSON API from its own OpenAPI description, in-process (Flask's WSGI app, no sockets).

schemathesis draws requests from /api/openapi.json, both valid ones and ones the description
forbids, and checks every answer against it: never a 5xx, only documented statuses and media
types, bodies (errors included) matching their schemas, invalid input rejected, 405 with
``Allow`` for undocumented methods. The hypothesis properties below add what a schema cannot
say: hostile text in every parameter, duplicates, raw bytes, and path ids that try to escape.
"""
from __future__ import annotations

from urllib.parse import quote, quote_from_bytes

import pytest
import schemathesis
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from geo.geoparser import Unresolved
from layers.export import FILTERS, FORMATS
from tests.common import feature_count
from webmap.api import MAX_PARAM
from webmap.openapi import openapi_document

#: Bounded so the whole fuzz run stays well under a minute on two cores. Positive-data
#: acceptance is off: a bbox needs min < max, which JSON Schema cannot say, so a
#: schema-valid bbox can rightly be refused with 400.
FUZZ = schemathesis.Config.from_dict({
    "generation": {"max-examples": 50, "mode": "all"},
    "checks": {"positive_data_acceptance": {"enabled": False}},
})
#: The endpoints that take query parameters, and every parameter name they know plus a stranger.
QUERY_ENDPOINTS = ("/api/paragraphs", "/api/features", "/api/export", "/api/overview")
PARAMS = ("within", "bbox", "q", "format", *FILTERS, "colour")
HOSTILE = ("", "\x00", "\u202e\u200f", "../../etc/passwd", "..\\..\\", "%2F", "%00", "<script>alert(1)</script>",
           "' OR 1=1 --", "\ufeff", "𠀋" * 201, "x" * 10_000, "north", "admin-321183")
ID_TRICKS = ("..", "../..", "../paragraphs", "a/b", "/s3-i9", "/admin-321183", "%2F", "..%2F..", "%2e%2e",
             "\\", "..\\..", "%5C", "%00", ".")


@pytest.fixture(scope="module")
def api_schema(make_client):
    """The description as the app serves it, bound to the app so requests stay in-process."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", make_client().application, config=FUZZ)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(deadline=None)
def test_api_keeps_its_description(case):
    # schemathesis' in-process (WSGI) transport advertises gzip but does not decode it;
    # compression has its own test in test_cache.py
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


def test_the_description_is_valid_openapi_and_served(client):
    validate(openapi_document())
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.get_json() == openapi_document()


def test_every_api_route_is_described(client):
    routes = {r.rule.replace("<", "{").replace(">", "}") for r in client.application.url_map.iter_rules()
              if r.rule.startswith("/api/")}
    assert routes == set(openapi_document()["paths"])


def test_enums_come_from_the_code():
    parameters = openapi_document()["components"]["parameters"]
    for name, (_, values) in FILTERS.items():
        if name == "doc":   # the build's document ids: no fixed list
            assert "enum" not in parameters[name]["schema"]["items"]
        else:
            assert parameters[name]["schema"]["items"]["enum"] == ["", *values]
    assert parameters["format"]["schema"]["enum"] == ["", *FORMATS]


def test_the_unresolved_schema_fits_the_span_type():
    """The plan's build has no unresolved spans, so the fuzzer never sees one: check the type directly."""
    span = Unresolved(start=1, end=3, surface="某地", paragraph="s3-i9", item=9, reason="ambiguous")
    served = {**span.to_dict(), "paragraph": "jianyi:s3-i9", "doc": "jianyi"}   # as the build writes it
    Draft202012Validator(openapi_document()["components"]["schemas"]["Unresolved"]).validate([served])


def assert_answered(response) -> None:
    """200, or a 4xx in the API's one error shape; never a server error."""
    if response.status_code == 200:
        return
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert response.mimetype == "application/json"
    assert set(body) == {"ok", "status", "error"}
    assert body["ok"] is False and body["status"] == response.status_code
    assert isinstance(body["error"], str) and body["error"]


values = st.one_of(st.sampled_from(HOSTILE), st.text(), st.text(min_size=MAX_PARAM - 2, max_size=MAX_PARAM + 2))
numbers = st.one_of(st.floats(), st.integers(min_value=-10**400, max_value=10**400), st.sampled_from(["", "-0", "1e999"]))
bboxes = st.lists(numbers, max_size=6).map(lambda xs: ",".join(map(str, xs)))


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(QUERY_ENDPOINTS),
       pairs=st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=4))
def test_hostile_values_are_refused_cleanly(client, path, pairs):
    """Any text, duplicated parameters included (a list of pairs keeps duplicates)."""
    assert_answered(client.get(path, query_string=pairs))


@settings(max_examples=40, deadline=None)
@given(fmt=st.sampled_from(list(FORMATS)), q=values,
       filters=st.lists(st.sampled_from([(name, v) for name, (_, vs) in FILTERS.items() for v in vs]), max_size=3))
def test_any_selection_exports_in_every_format(client, fmt, q, filters):
    """Random draws from the whole API rarely pair a rare format with an empty selection; this does."""
    assert_answered(client.get("/api/export", query_string=[("format", fmt), ("q", q), *filters]))


def test_an_empty_selection_exports_an_empty_geopackage(client, tmp_path):
    response = client.get("/api/export?format=gpkg&q=no-such-place")
    assert response.status_code == 200
    (tmp_path / "empty.gpkg").write_bytes(response.data)
    assert feature_count(tmp_path / "empty.gpkg") == 0


@settings(max_examples=100, deadline=None)
@given(bbox=bboxes, within=st.one_of(st.none(), st.sampled_from(HOSTILE)))
def test_any_bbox_is_answered(client, bbox, within):
    query = {"bbox": bbox} if within is None else {"bbox": bbox, "within": within}
    assert_answered(client.get("/api/paragraphs", query_string=query))


@settings(max_examples=100, deadline=None)
@given(path=st.sampled_from(QUERY_ENDPOINTS), raw=st.binary(max_size=300))
def test_raw_query_bytes_are_answered(client, path, raw):
    """Bytes that are not UTF-8, stray ``%`` and ``&``: the query string as an attacker types it."""
    assert_answered(client.get(f"{path}?{quote_from_bytes(raw, safe='=&%')}"))


def assert_not_found(response) -> None:
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["ok"] is False


@pytest.mark.parametrize("trick", ID_TRICKS)
@pytest.mark.parametrize("base", ["/api/paragraphs/", "/api/features/"])
def test_path_ids_cannot_escape(client, base, trick):
    assert_not_found(client.get(base + trick))


@pytest.mark.parametrize("base", ["/api/paragraphs/", "/api/features/"])
def test_long_ids_are_not_echoed_back(client, base):
    response = client.get(base + "x" * 100_000)
    assert_not_found(response)
    assert len(response.get_json()["error"]) < 200


@pytest.fixture(scope="module")
def known_ids(client) -> set[str]:
    return ({p["id"] for p in client.get("/api/paragraphs").get_json()["paragraphs"]}
            | {f["id"] for f in client.get("/api/features").get_json()["features"]})


@settings(max_examples=100, deadline=None)
@given(base=st.sampled_from(["/api/paragraphs/", "/api/features/"]), some_id=st.text(min_size=1))
def test_unknown_ids_are_404(client, known_ids, base, some_id):
    assume(some_id not in known_ids)
    assert_not_found(client.get(base + quote(some_id, safe="")))


GET_ROUTES = ("/api/paragraphs", "/api/paragraphs/s3-i9", "/api/features", "/api/features/admin-321183",
              "/api/export", "/api/overview", "/api/basemap", "/api/unresolved", "/api/openapi.json")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", GET_ROUTES)
def test_other_methods_are_405(client, path, method):
    response = client.open(path, method=method, data=b"{}", content_type="application/json")
    assert response.status_code == 405 and response.get_json() == {
        "ok": False, "status": 405, "error": "The method is not allowed for the requested URL."}
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("path", GET_ROUTES)
def test_head_answers_like_get_without_a_body(client, path):
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"] and head.data == b""

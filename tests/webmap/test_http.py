"""HTTP the standard way: validators and 304s, compressed static assets, raw UTF-8 request targets."""
from __future__ import annotations

import gzip

import pytest

from scripts.check_install import raw_get
from webmap.serve import in_thread, quote_target


def test_answers_carry_the_build_etag_and_cache_control(make_client):
    client = make_client()
    first = client.get("/api/features?belt=north", headers={"Accept-Encoding": "identity"})
    other = client.get("/api/paragraphs", headers={"Accept-Encoding": "identity"})
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag == other.headers["ETag"]     # one fingerprint for the build
    assert first.headers["Cache-Control"] == "no-cache"
    packed = client.get("/api/features?belt=north", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["ETag"] == etag[:-1] + '-gzip"'           # another representation, another tag


@pytest.mark.parametrize("path", ["/", "/api/features", "/api/export?format=csv", "/static/planmap.js"])
def test_if_none_match_gives_304(make_client, path):
    client = make_client()
    etag = client.get(path).headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"]
    packed_tag = client.get(path, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": f'"other", {packed_tag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_differs_between_settings(make_client):
    assert make_client().get("/").headers["ETag"] != make_client(tiles=True).get("/").headers["ETag"]


@pytest.mark.parametrize("asset", ["/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet-draw/leaflet.draw.js",
                                   "/static/planmap.js", "/static/planmap.css"])
def test_static_assets_are_compressed(make_client, asset):
    client = make_client()
    plain = client.get(asset, headers={"Accept-Encoding": "identity"})
    packed = client.get(asset, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["ETag"]
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)


def test_cache_stays_bounded_under_many_distinct_exports(make_client):
    """Each empty GeoPackage is ~100 KB; 40 of them overflow a 1 MiB cache, which keeps the newest."""
    client = make_client(cache_bytes=1024 * 1024)
    cache = client.application.extensions["planmap.cache"]
    sizes = []
    for i in range(40):
        response = client.get(f"/api/export?format=gpkg&q=nothing-{i}")
        assert response.status_code == 200
        sizes.append(len(response.data))
    assert sum(sizes) > 2 * cache.max_bytes                  # the test overflows the bound …
    assert 0 < cache.bytes <= cache.max_bytes                # … and the cache stays within it
    assert len(cache) < 40
    assert cache.get("/api/export?format=gpkg&q=nothing-39") is not None      # least recently used goes first
    assert cache.get("/api/export?format=gpkg&q=nothing-0") is None


@pytest.mark.parametrize("line, quoted", [
    (b"GET /api/features?industry=\xe8\x88\xaa HTTP/1.1", b"GET /api/features?industry=%E8%88%AA HTTP/1.1"),
    (b"GET /api/features?q=a%20b HTTP/1.1", b"GET /api/features?q=a%20b HTTP/1.1"),
])
def test_quote_target(line, quoted):
    assert quote_target(line) == quoted


@pytest.fixture(scope="module")
def waitress_port(make_client):
    """The app behind the same waitress server `planmap serve` runs."""
    with in_thread(make_client().application) as url:
        yield int(url.rsplit(":", 1)[1])


def test_raw_utf8_query_is_answered_by_waitress(waitress_port):
    """curl sends the README's example without percent-encoding it."""
    import json

    status, body = raw_get(waitress_port, "/api/features?industry=航空航天".encode())
    assert status == 200, body[:200]
    names = [f["properties"]["name"] for f in json.loads(body)["features"]]
    assert "镇江新区航空航天产业园" in names


def test_raw_utf8_unknown_value_gets_the_json_error_shape(waitress_port):
    import json

    status, body = raw_get(waitress_port, "/api/features?industry=造船".encode())
    assert status == 400
    assert json.loads(body) == {"ok": False, "status": 400, "error": json.loads(body)["error"]}
    assert "造船" in json.loads(body)["error"]

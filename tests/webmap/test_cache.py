"""Answers are computed once and served compressed to clients that accept gzip."""
from __future__ import annotations

import gzip
import json


def test_gzip_when_accepted(make_client):
    client = make_client()
    plain = client.get("/api/features", headers={"Accept-Encoding": "identity"})
    packed = client.get("/api/features", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    assert packed.mimetype == "application/geo+json"


def test_cached_answer_is_the_same_and_keeps_headers(make_client):
    client = make_client()
    first = client.get("/api/features?belt=north")
    second = client.get("/api/features?belt=north")
    assert first.data == second.data
    for header in ("Content-Type", "Content-Security-Policy", "X-Content-Type-Options"):
        assert first.headers[header] == second.headers[header]


def test_errors_are_not_cached(make_client):
    client = make_client()
    assert client.get("/api/features?belt=west").status_code == 400
    assert client.get("/api/features?belt=west").status_code == 400
    assert client.get("/api/features/nope").status_code == 404

"""/api/paragraphs through Flask's test client on a real build."""
from __future__ import annotations

import pytest

from geo.errors import BadInput
from webmap import create_app


def test_list_paragraphs(client, plan):
    r = client.get("/api/paragraphs")
    assert r.status_code == 200
    body = r.get_json()
    assert [p["id"] for p in body["paragraphs"]] == [f"jianyi:{p.id}" for p in plan.paragraphs]
    assert body["document"]["date"] == "2021-01-01"


def test_one_paragraph(client, plan):
    r = client.get("/api/paragraphs/s3-i9")
    assert r.status_code == 200
    p = r.get_json()
    assert p["item"] == 9 and p["title"] == "加快市域一体发展"
    assert plan.text[p["start"]:p["end"]] == p["text"]


@pytest.mark.parametrize("pid", ["nope", "s3-i99", "..%2F..%2Fetc", "%3Cscript%3E"])
def test_unknown_paragraph_is_json_404(client, pid):
    r = client.get(f"/api/paragraphs/{pid}")
    assert r.status_code == 404
    assert r.is_json and r.get_json()["ok"] is False
    assert r.get_json()["error"]


def test_unknown_paragraph_message_names_the_id(client):
    assert client.get("/api/paragraphs/nope").get_json()["error"] == "no paragraph with id 'nope'"


def test_unknown_route_is_json_404(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.get_json()["status"] == 404


def test_unknown_setting_is_refused(build_dir):
    with pytest.raises(BadInput, match="unknown setting.*colour"):
        create_app({"build_dir": build_dir, "colour": "red"})


@pytest.mark.slow
def test_app_builds_when_no_build_exists(tmp_path):
    app = create_app({"build_dir": tmp_path / "fresh"})
    r = app.test_client().get("/api/paragraphs/s1")
    assert r.status_code == 200 and r.get_json()["section"] == 1

"""Stage and action in the data: the API filters, the overview, every export read back with GDAL, the OGC API."""
from __future__ import annotations

import json

import pyogrio
import pytest

from geo.intent import ACTIONS
from tests.webmap.test_ogcapi import LOCAL, ogc_app
from webmap.store import Store


def ids(client, query: str) -> set[str]:
    return {f["id"] for f in client.get(f"/api/features?{query}").get_json()["features"]}


def with_value(places: dict, prop: str, value: str) -> set[str]:
    return {fid for fid, f in places.items() if value in f["properties"][prop]}


def test_every_feature_and_source_has_stage_and_actions(places):
    for f in places.values():
        props = f["properties"]
        assert props["stages"] == list(dict.fromkeys(s["stage"] for s in sorted(
            props["sources"], key=lambda s: ("done", "ongoing", "planned").index(s["stage"]))))
        assert set(props["actions"]) == {a for s in props["sources"] for a in s["actions"]}
    # read from the plan: item 1 reports 连镇铁路 built; item 8 wants the 长江 protected
    assert places["rail-lianzhen"]["properties"]["stages"][0] == "done"
    assert "protect" in places["river-yangtze"]["properties"]["actions"]


def test_action_and_stage_filters_match_members_and_combine(client, places):
    protect = ids(client, "action=protect")
    assert {"river-yangtze", "region-porpoise-reserve"} <= protect
    assert protect == with_value(places, "actions", "protect")
    assert ids(client, "action=protect&action=relocate") == protect | with_value(places, "actions", "relocate")
    done_built = ids(client, "stage=done&action=build")
    assert "rail-lianzhen" in done_built
    assert done_built == with_value(places, "stages", "done") & with_value(places, "actions", "build")


@pytest.mark.parametrize("query, message", [
    ("action=demolish", "unknown action 'demolish'; valid values: build, upgrade, connect, protect, relocate, cooperate"),
    ("stage=finished", "unknown stage 'finished'; valid values: done, ongoing, planned"),
])
def test_unknown_values_are_one_line_errors(client, query, message):
    r = client.get(f"/api/features?{query}")
    assert r.status_code == 400 and r.get_json() == {"ok": False, "status": 400, "error": message}


def test_overview_says_where_the_plan_builds_upgrades_connects_and_protects(client, places):
    body = client.get("/api/overview").get_json()
    by_key = {row["key"]: row for row in body["actions"]}
    assert list(by_key) == list(ACTIONS)
    for key, row in by_key.items():
        assert row["mentions"] == sum(key in s["actions"] for f in places.values() for s in f["properties"]["sources"])
    protect_belts = {b["key"]: b["mentions"] for b in by_key["protect"]["belts"]}
    assert protect_belts["north"] > 0  # the 长江 lies in the north belt
    assert {d["id"] for d in by_key["build"]["districts"]} == {d["id"] for d in body["districts"]}
    assert sum(s["mentions"] for s in body["stages"]) == body["mentions"]
    filtered = client.get("/api/overview?action=protect").get_json()
    assert filtered["places"] == len(with_value(places, "actions", "protect"))


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "kml", "geojson"])
def test_exports_carry_stages_and_actions(client, tmp_path, fmt, places):
    r = client.get(f"/api/export?format={fmt}&action=protect")
    assert r.status_code == 200
    path = tmp_path / f"protect.{fmt}"
    path.write_bytes(r.data)
    frames = [pyogrio.read_dataframe(path, layer=name) for name, geometry in pyogrio.list_layers(path)
              if geometry is not None]
    rows = [row for frame in frames for _, row in frame.iterrows()]
    assert len(rows) == len(with_value(places, "actions", "protect"))
    for row in rows:
        # lists are JSON text in GPKG, CSV and KML, arrays in GeoJSON
        actions, stages = (json.loads(v) if isinstance(v, str) else list(v) for v in (row["actions"], row["stages"]))
        assert "protect" in actions and stages and set(stages) <= {"done", "ongoing", "planned"}


def test_ogc_api_filters_and_serves_the_fields(build_dir, places):
    ogc = ogc_app(Store.load(build_dir), LOCAL).test_client()
    body = ogc.get("/ogcapi/collections/places/items?limit=1000&actions=protect").get_json()
    assert {f["id"] for f in body["features"]} == with_value(places, "actions", "protect")
    assert all("protect" in json.loads(f["properties"]["actions"]) for f in body["features"])
    done = ogc.get("/ogcapi/collections/places/items?limit=1000&stages=done").get_json()
    assert {f["id"] for f in done["features"]} == with_value(places, "stages", "done")
    bad = ogc.get("/ogcapi/collections/places/items?actions=demolish")
    assert bad.status_code == 400 and "valid values: build, upgrade" in bad.get_data(as_text=True)

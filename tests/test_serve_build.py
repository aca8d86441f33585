"""`planmap serve` serves what was built: a build remembers its inputs and is rebuilt only when they change."""
from __future__ import annotations

import hashlib
import json

from layers.build import MANIFEST, changes, ensure_build, read_manifest
from tests.common import PLAN, TOWNS
from webmap import create_app


def checksum(build_dir) -> str:
    return hashlib.sha256((build_dir / "places.geojson").read_bytes()).hexdigest()


def test_manifest_records_the_source(towns_build):
    src, out = towns_build
    manifest = read_manifest(out)
    assert [s["path"] for s in manifest["sources"]] == [str(src.resolve())]
    assert manifest["sources"][0]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert changes(out) == []


def test_serve_keeps_a_build_of_another_text(towns_build):
    src, out = towns_build
    before = checksum(out)
    app = create_app({"build_dir": out})      # auto_build on, no source: the build's own inputs
    assert checksum(out) == before
    names = {f["properties"]["name"] for f in app.test_client().get("/api/features").get_json()["features"]}
    assert {"宝华镇", "新坝镇"} <= names and "镇江新区" not in names


def test_changed_source_rebuilds_from_that_source(towns_build):
    src, out = towns_build
    src.write_text(TOWNS + "\n丹阳市有新项目。\n", encoding="utf-8")
    assert changes(out) == ["towns.txt changed"]
    report = ensure_build(out)
    assert report is not None and report.paragraphs == 3
    assert changes(out) == []


def test_missing_source_keeps_the_build(towns_build):
    src, out = towns_build
    src.unlink()
    before = checksum(out)
    assert changes(out) == []          # nothing to compare with: the build is what is left of it
    assert ensure_build(out) is None and checksum(out) == before


def test_explicit_source_replaces_a_build_of_another_text(towns_build):
    src, out = towns_build
    assert changes(out, PLAN) == [f"it was built from towns.txt, not {PLAN.name}"]


def test_changed_data_is_a_reason(towns_build):
    src, out = towns_build
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["data"]["not_places"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert changes(out) == ["the packaged data changed (not_places)"]

"""A rebuild reuses what its inputs have not changed: the gazetteer cache, and the GeoPackage."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

import pyogrio
import pytest

from geo.gazetteer.index import CACHE_NAME, load_gazetteer, save_gazetteer
from layers.build import GPKG, MANIFEST, build, gpkg_key, read_manifest
from tests.common import PLAN, TOWNS


@pytest.fixture
def rebuilt(towns_build):
    """The small build and its GeoPackage's bytes."""
    src, out = towns_build
    return src, out, (out / GPKG).read_bytes()


def names_in_gpkg(out) -> set[str]:
    return {name for layer, kind in pyogrio.list_layers(out / GPKG) if kind is not None   # not layer_styles
            for name in pyogrio.read_dataframe(out / GPKG, layer=layer)["name"]}


def names_in_geojson(out) -> set[str]:
    return {f["properties"]["name"] for f in json.loads((out / "places.geojson").read_text("utf-8"))["features"]}


def test_saving_a_cached_gazetteer_writes_the_same_bytes(build_dir, tmp_path):
    # what justifies copying the cache file instead of writing it again
    gazetteer, cached = load_gazetteer([build_dir])
    assert cached
    save_gazetteer(gazetteer, tmp_path)
    assert (tmp_path / CACHE_NAME).read_bytes() == (build_dir / CACHE_NAME).read_bytes()


def test_a_cold_build_gives_what_a_warm_one_gives(build_dir, tmp_path):
    # build_dir assembled its gazetteer; a rebuild reads it from the cache and changes nothing
    out = tmp_path / "again"
    shutil.copytree(build_dir, out)
    build(PLAN, out)
    for name in ("places.geojson", "document.json", "mentions.json", "basemap.geojson", GPKG):
        assert (out / name).read_bytes() == (build_dir / name).read_bytes(), name


def test_unchanged_inputs_keep_the_geopackage(rebuilt):
    # a GeoPackage written again differs in its timestamps (styles, QGIS project): the same bytes mean kept
    src, out, before = rebuilt
    build(src, out)
    assert (out / GPKG).read_bytes() == before
    assert names_in_gpkg(out) == names_in_geojson(out) and {"宝华镇", "新坝镇"} <= names_in_gpkg(out)


def test_a_changed_text_rewrites_the_geopackage(rebuilt):
    src, out, before = rebuilt
    src.write_text(TOWNS + "\n丹阳市有新项目。\n", encoding="utf-8")
    build(src, out)
    assert "丹阳市" in names_in_gpkg(out) and names_in_gpkg(out) == names_in_geojson(out)


def test_a_stale_key_rewrites_the_geopackage(rebuilt):
    # as after a change to the code that writes it: the key recorded no longer matches
    src, out, before = rebuilt
    manifest = read_manifest(out)
    assert manifest["outputs"][GPKG]["key"] == gpkg_key(out / "places.geojson", ["towns"])
    manifest["outputs"][GPKG]["key"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    build(src, out)
    assert (out / GPKG).read_bytes() != before
    assert names_in_gpkg(out) == names_in_geojson(out)


def test_a_geopackage_changed_since_the_build_is_written_again(rebuilt):
    # a user who saved a project or deleted a layer in QGIS gets the build's own file back
    src, out, _ = rebuilt
    with sqlite3.connect(out / GPKG) as conn:
        conn.execute("CREATE TABLE marker (x)")
    conn.close()
    build(src, out)
    with sqlite3.connect(out / GPKG) as conn:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'marker'").fetchone() is None
    conn.close()
    assert names_in_gpkg(out) == names_in_geojson(out)
    assert read_manifest(out)["outputs"][GPKG]["sha256"] == hashlib.sha256((out / GPKG).read_bytes()).hexdigest()

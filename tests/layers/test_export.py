"""Exports read back with GDAL (pyogrio) and checked with an independent validator."""
from __future__ import annotations

import json
from xml.etree import ElementTree

import geojson_validator
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from geo.errors import BadInput
from layers.export import FIELDS, export, select

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def features(places):
    return list(places.values())


def test_geojson_is_rfc7946(tmp_path, features):
    path = export(features, tmp_path / "all.geojson")
    fc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in fc
    assert geojson_validator.validate_structure(fc, check_crs=True) == {}
    problems = geojson_validator.validate_geometries(fc)
    assert problems["invalid"] == {}, problems["invalid"]
    assert all(isinstance(f["id"], str) for f in fc["features"])
    # at most 7 decimals in any coordinate
    for f in fc["features"]:
        coords = shapely.get_coordinates(shape(f["geometry"]))
        assert (abs(coords * 1e7 - (coords * 1e7).round()) < 1e-3).all()


def test_geojson_read_by_gdal(tmp_path, features):
    path = export(features, tmp_path / "all.geojson")
    info = pyogrio.read_info(path)
    assert info["features"] == len(features)
    assert info["crs"] == "EPSG:4326"
    frame = pyogrio.read_dataframe(path)
    assert set(frame["name"]) == {f["properties"]["name"] for f in features}


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "kml"])
def test_tabular_exports_read_back(tmp_path, features, fmt):
    path = export(features, tmp_path / f"all.{fmt}")
    layers = [name for name, geometry in pyogrio.list_layers(path) if geometry is not None]
    frames = [pyogrio.read_dataframe(path, layer=layer) for layer in layers]
    total = sum(len(f) for f in frames)
    assert total == len(features)
    if fmt == "kml":
        # GDAL's KML reader reports the Placemark id as "id"; read our field from the XML itself.
        tree = ElementTree.parse(path)
        ids = {e.text for e in tree.iter(f"{KML}SimpleData") if e.get("name") == "id"}
    else:
        ids = {i for f in frames for i in f["id"]}
    assert ids == {f["id"] for f in features}
    for layer in layers:
        info = pyogrio.read_info(path, layer=layer)
        if fmt != "csv":
            assert info["crs"] == "EPSG:4326"
        if fmt == "gpkg":
            types = dict(zip(info["fields"], info["dtypes"], strict=False))
            assert types["mentions"] == "int64" and types["precision_m"] == "int64"
            assert types["in_region"] == "bool"
            assert set(info["fields"]) == set(FIELDS)


def test_gpkg_has_a_layer_per_category_and_json_lists(tmp_path, features):
    path = export(features, tmp_path / "all.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert {"park", "road", "rail", "zone", "structure", "admin"} <= set(layers)
    # a place has a point or line of its own, a published extent, or the area it is known to lie in
    # (丁卯高架, whose alignment is unknown, is 丁卯's area): one geometry kind gives a typed layer,
    # a mix an untyped one that QGIS splits by kind
    for category in ("park", "road", "rail"):
        kinds = {f["geometry"]["type"].removeprefix("Multi") for f in features
                 if f["properties"]["category"] == category}
        assert layers[category] == (f"Multi{kinds.pop()}" if len(kinds) == 1 else "Unknown"), category
    assert layers["rail"] == "MultiLineString"
    parks = pyogrio.read_dataframe(path, layer="park")
    row = parks[parks["name"] == "扬中智能电气产业园"].iloc[0]
    assert json.loads(row["industries"]) == ["高端装备制造", "新型电力(新能源)装备"]
    assert json.loads(row["sources"])[0]["paragraph"] == "jianyi:s4-i13"


def test_filtered_export(tmp_path, features):
    chosen = select(features, {"belt": ["south"]})
    path = export(chosen, tmp_path / "south.geojson")
    assert pyogrio.read_info(path)["features"] == len(chosen) < len(features)


def test_unknown_format(tmp_path, features):
    with pytest.raises(BadInput, match="unknown format 'shp'; valid formats: geojson, gpkg, csv, kml"):
        export(features, tmp_path / "x.shp", "shp")

"""The ``doc`` filter and the per-document views of the API, exports and OGC API, on a family build."""
from __future__ import annotations

import json

import pyogrio
import pytest

from webmap import create_app
from webmap.ogcapi import register_ogcapi
from webmap.store import Store

DOCS = ["jianyi", "gangyao", "danyang", "news"]


@pytest.fixture(scope="module")
def fam(family_dir):
    app = create_app({"build_dir": family_dir, "auto_build": False})
    app.testing = True
    return app.test_client()


@pytest.fixture(scope="module")
def everything(fam):
    return {f["id"]: f for f in fam.get("/api/features").get_json()["features"]}


def test_documents_are_listed_with_counts(fam):
    documents = fam.get("/api/documents").get_json()["documents"]
    assert [d["id"] for d in documents] == DOCS
    # counts by reading tests/data/family/gold.csv: 19 references in gangyao, 10 in danyang, 7 in news
    assert {d["id"]: d["mentions"] for d in documents if d["id"] != "jianyi"} == {"gangyao": 19, "danyang": 10,
                                                                                "news": 7}
    assert {d["id"]: d["paragraphs"] for d in documents}["news"] == 2


def test_doc_filter_keeps_places_and_mentions_of_those_documents(fam, everything):
    body = fam.get("/api/features?doc=danyang").get_json()
    assert {f["id"] for f in body["features"]} == {fid for fid, f in everything.items()
                                                   if "danyang" in f["properties"]["docs"]}
    for f in body["features"]:
        props = f["properties"]
        assert set(props["docs"]) == {"danyang"}
        assert props["mentions"] == everything[f["id"]]["properties"]["docs"]["danyang"] == len(props["sources"])
    either = fam.get("/api/features?doc=danyang&doc=news").get_json()
    assert {f["id"] for f in either["features"]} == {fid for fid, f in everything.items()
                                                     if {"danyang", "news"} & set(f["properties"]["docs"])}
    both = fam.get("/api/features?doc=news&category=town").get_json()
    assert {f["properties"]["name"] for f in both["features"]} == {"宝华镇", "高资街道", "新坝镇"}


def test_unknown_document_is_a_400_naming_the_valid_ones(fam):
    r = fam.get("/api/features?doc=shiyi")
    assert r.status_code == 400
    assert r.get_json()["error"] == "unknown doc 'shiyi'; valid values: jianyi, gangyao, danyang, news"
    assert fam.get("/api/paragraphs?doc=shiyi").status_code == 400


def test_paragraphs_of_one_document(fam):
    paragraphs = fam.get("/api/paragraphs?doc=news").get_json()["paragraphs"]
    assert [p["id"] for p in paragraphs] == ["news:p1", "news:p2"]
    inside = fam.get("/api/paragraphs?within=admin-321181&doc=danyang").get_json()["paragraphs"]  # 丹阳市
    assert {p["id"] for p in inside} == {"danyang:title", "danyang:preamble", "danyang:s1-i1", "danyang:s2-i2",
                                         "danyang:s2-i2-p1"}
    assert fam.get("/api/paragraphs/gangyao:ch3-n1").get_json()["page"] == 2


def test_overview_has_one_column_per_document(fam, everything):
    body = fam.get("/api/overview").get_json()
    assert body["documents"] == DOCS
    danyang_city = next(d for d in body["districts"] if d["id"] == "admin-321181")
    # danyang.txt names 丹阳市 ×3, 丹阳高新区, 丹阳经开区, 司徒镇, 延陵镇 inside the 丹阳 district
    assert danyang_city["docs"]["danyang"] == 7
    for row in body["districts"] + body["belts"] + body["industries"]:
        assert sum(row["docs"].values()) == row["mentions"]
    only = {d: {p["name"] for p in places} for d, places in body["only"].items()}
    assert {"司徒镇", "延陵镇"} <= only["danyang"] and "镇江新区" not in set().union(*only.values())
    assert all(list(everything[p["id"]]["properties"]["docs"]) == [d]
               for d, places in body["only"].items() for p in places)
    two = fam.get("/api/overview?doc=gangyao&doc=news").get_json()
    assert two["documents"] == ["gangyao", "news"] and set(two["docs"]) == {"gangyao", "news"}
    assert two["mentions"] == 19 + 7


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "geojson"])
def test_exports_say_which_documents_they_cover(fam, tmp_path, fmt):
    r = fam.get(f"/api/export?format={fmt}&doc=gangyao")
    assert r.status_code == 200
    assert 'filename="planmap_doc-gangyao.' in r.headers["Content-Disposition"]
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(r.data)
    layers = [name for name, geom in pyogrio.list_layers(path) if geom is not None] if fmt == "gpkg" else [None]
    docs = [v if isinstance(v, dict) else json.loads(v)   # GeoJSON keeps the object, the others hold JSON text
            for layer in layers for v in pyogrio.read_dataframe(path, layer=layer)["docs"]]
    assert docs and all(set(d) == {"gangyao"} for d in docs)
    if fmt == "gpkg":
        assert pyogrio.read_info(path, layer=layers[0])["dataset_metadata"]["DOCUMENTS"] == "gangyao"
    if fmt == "geojson":
        assert json.loads(r.data)["documents"] == ["gangyao"]


def test_unfiltered_export_names_every_document(fam):
    r = fam.get("/api/export?format=csv&belt=north")
    assert 'filename="planmap_belt-north_doc-jianyi+gangyao+danyang+news.csv"' in r.headers["Content-Disposition"]


def test_ogc_api_filters_by_document(family_dir):
    from flask import Flask

    store = Store.load(family_dir)
    app = Flask("webmap")
    register_ogcapi(app, store, "http://127.0.0.1:9")
    ogc = app.test_client()
    body = ogc.get("/ogcapi/collections/places/items?limit=1000&docs=news").get_json()
    expected = {f["id"] for f in store.features if "news" in f["properties"]["docs"]}
    assert {f["id"] for f in body["features"]} == expected and len(expected) == 7
    assert all("news" in json.loads(f["properties"]["docs"]) for f in body["features"])
    assert ogc.get("/ogcapi/collections/places/items?docs=shiyi").status_code == 400

"""/api/features, /api/export, /api/overview and area queries through Flask's test client."""
from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from contextlib import closing
from urllib.parse import unquote

import pytest

from tests.common import feature_count


def test_all_features_are_geojson(client, places):
    r = client.get("/api/features")
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    fc = r.get_json()
    assert fc["type"] == "FeatureCollection" and fc["numberMatched"] == len(places)


def test_filters_combine(client):
    north_parks = client.get("/api/features?belt=north&category=park").get_json()["features"]
    assert north_parks and all(f["properties"]["category"] == "park" and "north" in f["properties"]["belts"]
                               for f in north_parks)
    either = client.get("/api/features?category=park&category=road").get_json()["features"]
    assert {f["properties"]["category"] for f in either} == {"park", "road"}


def test_industry_filter_in_chinese(client):
    names = {f["properties"]["name"] for f in client.get("/api/features?industry=生命健康").get_json()["features"]}
    assert "镇江新区大学科技园" in names and "扬中智能电气产业园" not in names


@pytest.mark.parametrize("q, expected", [("宝华", "宝华镇"), ("宝华片区", "宝华镇"), ("Ｇ３１２", "G312"), ("g312", "G312")])
def test_search_names_and_aliases(client, q, expected):
    names = [f["properties"]["name"] for f in client.get("/api/features", query_string={"q": q}).get_json()["features"]]
    assert expected in names


def test_one_feature(client):
    r = client.get("/api/features/park-xinqu-aerospace")
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    assert r.get_json()["properties"]["industries"] == ["高端装备制造", "航空航天"]


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/api/features?belt=west", 400, "unknown belt 'west'; valid values: north, middle, south"),
        ("/api/features?industry=钢铁", 400, "unknown industry '钢铁'"),
        ("/api/features?colour=red", 400, "unknown parameter 'colour'"),
        ("/api/features?q=a&q=b", 400, "parameter 'q' given 2 times"),
        ("/api/features?q=" + "x" * 300, 400, "longer than 200 characters"),
        ("/api/features/nope", 404, "no feature with id 'nope'"),
        ("/api/export?format=shp", 400, "unknown format 'shp'; valid formats: geojson, gpkg, csv, kml"),
        ("/api/paragraphs?bbox=1,2,3", 400, "bbox must be four numbers"),
        ("/api/paragraphs?bbox=120,32,119,33", 400, "not a valid lon/lat box"),
        ("/api/paragraphs?bbox=nan,1,2,3", 400, "not a valid lon/lat box"),
        ("/api/paragraphs?within=nope", 404, "no feature or district with id 'nope'"),
        ("/api/paragraphs?within=admin-321183&bbox=1,2,3,4", 400, "either within or bbox"),
    ],
)
def test_bad_requests_are_json_errors(client, url, status, message):
    r = client.get(url)
    assert r.status_code == status
    body = r.get_json()
    assert body["ok"] is False and body["status"] == status
    assert message in body["error"]


def test_paragraphs_within_a_district(client, places):
    body = client.get("/api/paragraphs?within=admin-321183").get_json()   # 句容市
    ids = [p["id"] for p in body["paragraphs"]]
    assert "jianyi:s3-i9" in ids               # item 9 names 宝华, 下蜀, 句容中南部
    item9 = next(p for p in body["paragraphs"] if p["id"] == "jianyi:s3-i9")
    assert item9["mentions"] >= 3
    assert "town-1548664" in body["places"]    # 宝华镇 lies in 句容市
    assert "admin-321182" not in body["places"]  # 扬中市 does not


def test_every_area_the_page_shows_can_be_asked_about(client):
    """Districts from /api/overview and the basemap, and every area feature (structure parts
    included), work with ?within= under the very ids the page uses."""
    districts = [d["id"] for d in client.get("/api/overview").get_json()["districts"]]
    assert "admin-321102" in districts and "admin-321181" in districts   # 京口区, 丹阳市
    areas = [f["id"] for f in client.get("/api/features").get_json()["features"]
             if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert "structure-part-321181-north" in areas                       # 丹阳北部
    for aid in districts + areas:
        r = client.get(f"/api/paragraphs?within={aid}")
        assert r.status_code == 200, aid
        assert r.get_json()["area"]["name"], aid
    jingkou = client.get("/api/paragraphs?within=admin-321102").get_json()
    assert "town-jianbi" in jingkou["places"]    # 谏壁 is a street office of 京口区


def test_paragraphs_in_a_bbox(client):
    # a box around 扬中 island only
    body = client.get("/api/paragraphs?bbox=119.75,32.05,119.98,32.33").get_json()
    assert "admin-321182" in body["places"]
    assert all(p["mentions"] >= 1 for p in body["paragraphs"])


@pytest.mark.parametrize("fmt, media", [("geojson", "application/geo+json"), ("gpkg", "application/geopackage+sqlite3"),
                                        ("csv", "text/csv"), ("kml", "application/vnd.google-earth.kml+xml")])
def test_export_downloads_what_the_filters_show(client, tmp_path, fmt, media):
    shown = client.get("/api/features?belt=south").get_json()["numberMatched"]
    r = client.get(f"/api/export?format={fmt}&belt=south")
    assert r.status_code == 200 and r.mimetype == media
    disposition = r.headers["Content-Disposition"]
    assert f"planmap_belt-south.{fmt}" in disposition
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(r.data)
    total = feature_count(path)
    assert total == shown
    if fmt == "gpkg":  # its QGIS project finds the layers in the file saved under the offered name
        with closing(sqlite3.connect(path)) as conn:
            (content,) = conn.execute("SELECT content FROM qgis_projects").fetchone()
        with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as archive:
            project = archive.read(archive.namelist()[0]).decode()
        sources = re.findall(r"<datasource>\./([^|<]+)\|layername=", project)
        assert sources and set(sources) == {"planmap_belt-south.gpkg"}


def test_export_filename_keeps_chinese(client):
    r = client.get("/api/export?industry=航空航天")
    assert "planmap_industry-航空航天.geojson" in unquote(r.headers["Content-Disposition"])
    assert json.load(io.BytesIO(r.data))["features"][0]["properties"]["name"] == "镇江新区航空航天产业园"


def test_overview_counts(client):
    all_ = client.get("/api/overview").get_json()
    south = client.get("/api/overview?belt=south").get_json()
    assert [d["name"] for d in all_["districts"]] == ["京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"]
    assert south["mentions"] < all_["mentions"]
    belts = {b["key"]: b["mentions"] for b in south["belts"]}
    assert belts["south"] == south["mentions"]


def test_page_and_assets_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/planmap.js", "/static/vendor/leaflet-draw/leaflet.draw.js"):
        assert asset in html
        assert client.get(asset).status_code == 200
    assert "cdn." not in html and "unpkg" not in html


def test_display_detail_is_lighter_and_first_leaves_hidden_layers_for_later(client, places):
    full = client.get("/api/features").get_json()["features"]
    shown = client.get("/api/features?detail=display").get_json()["features"]
    first = client.get("/api/features?detail=first").get_json()["features"]
    assert [f["id"] for f in full] == [f["id"] for f in shown] == [f["id"] for f in first]
    assert [f["properties"] for f in full] == [f["properties"] for f in first]
    def size(features):
        return len(json.dumps([f["geometry"] for f in features]))

    assert size(first) < size(full) / 3 and size(shown) < size(full)
    assert {f["geometry"]["type"] for f in shown} == {f["geometry"]["type"] for f in full}
    hidden = {f["id"] for f in first if f["geometry"] is None}
    assert hidden == {fid for fid, f in places.items() if f["properties"]["category"] == "region"}
    # the stored geometry is what the file formats and one feature's full answer give
    assert client.get("/api/features/admin-321183").get_json()["geometry"] == places["admin-321183"]["geometry"]
    assert client.get("/api/basemap?detail=display").get_json()["features"]
    assert client.get("/api/features?detail=coarse").status_code == 400

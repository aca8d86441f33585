"""/api/export restricted to what the explorer draws: an area, a list of ids, GeoJSON split by geometry."""
from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import unquote

from webmap.i18n import LANGUAGES, catalogue


def disposition(response) -> str:
    return unquote(response.headers["Content-Disposition"])


def test_ids_keep_only_the_listed_features_and_the_name_counts_them(client, places):
    wanted = ["admin-321182", "park-xinqu-aerospace"]
    r = client.get("/api/export?ids=" + ",".join(wanted))
    assert r.status_code == 200
    assert sorted(f["id"] for f in r.get_json()["features"]) == sorted(wanted)
    assert "planmap_2-places.geojson" in disposition(r)


def test_ids_and_filters_combine_and_an_unknown_id_is_refused(client):
    r = client.get("/api/export?belt=north&ids=admin-321182,admin-321183")
    north = [f["id"] for f in r.get_json()["features"]]
    assert north == ["admin-321182"]   # 扬中 lies in the north belt (item 9 names it); 句容市 does not
    r = client.get("/api/export?ids=admin-321182,no-such-place")
    assert r.status_code == 404 and "no-such-place" in r.get_json()["error"]


def test_within_keeps_the_places_inside_the_area(client):
    inside = set(client.get("/api/paragraphs?within=admin-321183").get_json()["places"])
    r = client.get("/api/export?within=admin-321183")
    assert {f["id"] for f in r.get_json()["features"]} == inside
    assert "planmap_within-admin-321183.geojson" in disposition(r)
    assert client.get("/api/export?within=admin-321183&bbox=119,31,120,32").status_code == 400


def test_split_gives_one_geojson_per_geometry_kind(client, places):
    r = client.get("/api/export?split=1")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    assert disposition(r).endswith("planmap_by-geometry.zip")
    kinds = {"points.geojson": {"Point", "MultiPoint"}, "lines.geojson": {"LineString", "MultiLineString"},
             "polygons.geojson": {"Polygon", "MultiPolygon"}}
    seen = set()
    with zipfile.ZipFile(io.BytesIO(r.data)) as archive:
        for name in archive.namelist():
            features = json.loads(archive.read(name))["features"]
            assert {f["geometry"]["type"] for f in features} <= kinds[name]
            seen |= {f["id"] for f in features}
    assert seen == set(places)
    assert client.get("/api/export?split=1&format=gpkg").status_code == 400


def test_every_language_has_the_same_messages_and_the_page_follows_lang(client):
    assert all(set(catalogue(lang)) == set(catalogue("zh")) for lang in LANGUAGES)
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.mimetype.startswith("image/")

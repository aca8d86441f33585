"""The region as a parameter: 镇江 by default, any prefecture-level city on request."""
from __future__ import annotations

import json

import pytest

from geo.document import parse_document
from geo.gazetteer.index import load_gazetteer
from geo.geoparser import Geoparser
from geo.region import UnknownRegion, load_region
from layers.build import build

#: A short text about 南京 written for this test; it names no city, only districts and streets.
NANJING_TEXT = """东部片区

江宁区禄口街道依托机场发展临空经济，秣陵街道和淳化街道推进产城融合。
汤山街道以温泉闻名，栖霞区仙林街道聚集了多所高校。
"""


@pytest.fixture(scope="module")
def nanjing_parser():
    gazetteer, _ = load_gazetteer([], "南京市")
    return Geoparser(gazetteer)


def test_zhenjiang_is_the_default_region(gazetteer):
    region = gazetteer.region
    assert (region.code, region.name) == ("321100", "镇江市")
    assert region.utm.to_epsg() == 32650  # 118.96–119.97° E lies in UTM zone 50 (114–120° E)
    lat, lon = region.centre
    assert 31.6 < lat < 32.4 and 118.9 < lon < 120.0
    # the four cities across its boundary, as on any map: 南京, 常州, 扬州, 泰州
    assert set(region.neighbours) == {"320100", "320400", "321000", "321200"}


def test_a_region_by_name_short_name_or_code():
    assert load_region("南京").code == load_region("320100").code == "320100"
    assert "321100" in load_region("南京市").neighbours and "340500" in load_region("南京市").neighbours  # 镇江, 马鞍山
    with pytest.raises(UnknownRegion):
        load_region("不存在市")


def test_a_nanjing_text_resolves_at_town_level_with_region_nanjing(nanjing_parser):
    result = nanjing_parser.parse(parse_document(NANJING_TEXT))
    found = {m.surface: nanjing_parser.gazetteer.get(m.place) for m in result.mentions}
    for town in ("禄口街道", "秣陵街道", "淳化街道", "汤山街道", "仙林街道"):
        assert town in found, (town, sorted(found))
        assert found[town].in_region and found[town].category == "town"
        assert "江宁区" in [a.name for a in nanjing_parser.gazetteer.ancestors(found[town])] or town == "仙林街道"
    assert found["江宁区"].in_region and found["栖霞区"].in_region


def test_the_same_text_with_region_zhenjiang_does_not_guess_nanjing_towns(parser):
    # no city is named, so 南京's streets are outside the region and their unit above is unnamed …
    result = parser.parse(parse_document("秣陵街道和淳化街道推进产城融合。"))
    assert [m.surface for m in result.mentions] == []
    # … until the text names it
    result = parser.parse(parse_document("南京江宁区的秣陵街道和淳化街道推进产城融合。"))
    assert {"秣陵街道", "淳化街道"} <= {m.surface for m in result.mentions}


def test_build_with_another_region(tmp_path):
    source = tmp_path / "nanjing.txt"
    source.write_text(NANJING_TEXT, encoding="utf-8")
    report = build(source, tmp_path / "build", "南京市")
    assert report.mentions >= 7
    document = json.loads((tmp_path / "build" / "document.json").read_text(encoding="utf-8"))
    assert document["region"]["name"] == "南京市"
    lat, lon = document["region"]["centre"]
    assert 31.2 < lat < 32.7 and 118.3 < lon < 119.3  # 南京's extent, not 镇江's
    basemap = json.loads((tmp_path / "build" / "basemap.geojson").read_text(encoding="utf-8"))
    ids = {f["id"] for f in basemap["features"]}
    assert "admin-320100" in ids and "admin-320115" in ids and "admin-321100" not in ids

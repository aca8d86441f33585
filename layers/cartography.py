"""The one cartography of planmap: palette, symbols, labels and draw order for every renderer.

The explorer (Leaflet) and the GeoPackage (QGIS QML / SLD) both derive their styles from the
tables below, so a colour changed here changes both maps. Nothing else in the project names
a colour.

The plan's central idea, 一体两翼三带, must read at a glance: the core (一体) and the two wings
(两翼) are filled areas in three clearly different hues; the three belts (三带) are hatched
bands in their own hues, so a belt over a zone stays legible. Regions larger than the city
(江苏省, 长三角 …) are outlines only and off by default: they would drown the city.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Symbol:
    """How one class of feature is drawn.

    ``fill_opacity`` 0 means outline only; ``hatch`` draws the fill as diagonal lines
    (used for belts and for areas known only approximately); ``z`` orders layers
    (higher is drawn on top); ``label_min_zoom`` is the Leaflet zoom from which the
    name is shown (QGIS derives a scale from it); ``visible`` is the default state.
    """

    colour: str
    fill_opacity: float = 0.0
    weight: float = 2.0
    dash: str = ""
    hatch: bool = False
    z: int = 0
    label_min_zoom: int = 11
    visible: bool = True
    label: str = ""


#: 一体两翼三带: one hue per part. Zones are filled, belts hatched.
STRUCTURE: dict[str, Symbol] = {
    "core": Symbol("#c0392b", 0.22, 2.5, z=20, label_min_zoom=9, label="一体 · 中部城市协同发展区"),
    "east-wing": Symbol("#1f5fa8", 0.22, 2.5, z=20, label_min_zoom=9, label="东翼 · 产业协同发展区"),
    "west-wing": Symbol("#2e8b3e", 0.22, 2.5, z=20, label_min_zoom=9, label="西翼 · 创新协同发展区"),
    "north": Symbol("#0f8fa3", 0.35, 2.0, dash="8 4", hatch=True, z=25, label_min_zoom=9, label="北线 · 沿江发展带"),
    "middle": Symbol("#d4820a", 0.35, 2.0, dash="8 4", hatch=True, z=25, label_min_zoom=9, label="中线 · 产业创新发展带"),
    "south": Symbol("#6b8e23", 0.35, 2.0, dash="8 4", hatch=True, z=25, label_min_zoom=9, label="南线 · 绿色生态发展带"),
}

#: One symbol per gazetteer category. Points over lines over areas (``z``).
CATEGORIES: dict[str, Symbol] = {
    "region": Symbol("#8c8c8c", 0.0, 1.0, dash="4 4", z=0, label_min_zoom=7, visible=False),
    "admin": Symbol("#5b5b5b", 0.0, 1.5, z=10, label_min_zoom=9),
    "structure": Symbol("#7570b3", 0.22, 2.0, z=20, label_min_zoom=9),
    "zone": Symbol("#e0601b", 0.25, 2.0, z=30, label_min_zoom=11),
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
#: How a loose geometry is drawn: dashed outline, hatched fill.
LOOSE_DASH = "6 4"


def symbol_for(category: str, structure_key: str | None = None) -> Symbol:
    """The symbol of a feature: a structure part by its key, anything else by its category."""
    if structure_key is not None and structure_key in STRUCTURE:
        return STRUCTURE[structure_key]
    return CATEGORIES.get(category, OTHER)


def as_json() -> dict:
    """The whole table as plain data, for renderers outside Python (the explorer's JS)."""
    return {
        "structure": {k: asdict(v) for k, v in STRUCTURE.items()},
        "categories": {k: asdict(v) for k, v in CATEGORIES.items()},
        "other": asdict(OTHER),
        "loose_precision": list(LOOSE_PRECISION),
        "loose_dash": LOOSE_DASH,
    }

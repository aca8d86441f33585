"""One cartography, two renderers: the GeoPackage's QML/SLD and the explorer's JSON read the same table.

Changes nothing: reads the table, the QML and SLD that :mod:`layers.styles` writes from it, and
the JSON the explorer is served, and checks every colour agrees.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from geo.gazetteer.entry import CATEGORIES as GAZETTEER_CATEGORIES
from layers import cartography, styles
from layers.structure import ELEMENTS

SE = "{http://www.opengis.net/se}"


def qml_colours(qml: str) -> dict[str, set[str]]:
    """Rule label → ``#rrggbb`` of every colour its symbol uses (white point rims aside)."""
    root = ElementTree.fromstring(qml)
    symbols = {s.get("name"): s for s in root.findall("renderer-v2/symbols/symbol")}
    out = {}
    for rule in root.findall("renderer-v2/rules/rule"):
        found = set()
        for layer in symbols[rule.get("symbol")].iter("layer"):
            for prop in layer.findall("prop"):
                if prop.get("k") in ("color", "line_color", "outline_color"):
                    r, g, b = (int(v) for v in prop.get("v").split(",")[:3])
                    found.add(f"#{r:02x}{g:02x}{b:02x}")
        out[rule.get("label")] = found - {"#ffffff"}
    return out


@pytest.mark.parametrize("category", GAZETTEER_CATEGORIES)
def test_each_category_is_drawn_in_its_table_colour_by_both_renderers(category):
    colour = cartography.CATEGORIES[category].colour
    qml = qml_colours(styles.qml(category, "GEOMETRY"))
    other = {label: c for label, c in qml.items()
             if label.split(": ")[-1] not in {s.label for s in cartography.STRUCTURE.values()}}
    assert other and all(c == {colour} for c in other.values()), other
    sld = ElementTree.fromstring(styles.sld(category, "GEOMETRY"))
    strokes = {p.text for p in sld.iter(f"{SE}SvgParameter") if p.get("name") == "stroke"}
    assert colour in strokes
    assert cartography.as_json()["categories"][category]["colour"] == colour


def test_each_structure_part_is_drawn_in_its_table_colour_by_both_renderers():
    qml = qml_colours(styles.qml("structure", "MULTIPOLYGON"))
    served = cartography.as_json()["structure"]
    for key, symbol in cartography.STRUCTURE.items():
        assert qml[symbol.label] == {symbol.colour}, key
        assert served[key]["colour"] == symbol.colour and served[key]["hatch"] == symbol.hatch
        assert served[key]["fill_opacity"] == symbol.fill_opacity


def test_structure_keys_name_the_structure_features():
    assert {cartography.structure_id(e.key) for e in ELEMENTS} == {e.id for e in ELEMENTS}
    assert set(cartography.STRUCTURE) == {e.key for e in ELEMENTS}


def test_the_table_covers_every_category_with_distinct_colours():
    assert set(cartography.CATEGORIES) == set(GAZETTEER_CATEGORIES)
    table = [*cartography.CATEGORIES.values(), *cartography.STRUCTURE.values()]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", s.colour) for s in table)
    structure = [s.colour for s in cartography.STRUCTURE.values()]
    assert len(set(structure)) == 6
    zones = [s for s in cartography.STRUCTURE.values() if not s.hatch]
    belts = [s for s in cartography.STRUCTURE.values() if s.hatch]
    assert len(zones) == 3 and all(s.fill_opacity > 0 for s in zones)  # 一体两翼 filled
    assert len(belts) == 3 and len({s.hatch_angle for s in belts}) == 3  # 三带 hatched, each its own way
    assert not cartography.CATEGORIES["region"].visible and cartography.CATEGORIES["region"].fill_opacity == 0


def test_scale_for_zoom_matches_web_mercator_at_zhenjiang():
    # OGC WMTS GoogleMapsCompatible: zoom 11 is 1:272,989 at the equator; cos(32.1°) = 0.847
    assert cartography.scale_for_zoom(11) == pytest.approx(272_989 * 0.8471, rel=1e-3)

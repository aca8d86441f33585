"""The exported GeoPackage opened in real QGIS (Debian's python3-qgis, headless): every layer
styled from ``layer_styles``, the stored project's layer order and visibility, and the rendered
city as a reader sees it — 一体两翼三带 in distinct colours, no region fill over the city, labels.

QGIS runs in its own interpreter (``/usr/bin/python3``), through ``scripts/render_qgis.py``,
once per module; the assertions read its JSON report and the PNG it wrote.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from layers import cartography
from layers.export import export

QGIS_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_qgis.py"
ZONES = ("core", "east-wing", "west-wing")


def has_qgis() -> bool:
    try:
        return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode == 0
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not has_qgis(), reason="python3-qgis is not installed (make browser installs it)")


def render(gpkg: Path, png: Path, *extra: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""}
    done = subprocess.run([QGIS_PYTHON, str(SCRIPT), str(gpkg), str(png), "--width", "1000", "--height", "750",
                           *extra], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rendered(places, tmp_path_factory):
    out = tmp_path_factory.mktemp("qgis")
    gpkg = export(list(places.values()), out / "planmap.gpkg")
    return render(gpkg, out / "city.png"), Image.open(out / "city.png").convert("RGB"), gpkg, out


def over_white(colour: str, opacity: float) -> tuple[int, ...]:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(c * opacity + 255 * (1 - opacity)) for c in rgb)


def dominant(image: Image.Image, xy: list[int], radius: int = 6) -> tuple[int, ...]:
    """The commonest colour around a pixel: the fill, not the hatch lines or a line crossing it."""
    x, y = xy
    box = image.crop((x - radius, y - radius, x + radius + 1, y + radius + 1))
    data = box.tobytes()
    return Counter(tuple(data[i:i + 3]) for i in range(0, len(data), 3)).most_common(1)[0][0]


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True))


def test_every_layer_opens_styled_from_layer_styles(rendered, places):
    report = rendered[0]
    layers = {layer["name"]: layer for layer in report["default_styles"]}
    assert sorted(layers) == sorted({f["properties"]["category"] for f in places.values()})
    for name, layer in layers.items():
        # QGIS's own default for a new layer is a single random-coloured symbol
        assert layer["renderer"] == "RuleRenderer" and layer["labels"], name
        colour = cartography.CATEGORIES[name].colour
        used = {sl["colour"] for rule in layer["rules"] for sl in rule["layers"]}
        assert colour in used, name
    structure = {rule["label"]: rule for rule in layers["structure"]["rules"]}
    for key, symbol in cartography.STRUCTURE.items():
        rule = structure[symbol.label]
        assert {sl["colour"] for sl in rule["layers"]} == {symbol.colour}, key
        assert rule["layers"][0]["class"] == ("LinePatternFill" if symbol.hatch else "SimpleFill"), key


def test_project_orders_points_over_lines_over_areas_and_hides_regions(rendered):
    project = rendered[0]["project"]
    assert all(layer["valid"] and layer["renderer"] == "RuleRenderer" for layer in project)
    assert rendered[0]["crs"] == "EPSG:4549"
    kinds = [kind_of(layer) for layer in project]
    ranks = [cartography.KIND_ORDER.index(k) for k in kinds]
    assert ranks == sorted(ranks, reverse=True)  # top of the tree first: points, then lines, then areas
    hidden = {layer["name"] for layer in project if not layer["visible"]}
    assert hidden and all(name.startswith("region") for name in hidden)
    assert project[-1]["name"].startswith("region")  # and drawn beneath everything when shown


def kind_of(layer: dict) -> str:
    classes = {sl["class"] for rule in layer["rules"] for sl in rule["layers"]}
    if "SimpleMarker" in classes:
        return "Point"
    return "Polygon" if classes & {"SimpleFill", "LinePatternFill"} or "area(" in str(layer["rules"]) else "Line"


def test_structure_zones_are_distinct_colours_in_the_picture(rendered):
    report, image = rendered[0], rendered[1]
    seen = {}
    for key in ZONES:
        symbol = cartography.STRUCTURE[key]
        pixel = dominant(image, report["parts"][cartography.structure_id(key)])
        seen[key] = pixel
        assert close(pixel, over_white(symbol.colour, symbol.fill_opacity), 40), (key, pixel)
    assert len(set(seen.values())) == 3
    assert all(not close(a, b, 25) for a in seen.values() for b in seen.values() if a is not b), seen


def test_no_region_fill_over_the_city_even_with_regions_shown(rendered):
    report, image, gpkg, out = rendered
    # every point of the city lies inside 江苏省, 长三角, 长江经济带 and 宁镇扬
    layout = report["parts"]["structure-layout"]
    base = dominant(image, layout)
    everything = render(gpkg, out / "all.png", "--all-layers")
    shown = Image.open(out / "all.png").convert("RGB")
    assert dominant(shown, everything["parts"]["structure-layout"]) == base
    assert {layer["name"] for layer in everything["project"]} >= {"region (面)"}


def test_structure_labels_are_placed(rendered):
    labels = rendered[0]["labels"]
    for symbol in cartography.STRUCTURE.values():
        assert symbol.label.replace(" · ", "\n") in labels
    assert "镇江市" in labels and "长江" in labels

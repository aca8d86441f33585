""""导出当前所见" exports exactly what the map draws; files read back with GDAL (pyogrio)."""
from __future__ import annotations

import zipfile

import pyogrio

from tests.browser.conftest import open_explorer


def drawn_ids(page) -> set[str]:
    """Ids the map draws: the export link's list, checked against the count the page shows."""
    ids = page.evaluate("new URL(document.getElementById('pm-export-link').href).searchParams.get('ids')").split(",")
    assert page.locator("#pm-count").inner_text().startswith(f"{len(ids)} / ")
    return set(ids)


def download(page, tmp_path):
    with page.expect_download() as info:
        page.locator("#pm-export-link").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def read_ids(path) -> set[str]:
    ids: set[str] = set()
    for name, geometry_type in pyogrio.list_layers(path):
        if geometry_type is None:   # layer_styles, the QGIS style table
            continue
        ids |= set(pyogrio.read_dataframe(path, layer=name, read_geometry=False)["id"])
    return ids


def test_export_holds_what_is_drawn_with_filters_area_and_layers(page, live_server, tmp_path):
    open_explorer(page, live_server + "/?belt=north&within=admin-321112")
    page.locator(".pm-tool[data-panel='layers']").click()
    page.locator("#pm-legend input[name='layer'][value='town']").uncheck()
    page.locator(".pm-tool[data-panel='export']").click()
    page.select_option("#pm-export-format", "gpkg")
    drawn = drawn_ids(page)
    assert drawn
    shown = page.locator("#pm-export-summary").inner_text()
    assert f"{len(drawn)} 个地点" in shown
    path = download(page, tmp_path)
    assert path.name == f"planmap_belt-north_within-admin-321112_{len(drawn)}-places.gpkg"
    assert read_ids(path) == drawn
    page.watch.assert_clean()


def test_export_of_the_extent_and_split_by_geometry(page, live_server, tmp_path):
    open_explorer(page, live_server + "/?view=32.20000,119.45000,12")
    page.locator(".pm-tool[data-panel='export']").click()
    everything = drawn_ids(page)
    page.locator("#pm-export-extent").check()
    in_view = set(page.evaluate(
        "new URL(document.getElementById('pm-export-link').href).searchParams.get('ids')").split(","))
    assert in_view < everything
    page.locator("#pm-export-split").check()
    path = download(page, tmp_path)
    assert path.name.endswith(f"_{len(in_view)}-places_by-geometry.zip")
    found: set[str] = set()
    kinds = {"points.geojson": "Point", "lines.geojson": "LineString", "polygons.geojson": "Polygon"}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert set(names) <= set(kinds) and len(names) >= 2
        archive.extractall(tmp_path / "split")
    for name in names:
        frame = pyogrio.read_dataframe(tmp_path / "split" / name)
        assert {t.replace("Multi", "") for t in frame.geom_type} == {kinds[name]}
        found |= set(frame["id"])
    assert found == in_view
    page.watch.assert_clean()


def test_the_print_view_downloads_as_a_png(page, live_server, tmp_path):
    """The PNG is the print view (the map's box at full width, with title, key, scale, north arrow),
    drawn offline by the vendored html-to-image; decoded here with Pillow."""
    from PIL import Image

    open_explorer(page, live_server + "/")
    with page.expect_download() as info:
        page.locator("#pm-png").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "planmap_map.png"
    image = Image.open(path)
    image.load()   # decodes the whole file: a truncated or corrupt PNG raises here
    assert image.format == "PNG"
    # the print view hides the header and the text column: the map fills the window
    assert image.size == (1440, 900)
    rgb = image.convert("RGB")
    colours = rgb.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 1000   # not blank: shapes, hatching, text
    background = max(colours)[1]
    assert background == (0xe8, 0xed, 0xf1)   # the map's own background, not a black or white void
    # the core (一体) is filled in its colour from layers/cartography.py, blended over the background
    core = (0xd7, 0x30, 0x1f)
    assert any(r > 200 and g < 150 and b < 150 and abs(r - core[0]) < 40 for _, (r, g, b) in colours)
    # the title sits at the top centre: dark text on a light box
    title = rgb.crop((500, 10, 940, 60)).getcolors(maxcolors=1 << 16)
    assert any(sum(c) < 150 for _, c in title)
    assert not page.evaluate("document.body.classList.contains('pm-printing')")   # back to the explorer
    page.watch.assert_clean()

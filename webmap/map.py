"""The Folium map of the explorer: Leaflet served by us, optional web tiles, and the planmap
component that wires map, legend, filters and reader together.

Folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; the
instance lists are replaced with the copies under ``/static/vendor`` so the page works
offline (see ``webmap/static/vendor/README.md``). Folium's layer control and scale are not
used: the explorer draws its own legend (the layer switches are part of it) and a metric
scale, both in the page's language.
"""
from __future__ import annotations

import re
from typing import cast

import folium
from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

VENDOR = "/static/vendor"
VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
#: Zoom that frames a prefecture-level city on a laptop screen; the centre is the region's.
ZOOM = 10
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


class PlanExplorer(JSCSSMixin, MacroElement):
    """The explorer's behaviour: layers per category, filters, reader links, area queries.

    Its logic lives in ``/static/planmap.js``; this element only hands it the Leaflet map,
    the optional tile layer and the page options, serialised with ``tojson``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            PlanMap.init({{ this._parent.get_name() }}, {{ this.tiles.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
    """)
    default_js = [
        ("leaflet_draw_js", f"{VENDOR}/leaflet-draw/leaflet.draw.js"),
        ("markercluster_js", f"{VENDOR}/leaflet-markercluster/leaflet.markercluster.js"),
        ("planmap_js", "/static/planmap.js"),
        ("planmap_intent_js", "/static/intent.js"),
    ]
    default_css = [
        ("leaflet_draw_css", f"{VENDOR}/leaflet-draw/leaflet.draw.css"),
        ("markercluster_css", f"{VENDOR}/leaflet-markercluster/MarkerCluster.css"),
        ("planmap_css", "/static/planmap.css"),
        ("planmap_intent_css", "/static/intent.css"),
    ]

    def __init__(self, tiles: folium.TileLayer, options: dict) -> None:
        super().__init__()
        self._name = "PlanExplorer"
        self.tiles = tiles
        self.options = options


def build_map(options: dict, centre: tuple[float, float], *, tiles: bool = False) -> folium.Map:
    """The map with no data in it, centred on the region (lat, lon): features arrive from the
    API, so filters need no reload."""
    m = folium.Map(location=centre, zoom_start=ZOOM, tiles=None, control_scale=False, prefer_canvas=False)
    m.default_js = [("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
    osm = folium.TileLayer("OpenStreetMap", name="osm", overlay=True, show=tiles, attr=OSM_ATTRIBUTION)
    osm.add_to(m)
    PlanExplorer(osm, options).add_to(m)
    return m


def render_parts(m: folium.Map) -> dict[str, str]:
    """Folium's head, body and script blocks, to place inside the explorer's own page."""
    root = cast(Figure, m.get_root())   # a Map's root is its Figure
    root.render()
    # Folium's own viewport tag forbids zooming (user-scalable=no); the page declares its own
    head = VIEWPORT.sub("", root.header.render())
    return {"head": head, "body": root.html.render(), "script": root.script.render()}

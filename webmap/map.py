"""The Folium map of the explorer: Leaflet served by us, our own vector background,
optional web tiles, and the planmap component that wires map and reader together.

Folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; the
instance lists are replaced with the copies under ``/static/vendor`` so the page works
offline (see ``webmap/static/vendor/README.md``).
"""
from __future__ import annotations

from typing import cast

import folium
from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

VENDOR = "/static/vendor"
#: Zoom that frames a prefecture-level city on a laptop screen; the centre is the region's.
ZOOM = 10
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


class PlanExplorer(JSCSSMixin, MacroElement):
    """The explorer's behaviour: layers per category, filters, reader links, area queries.

    Its logic lives in ``/static/planmap.js``; this element only hands it the Leaflet map,
    the layer control and the page options, serialised with ``tojson``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            PlanMap.init({{ this._parent.get_name() }}, {{ this.control.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
    """)
    default_js = [
        ("leaflet_draw_js", f"{VENDOR}/leaflet-draw/leaflet.draw.js"),
        ("planmap_js", "/static/planmap.js"),
        ("planmap_intent_js", "/static/intent.js"),
    ]
    default_css = [
        ("leaflet_draw_css", f"{VENDOR}/leaflet-draw/leaflet.draw.css"),
        ("planmap_css", "/static/planmap.css"),
        ("planmap_intent_css", "/static/intent.css"),
    ]

    def __init__(self, control: folium.LayerControl, options: dict) -> None:
        super().__init__()
        self._name = "PlanExplorer"
        self.control = control
        self.options = options


def build_map(options: dict, centre: tuple[float, float], *, tiles: bool = False) -> folium.Map:
    """The map with no data in it, centred on the region (lat, lon): features arrive from the
    API, so filters need no reload."""
    m = folium.Map(location=centre, zoom_start=ZOOM, tiles=None, control_scale=True)
    m.default_js = [("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap 网络底图（需联网）", overlay=True, show=tiles,
                     attr=OSM_ATTRIBUTION).add_to(m)
    control = folium.LayerControl(collapsed=False, position="topright")
    control.add_to(m)
    PlanExplorer(control, options).add_to(m)
    return m


def render_parts(m: folium.Map) -> dict[str, str]:
    """Folium's head, body and script blocks, to place inside the explorer's own page."""
    root = cast(Figure, m.get_root())   # a Map's root is its Figure
    root.render()
    return {"head": root.header.render(), "body": root.html.render(), "script": root.script.render()}

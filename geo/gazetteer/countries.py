"""Countries by their Chinese names: 日本, 德国 … as a text about 镇江's partners names them.

From ``data/divisions/countries.csv`` (npm ``world-countries`` 5.1.0, ODbL; see the NOTICE beside
it). A country is the representative point the dataset gives, with the radius of its area as its
precision: class D, enough to say which country a text means and never more.
"""
from __future__ import annotations

import csv

from shapely.geometry import Point

from ..errors import DataError
from ..resources import data_file
from .entry import Entry

COUNTRIES_FILE = data_file("divisions", "countries.csv")
LICENCE = "world-countries 5.1.0 (ODbL 1.0)"


def country_entries(taken: set[str]) -> list[Entry]:
    """One entry per country whose name no other entry has (``taken``: the surfaces already known)."""
    try:
        with COUNTRIES_FILE.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the country table {COUNTRIES_FILE}: {exc}") from exc
    out = []
    for r in rows:
        if r["name"] in taken:
            continue
        aliases = tuple(a for a in r["aliases"].split("|") if a and a not in taken)
        out.append(Entry(
            id=f"country-{r['code']}", name=r["name"], category="region",
            geometry=Point(float(r["lon"]), float(r["lat"])), precision_class="D",
            precision_m=int(r["radius_m"]), aliases=aliases, in_region=False, licence=LICENCE,
            source=(f"world-countries {r['code']}: the country's representative point, with the radius of a "
                    f"circle of its area as precision"),
            note="a country",
        ))
    return out

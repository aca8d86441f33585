"""Regenerate data/divisions/countries.csv: the world's countries by their Chinese names, compact.

Input: the npm package ``world-countries`` 5.1.0 (ODbL 1.0, © Mohammed Le Doze and contributors),
fetched without a Node project by ``npm pack world-countries@5.1.0`` and unpacked. Output, one row
per country: its ISO code, its common Chinese name and official name, the representative
coordinate the dataset gives (``latlng``) and the radius of a circle of the country's area — what a
country a text names is located by (class D, never more).

Left out: 中国 itself (the national name base holds its units), and 香港, 澳门 and 台湾, which the
name base does not hold as countries; names shared by two countries (刚果) and names that are
everyday words in Chinese texts (黑山 "black hill").

Run: ``npm pack world-countries@5.1.0 && tar xzf world-countries-*.tgz`` then
``python scripts/extract_countries.py package/countries.json``.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "divisions" / "countries.csv"
COLUMNS = ("code", "name", "aliases", "lon", "lat", "radius_m")
LEFT_OUT = frozenset({"CN", "HK", "MO", "TW"})
EVERYDAY_WORDS = frozenset({"黑山"})


def rows(countries: list[dict]) -> list[dict]:
    names = Counter(c["translations"].get("zho", {}).get("common") for c in countries)
    out = []
    for c in countries:
        zho = c["translations"].get("zho")
        if not zho or c["cca2"] in LEFT_OUT or names[zho["common"]] > 1 or zho["common"] in EVERYDAY_WORDS:
            continue
        lat, lon = c["latlng"]
        radius = max(10_000, round(math.sqrt(c["area"] * 1e6 / math.pi), -3)) if c.get("area", 0) > 0 else 10_000
        official = zho["official"] if zho["official"] != zho["common"] else ""
        out.append({"code": c["cca3"], "name": zho["common"], "aliases": official,
                    "lon": lon, "lat": lat, "radius_m": int(radius)})
    return sorted(out, key=lambda r: r["code"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries_json", type=Path)
    args = parser.parse_args()
    table = rows(json.loads(args.countries_json.read_text(encoding="utf-8")))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    print(f"wrote {len(table)} countries to {OUT}")


if __name__ == "__main__":
    main()

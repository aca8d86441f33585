"""Places a text names with a known place and a place-type word (南京南站, 句容市人民医院, 丹阳市云阳路).

Such a name is another place than its prefix, and the gazetteer does not hold it. Its id says
what it is built from (``nested:<parent id>:<name>``), so the same entry is made again from the
id alone wherever a build, a cached document or the server asks for it. It is located as its
parent's area at class D — all its name says is that it lies in or by that place — never as a
point, and never as the parent itself.
"""
from __future__ import annotations

import re

from ..evidence import anchor_area
from .entry import PRECISION_M, Entry

PREFIX = "nested:"
#: Parents a name can place another place inside: units and places with an area of their own
#: (not lines: a 京沪高铁站 says nothing about where along the line it is).
PARENT_CATEGORIES = frozenset({"admin", "town", "zone", "landmark", "park", "community", "institution"})
#: The category a nested place takes from the type word its name ends with (first match wins).
_CATEGORIES = (
    (re.compile(r"(?:铁路|城际)$"), "rail"),  # before roads: 铁路 ends in 路
    (re.compile(r"(?:路|大道|大街|街|巷|高速)$"), "road"),
    (re.compile(r"(?:社区|小区|村)$"), "community"),
    (re.compile(r"(?:大桥|桥)$"), "bridge"),
    (re.compile(r"(?:河|湖|水库)$"), "river"),
    (re.compile(r"(?:产业园|科技园|工业园)$"), "park"),
    (re.compile(r"(?:医院|中学|小学|学院|管委会)$"), "institution"),
    (re.compile(r"(?:都市圈|城市群|经济圈|经济区)$"), "region"),
    (re.compile(r"(?:开发区|高新区|经开区|新区|新城|科学城|大学城|度假区|风景区|港区|港)$"), "zone"),
)
LICENCE = "planmap: located from its name (CC BY 4.0)"


def nested_id(parent: Entry, name: str) -> str:
    return f"{PREFIX}{parent.id}:{name}"


def parent_id(eid: str) -> str | None:
    """The parent's id a nested id was made from; None for any other id."""
    if not eid.startswith(PREFIX):
        return None
    parent, _, name = eid[len(PREFIX):].rpartition(":")
    return parent if parent and name else None


def nested_entry(eid: str, parent: Entry) -> Entry:
    """The place ``eid`` names, located as ``parent``'s area (class D)."""
    name = eid.rpartition(":")[2]
    category = next((c for pattern, c in _CATEGORIES if pattern.search(name)), "landmark")
    metres = PRECISION_M["D"]
    area = anchor_area(parent, max(metres, parent.metres))
    return Entry(
        id=eid, name=name, category=category, geometry=area, precision_class="D",
        source=(f"located as {parent.name}'s area: the text names it after {parent.name} with a place-type word; "
                f"the gazetteer holds no entry for it, and its own site is not read"),
        licence=LICENCE, parents=(parent.id,), precision_m=metres, in_region=parent.in_region,
        note="nested name", basis="anchor-area", anchor=parent.id,
    )

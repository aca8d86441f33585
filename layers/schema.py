"""The properties of a place feature, declared once: name, type, meaning and valid values.

Everything that describes a feature's properties is derived from :data:`PROPERTIES`: the
typed columns of the GeoPackage/CSV/KML exports (:func:`tabular_fields`), the OGC API's
field list (webmap/ogc_provider.py, from the tabular fields) and the OpenAPI schema of
the JSON API (:func:`json_schema`). layers/features.py fills them in; a test checks that
a real build's features have exactly these properties.
"""
from __future__ import annotations

from dataclasses import dataclass

from geo.gazetteer.entry import CATEGORIES
from geo.intent import ACTIONS, STAGES

from .industries import ALL as INDUSTRIES
from .structure import BELT_KEYS, ZONE_KEYS

#: Kinds of property: scalars, lists of strings, counts by key (an object) and the list of mention objects.
KINDS = ("str", "int", "bool", "strings", "counts", "decisions", "sources")


@dataclass(frozen=True)
class Property:
    name: str
    kind: str
    description: str
    values: tuple[str, ...] = ()
    #: Derived for flat tables only (GeoJSON has ``sources`` instead).
    tabular_only: bool = False

    @property
    def tabular_kind(self) -> str:
        """Type in flat formats: lists and objects become JSON text."""
        return "json" if self.kind in ("strings", "counts", "decisions", "sources") else self.kind


PROPERTIES: tuple[Property, ...] = (
    Property("name", "str", "the place's name as the gazetteer spells it"),
    Property("category", "str", "kind of place", tuple(CATEGORIES)),
    Property("aliases", "strings", "other names the text may use"),
    Property("belts", "strings", "development belts (三带) the place lies in", tuple(BELT_KEYS)),
    Property("zones", "strings", "zones of 一体两翼 the place lies in", tuple(ZONE_KEYS)),
    Property("industries", "strings", "industry clusters and chains the plan assigns", tuple(INDUSTRIES)),
    Property("stages", "strings", "stages of the plan's mentions: done, ongoing, planned", tuple(STAGES)),
    Property("actions", "strings", "what the plan wants at the place (build, upgrade, connect …)", tuple(ACTIONS)),
    Property("parents", "strings", "names of the units the place lies in, nearest first"),
    Property("precision", "str", "precision class of the position (A, B, C, S, D, P)"),
    Property("precision_m", "int", "how far the true position may be, in metres"),
    Property("precision_label", "str", "the precision class in words"),
    Property("mentions", "int", "how many times the text mentions the place"),
    Property("docs", "counts", "mentions per document id"),
    Property("paragraphs", "strings", "ids of the paragraphs that mention it", tabular_only=True),
    Property("geo_source", "str", "where the coordinates come from"),
    Property("source_url", "strings", "pages a reviewer can open to check the position"),
    Property("source_title", "strings", "titles of those pages, in the same order"),
    Property("basis", "str", "what was read there and how the position follows from it"),
    Property("source_crs", "str", "coordinate system of that source"),
    Property("licence", "str", "licence of that source"),
    Property("in_region", "bool", "whether the place lies in the city"),
    Property("membership", "decisions", "why the place is in each belt and zone: by the plan's words or by "
             "geometry, with the rule quoted"),
    Property("sources", "sources", "every mention: paragraph, offsets, surface form and the sentence around it"),
)
BY_NAME = {p.name: p for p in PROPERTIES}


def feature_properties() -> list[Property]:
    """The properties of a GeoJSON feature, as the build writes and the API serves them."""
    return [p for p in PROPERTIES if not p.tabular_only]


def tabular_fields() -> dict[str, str]:
    """Column name → type of every flat export (``id`` first; lists as JSON text)."""
    return {"id": "str", **{p.name: p.tabular_kind for p in PROPERTIES}}


def paragraph_ids(properties: dict) -> list[str]:
    """The derived ``paragraphs`` column: the mentioning paragraphs, in order, once each."""
    return list(dict.fromkeys(s["paragraph"] for s in properties["sources"]))


_JSON_TYPES = {"str": "string", "int": "integer", "bool": "boolean"}


def json_schema(prop: Property, source_schema: dict) -> dict:
    """JSON Schema of one property; ``source_schema`` describes one mention object."""
    if prop.kind == "sources":
        return {"type": "array", "items": source_schema, "description": prop.description}
    if prop.kind == "decisions":
        decision = {"type": "object", "properties": {"key": {"type": "string"}, "kind": {"enum": ["zone", "belt"]},
                                                    "by": {"type": "string"}, "rule": {"type": "string"}},
                    "required": ["key", "kind", "by", "rule"]}
        return {"type": "array", "items": decision, "description": prop.description}
    if prop.kind == "counts":
        return {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                "description": prop.description}
    if prop.kind == "strings":
        items: dict = {"enum": list(prop.values)} if prop.values else {"type": "string"}
        return {"type": "array", "items": items, "description": prop.description}
    schema: dict = {"enum": list(prop.values)} if prop.values else {"type": _JSON_TYPES[prop.kind]}
    if prop.kind == "int":
        schema["minimum"] = 0
    return {**schema, "description": prop.description}

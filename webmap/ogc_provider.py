"""A pygeoapi feature provider that serves the in-memory :class:`webmap.store.Store`.

pygeoapi's own GeoJSON provider re-reads its file on every request, and pygeoapi
builds a new provider object per request from the configuration's provider
definition; so the definition carries the store itself (wrapped in
:class:`Shared`, which survives pygeoapi's deep copies of its configuration).

The OGC view of a feature is the tabular one of the GPKG/CSV exports
(:data:`layers.export.FIELDS`): every property has a simple type, which is what
GDAL's OAPIF driver and QGIS handle; list-valued properties (``belts``, ``zones``,
``industries``, ``stages``, ``actions``, ``aliases``, ``parents``, ``paragraphs``, ``sources``) are JSON text.
A property filter ``?name=value`` compares with the feature's own values: on a
list-valued property it matches when the list *contains* the value
(``?industries=新材料``), on a scalar when it equals it. ``docs`` (mentions per
document, an object) matches when the document has mentions of the place
(``?docs=gangyao``): the OGC view of the API's ``doc`` filter. ``belts``, ``zones``,
``industries``, ``stages``, ``actions``, ``category`` and ``docs`` accept only the values
the build defines, as in the HTTP API. ``sources`` (a list of objects) cannot be filtered.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError

try:  # pygeoapi >= 0.22 keeps its CRS helpers in pygeoapi.crs
    from pygeoapi.crs import crs_transform
except ImportError:  # pygeoapi 0.21
    from pygeoapi.util import crs_transform  # type: ignore[attr-defined,no-redef]
from shapely.geometry.base import BaseGeometry

from geo.errors import BadInput
from layers.export import FIELDS, FILTERS, validate_filters
from layers.schema import BY_NAME, paragraph_ids
from layers.spatial import intersects, lonlat_box

from .store import Store

#: JSON Schema type of each kind in :data:`layers.export.FIELDS`.
SCHEMA_TYPES = {"str": "string", "int": "integer", "bool": "boolean", "json": "string"}
#: Feature properties in the OGC view, in order: the id is the feature's own ``id`` member.
OGC_FIELDS = {name: kind for name, kind in FIELDS.items() if name != "id"}
#: Properties that cannot be filtered: a list of objects has no value to compare with.
UNFILTERABLE = {"sources"}
#: Property name → name of the plan filter (:data:`layers.export.FILTERS`) that checks its values.
PLAN_FILTERS = {prop: name for name, (prop, _) in FILTERS.items()}


@dataclass(frozen=True, eq=False)
class Shared:
    """The store inside pygeoapi's configuration: deep copies of the configuration share it."""

    store: Store

    def __deepcopy__(self, memo: dict) -> Shared:
        return self


def ogc_fields() -> dict[str, dict]:
    """pygeoapi field descriptions (JSON Schema), fresh on each call: pygeoapi edits them in place."""
    fields = {}
    for name, kind in OGC_FIELDS.items():
        fields[name] = {"type": SCHEMA_TYPES[kind], "description": BY_NAME[name].description}
        if kind == "json":
            rule = ("not filterable" if name in UNFILTERABLE else f"?{name}=X matches objects with the key X"
                    if name == "docs" else f"?{name}=X matches arrays containing X")
            what = "JSON object (document id → mentions)" if name == "docs" else "JSON array"
            fields[name]["description"] += f" ({what} as text; {rule})"
    return fields


def native_properties(feature: dict) -> dict:
    """The OGC view's properties before encoding: lists still lists (what filters compare with)."""
    props = feature["properties"]
    return {name: paragraph_ids(props) if name == "paragraphs" else props.get(name) for name in OGC_FIELDS}


def encode(native: dict) -> dict:
    """Lists and objects as JSON text, as in the GPKG/CSV exports."""
    return {name: json.dumps(value, ensure_ascii=False) if OGC_FIELDS[name] == "json" else value
            for name, value in native.items()}


def matcher(name: str, text: str, documents: Sequence[str] = ()):
    """A predicate on native properties for the query parameter ``name=text``; bad values raise BadInput.
    ``documents`` are the build's document ids, the valid values of ``docs``."""
    kind = OGC_FIELDS[name]
    if name in UNFILTERABLE:
        raise BadInput(f"property {name!r} cannot be filtered")
    if name in PLAN_FILTERS:
        validate_filters({PLAN_FILTERS[name]: [text]}, documents)
    if kind == "json":
        return lambda props: text in props[name]
    if kind == "int":
        try:
            wanted: object = int(text)
        except ValueError:
            raise BadInput(f"{name} must be an integer; got {text[:80]!r}") from None
    elif kind == "bool":
        if text.lower() not in ("true", "false"):
            raise BadInput(f"{name} must be true or false; got {text[:80]!r}")
        wanted = text.lower() == "true"
    else:
        wanted = text
    return lambda props: props[name] == wanted


def sort_key(value) -> tuple:
    """Scalars by value, lists by their JSON text; missing values last."""
    return (value is None, json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value)


def bbox_area(bbox: list[float]) -> BaseGeometry:
    """pygeoapi's checked bbox (4 numbers, or 6 with heights) as an area."""
    minx, miny, maxx, maxy = bbox if len(bbox) == 4 else (bbox[0], bbox[1], bbox[3], bbox[4])
    return lonlat_box(minx, miny, maxx, maxy)


class StoreProvider(BaseProvider):
    """Features of one category of the store (all of them when the definition's ``category`` is None)."""

    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        self.store: Store = provider_def["data"].store
        self.category: str | None = provider_def.get("category")
        self._fields = self.get_fields()

    def get_fields(self) -> dict:
        return ogc_fields()

    def _features(self) -> list[dict]:
        return [f for f in self.store.features
                if self.category is None or f["properties"]["category"] == self.category]

    @crs_transform
    def query(self, offset: int = 0, limit: int = 10, resulttype: str = "results", bbox: list | None = None,
              properties: list | None = None, sortby: list | None = None, select_properties: list | None = None,
              skip_geometry: bool = False, q: str | None = None, filterq=None, **kwargs) -> dict:
        """A FeatureCollection page; filters combine with AND, as OGC API - Features asks."""
        if filterq is not None:
            raise ProviderInvalidQueryError(user_msg="CQL filters are not supported; use property=value parameters")
        try:
            tests = [matcher(name, value, self.store.doc_ids) for name, value in properties or []]
        except BadInput as exc:
            raise ProviderInvalidQueryError(user_msg=exc.message) from None
        chosen = self._features()
        if q:
            found = {f["id"] for f in self.store.search({}, q)}
            chosen = [f for f in chosen if f["id"] in found]
        if bbox:
            area = bbox_area(bbox)
            chosen = [f for f in chosen if intersects(self.store.shapes[f["id"]], area)]
        rows = [(f, native_properties(f)) for f in chosen]
        rows = [(f, props) for f, props in rows if all(test(props) for test in tests)]
        for key in reversed(sortby or []):
            rows.sort(key=_by_property(key["property"]), reverse=key["order"] == "-")
        page = [] if resulttype == "hits" else rows[offset:offset + limit]
        features = [self._feature(f, props, select_properties, skip_geometry) for f, props in page]
        return {"type": "FeatureCollection", "features": features,
                "numberMatched": len(rows), "numberReturned": len(features)}

    @crs_transform
    def get(self, identifier: str, **kwargs) -> dict:
        feature = self.store.feature_index.get(identifier)
        if feature is None or self.category not in (None, feature["properties"]["category"]):
            raise ProviderItemNotFoundError(user_msg=f"no feature with id {identifier!r} in this collection")
        return self._feature(feature, native_properties(feature))

    @staticmethod
    def _feature(feature: dict, props: dict, select: list | None = None, skip_geometry: bool = False) -> dict:
        props = encode(props)
        if select:
            props = {name: value for name, value in props.items() if name in select}
        return {"type": "Feature", "id": feature["id"],
                "geometry": None if skip_geometry else feature["geometry"], "properties": props}


def _by_property(name: str) -> Callable[[tuple[dict, dict]], Any]:
    """The sort key of (feature, properties) rows by one property."""
    return lambda row: sort_key(row[1][name])

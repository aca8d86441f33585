"""One declaration of feature properties; the build, the exports and the API descriptions agree with it."""
from __future__ import annotations

from layers.export import FIELDS
from layers.schema import PROPERTIES, feature_properties, tabular_fields
from webmap.openapi import openapi_document


def test_built_features_have_exactly_the_declared_properties(places):
    declared = [p.name for p in feature_properties()]
    for feature in places.values():
        assert sorted(feature["properties"]) == sorted(declared), feature["id"]


def test_exports_and_openapi_are_derived_from_it():
    assert FIELDS == tabular_fields() and list(FIELDS) == ["id", *(p.name for p in PROPERTIES)]
    place = openapi_document()["components"]["schemas"]["Place"]["properties"]["properties"]
    assert list(place["properties"]) == [p.name for p in feature_properties()]
    assert place["properties"]["belts"]["items"]["enum"] == ["north", "middle", "south"]
    assert place["properties"]["in_region"]["type"] == "boolean"

"""An OpenAPI 3.1 description of the JSON API under ``/api``, built from the code's own tables.

The filter enums come from :data:`layers.export.FILTERS`, the export formats from
:data:`layers.export.FORMATS` and the length limit from :data:`webmap.api.MAX_PARAM`, so the
description cannot drift from what the API accepts. The test suite fuzzes the API from this
document (tests/webmap/test_fuzz.py): a response that breaks it is a failing test.
"""
from __future__ import annotations

from importlib.metadata import version

from layers.export import FILTERS, FORMATS
from layers.schema import feature_properties, json_schema

from .api import DETAILS, MAX_PARAM

JSON = "application/json"
GEOJSON = "application/geo+json"
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STR = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
#: Mentions per document id.
DOC_COUNTS = {"type": "object", "additionalProperties": COUNT}


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def obj(properties: dict, required: tuple[str, ...] | None = None, closed: bool = False) -> dict:
    """An object schema; every property is required unless ``required`` says otherwise."""
    schema: dict[str, object] = {"type": "object", "properties": properties,
              "required": list(properties if required is None else required)}
    if closed:
        schema["additionalProperties"] = False
    return schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


# --- parameters ---------------------------------------------------------------------------

def filter_parameter(name: str) -> dict:
    """A repeatable filter: values OR together, filters AND; an empty value means no filter.

    ``doc`` takes the build's document ids (listed by ``/api/documents``), so it has no enum here.
    """
    prop, values = FILTERS[name]
    values_schema = {"enum": ["", *values]} if values else {"maxLength": MAX_PARAM}
    return {"name": name, "in": "query", "style": "form", "explode": True,
            "description": f"keep features whose `{prop}` includes any of the values (repeatable)",
            "schema": array({"type": "string", **values_schema})}


def query(name: str, description: str, example: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "description": description, "example": example,
            "schema": schema or {"type": "string", "maxLength": MAX_PARAM}}


def path_id(name: str, what: str, example: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": f"the {what}'s id", "example": example,
            "schema": {"type": "string", "minLength": 1}}


def parameters() -> dict:
    return {
        **{name: filter_parameter(name) for name in FILTERS},
        "q": query("q", "name or alias search, case- and width-folded (Ｇ３１２ finds G312)", "宝华"),
        "format": query("format", "file format of the download; empty or absent means geojson", "gpkg",
                        {"type": "string", "enum": ["", *FORMATS]}),
        "within": query("within", "a feature or district id (as /api/features and /api/overview give them): "
                        "paragraphs mentioning places inside that area",
                        "admin-321183"),
        "bbox": query("bbox", "minlon,minlat,maxlon,maxlat in WGS-84 degrees, min < max; not with within",
                      "119.75,32.05,119.98,32.33"),
        "detail": query("detail", "geometry as stored (`full`, the default), generalised to each place's precision "
                        "class for drawing (`display`), or the explorer's first view (`first`: generalised, and "
                        "`null` for the categories hidden by default)", "display",
                        {"type": "string", "enum": ["", *DETAILS]}),
        "pid": path_id("pid", "paragraph", "jianyi:s3-i9"),
        "fid": path_id("fid", "feature", "park-xinqu-aerospace"),
    }


FEATURE_FILTERS = [ref("parameters", name) for name in (*FILTERS, "q")]


# --- schemas ------------------------------------------------------------------------------

def geometry() -> dict:
    return obj({"type": {"enum": ["Point", "MultiPoint", "LineString", "MultiLineString",
                                  "Polygon", "MultiPolygon"]},
                "coordinates": {"type": "array"}})


def source() -> dict:
    return obj({"doc": {"type": "string"}, "paragraph": {"type": "string"}, "item": NULLABLE_INT, "start": COUNT,
                "end": COUNT, "surface": {"type": "string"}, "quote": {"type": "string"}, "quote_offset": COUNT,
                "stage": {"enum": list(FILTERS["stage"][1])}, "actions": array({"enum": list(FILTERS["action"][1])}),
                "verb": {"type": "string"}, "action_rule": {"type": "string"},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
               required=("doc", "paragraph", "item", "start", "end", "surface", "quote", "quote_offset"))


def place_properties() -> dict:
    """From the one declaration of feature properties (layers/schema.py)."""
    return obj({p.name: json_schema(p, ref("schemas", "Source")) for p in feature_properties()})


def feature(properties: dict) -> dict:
    geometry_or_null = {"anyOf": [ref("schemas", "Geometry"), {"type": "null"}]}   # null: detail=first
    return obj({"type": {"const": "Feature"}, "id": {"type": "string"}, "geometry": geometry_or_null,
                "properties": properties})


def collection(features: dict, **members: dict) -> dict:
    return obj({"type": {"const": "FeatureCollection"}, **members, "features": array(features)})


def paragraph() -> dict:
    return obj({"id": {"type": "string"}, "doc": {"type": "string"}, "kind": {"type": "string"},
                "text": {"type": "string"}, "start": COUNT, "end": COUNT, "section": NULLABLE_INT,
                "item": NULLABLE_INT, "title": NULLABLE_STR, "page": NULLABLE_INT})


def document() -> dict:
    """The build's first (default) document at the top level, every document under ``documents``."""
    return obj({"id": {"type": "string"}, "source": {"type": "string"}, "title": NULLABLE_STR,
                "date": NULLABLE_STR, "publisher": NULLABLE_STR, "structured": {"type": "boolean"},
                "warnings": array({"type": "string"}), "text_length": COUNT,
                "documents": array(ref("schemas", "DocumentEntry"))},
               required=("id", "source", "title", "structured", "documents"))


def document_entry() -> dict:
    return obj({"id": {"type": "string"}, "source": {"type": "string"}, "format": {"enum": ["text", "pdf"]},
                "title": {"type": "string"}, "date": NULLABLE_STR, "pages": NULLABLE_INT,
                "paragraphs": COUNT, "mentions": COUNT, "places": COUNT, "unresolved": COUNT},
               required=("id", "source", "format", "title", "paragraphs", "mentions", "places", "unresolved"))


def paragraphs_in_area() -> dict:
    mentioning = {"allOf": [ref("schemas", "Paragraph"),
                            obj({"mentions": {"type": "integer", "minimum": 1},
                                 "places": array({"type": "string"})})]}
    return obj({"document": ref("schemas", "Document"),
                "area": obj({"within": NULLABLE_STR, "bbox": NULLABLE_STR, "name": NULLABLE_STR}),
                "places": array({"type": "string"}), "paragraphs": array(mentioning)})


def overview() -> dict:
    def tally(keys: tuple[str, ...]) -> dict:
        return array(obj({"key": {"enum": list(keys)}, "mentions": COUNT, "docs": DOC_COUNTS}))

    only = array(obj({"id": {"type": "string"}, "name": {"type": "string"}, "mentions": COUNT}))
    return obj({"places": COUNT, "mentions": COUNT, "docs": DOC_COUNTS, "documents": array({"type": "string"}),
                "districts": array(obj({"id": {"type": "string"}, "name": {"type": "string"}, "mentions": COUNT,
                                        "docs": DOC_COUNTS})),
                "belts": tally(FILTERS["belt"][1]), "industries": tally(FILTERS["industry"][1]),
                "only": {"type": "object", "additionalProperties": only},
                "stages": array(obj({"key": {"enum": list(FILTERS["stage"][1])}, "label": {"type": "string"},
                                     "mentions": COUNT})),
                "actions": array(obj({"key": {"enum": list(FILTERS["action"][1])}, "label": {"type": "string"},
                                      "mentions": COUNT,
                                      "districts": array(obj({"id": {"type": "string"}, "mentions": COUNT})),
                                      "belts": array(obj({"key": {"enum": list(FILTERS["belt"][1])},
                                                          "mentions": COUNT}))}))})


def schemas() -> dict:
    basemap_properties = obj({"name": {"type": "string"}, "category": {"type": "string"},
                              "licence": {"type": "string"}, "geo_source": {"type": "string"}},
                             required=("name", "category"))
    return {
        "Error": obj({"ok": {"const": False}, "status": {"type": "integer", "minimum": 400, "maximum": 599},
                      "error": {"type": "string"}}, closed=True),
        "Geometry": geometry(),
        "Source": source(),
        "Place": feature(place_properties()),
        "Places": collection(ref("schemas", "Place"), numberMatched=COUNT),
        "PlacesFile": collection(ref("schemas", "Place")),
        "Basemap": collection(feature(basemap_properties)),
        "Paragraph": paragraph(),
        "Document": document(),
        "DocumentEntry": document_entry(),
        "Documents": obj({"documents": array(ref("schemas", "DocumentEntry"))}),
        "Paragraphs": obj({"document": ref("schemas", "Document"), "paragraphs": array(ref("schemas", "Paragraph"))}),
        "ParagraphsInArea": paragraphs_in_area(),
        "Overview": overview(),
        "Unresolved": array(obj({"doc": {"type": "string"}, "start": COUNT, "end": COUNT, "surface": {"type": "string"},
                                 "paragraph": {"type": "string"}, "item": NULLABLE_INT,
                                 "reason": {"type": "string"}})),
    }


# --- responses and paths ------------------------------------------------------------------

def ok(description: str, schema: dict, media_type: str = JSON) -> dict:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def errors(*statuses: int) -> dict:
    """The API has one error shape; every documented 4xx uses it."""
    names = {400: "BadRequest", 404: "NotFound"}
    return {str(s): ref("responses", names[s]) for s in statuses}


def responses() -> dict:
    error = {JSON: {"schema": ref("schemas", "Error")}}
    return {"BadRequest": {"description": "a parameter is unknown, repeated, too long or invalid", "content": error},
            "NotFound": {"description": "no such paragraph, feature or route", "content": error}}


def get(operation: str, summary: str, params: list[dict], answers: dict) -> dict:
    return {"get": {"operationId": operation, "summary": summary, "parameters": params, "responses": answers}}


def export_answer() -> dict:
    """One 200 per format, so a client (and the fuzzer) knows every media type the download can have."""
    bodies = {"geojson": ref("schemas", "PlacesFile"), "csv": {"type": "string"},
              "kml": {"type": "string"}, "gpkg": {"type": "string", "format": "binary"}}
    content = {FORMATS[k].media_type.split(";")[0]: {"schema": bodies[k]} for k in FORMATS}
    disposition = {"description": "attachment; the file name says what was selected (planmap_belt-north.gpkg)",
                   "required": True, "schema": {"type": "string", "pattern": "^attachment; "}}
    return {"description": "the selection as a file", "headers": {"Content-Disposition": disposition},
            "content": content}


def paths() -> dict:
    return {
        "/api/paragraphs": get("paragraphs", "every paragraph, or those mentioning places in an area",
                               [ref("parameters", "within"), ref("parameters", "bbox"), ref("parameters", "doc")],
                               {"200": ok("the document and its paragraphs", {"anyOf": [
                                   ref("schemas", "Paragraphs"), ref("schemas", "ParagraphsInArea")]}),
                                **errors(400, 404)}),
        "/api/paragraphs/{pid}": get("paragraph", "one paragraph", [ref("parameters", "pid")],
                                     {"200": ok("the paragraph", ref("schemas", "Paragraph")), **errors(404)}),
        "/api/features": get("features", "the places matching the filters",
                             [*FEATURE_FILTERS, ref("parameters", "detail")],
                             {"200": ok("the matching places", ref("schemas", "Places"), GEOJSON),
                              **errors(400)}),
        "/api/features/{fid}": get("feature", "one place", [ref("parameters", "fid"), ref("parameters", "detail")],
                                   {"200": ok("the place", ref("schemas", "Place"), GEOJSON),
                                    **errors(400, 404)}),
        "/api/export": get("export", "the places matching the filters as a file",
                           [*FEATURE_FILTERS, ref("parameters", "format")],
                           {"200": export_answer(), **errors(400)}),
        "/api/overview": get("overview", "mentions per district, belt, industry, stage and action, in total and per "
                             "document", FEATURE_FILTERS,
                             {"200": ok("the counts", ref("schemas", "Overview")), **errors(400)}),
        "/api/documents": get("documents", "the documents of the build with their counts", [],
                              {"200": ok("the documents", ref("schemas", "Documents"))}),
        "/api/basemap": get("basemap", "districts, rivers and the city outline", [ref("parameters", "detail")],
                            {"200": ok("the basemap layer", ref("schemas", "Basemap"), GEOJSON), **errors(400)}),
        "/api/unresolved": get("unresolved", "place-like spans the geoparser could not resolve", [],
                               {"200": ok("the spans", ref("schemas", "Unresolved"))}),
        "/api/openapi.json": get("openapi", "this description", [],
                                 {"200": ok("an OpenAPI 3.1 document", {"type": "object"})}),
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 description of every ``/api`` endpoint, served at ``/api/openapi.json``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "planmap API", "version": version("planmap"),
                 "description": "The Zhenjiang 14th Five-Year Plan: paragraphs, places and their map layers. "
                                "Every error is JSON: {\"ok\": false, \"status\": <int>, \"error\": <message>}."},
        "paths": paths(),
        "components": {"parameters": parameters(), "schemas": schemas(), "responses": responses()},
    }

"""One feature per place the document refers to, with every mention as a source.

A feature is the place, not the mention: the plan names 镇江新区 many times, and the
feature links to each paragraph that does so, with the sentence around the mention.
"""
from __future__ import annotations

from collections import defaultdict

from geo.document import Document
from geo.gazetteer.entry import PRECISION_LABEL, Entry
from geo.gazetteer.index import Gazetteer
from geo.geoparser import Mention, ParseResult

from .geojson import feature
from .industries import BELT_INDUSTRIES, industries_for
from .quotes import quote
from .structure import CITY, ELEMENTS, memberships


def source_of(doc: Document, mention: Mention) -> dict:
    paragraph = doc.paragraph(mention.paragraph)
    text, at = quote(paragraph.text, mention.start - paragraph.start, mention.end - paragraph.start)
    return {"paragraph": mention.paragraph, "item": mention.item, "start": mention.start,
            "end": mention.end, "surface": mention.surface, "quote": text, "quote_offset": at}


def base_properties(entry: Entry, gazetteer: Gazetteer) -> dict:
    return {
        "name": entry.name,
        "aliases": list(entry.aliases),
        "category": entry.category,
        "parents": [gazetteer.get(p).name for p in entry.parents if p in gazetteer.entries],
        "precision": entry.precision_class,
        "precision_m": entry.metres,
        "precision_label": PRECISION_LABEL[entry.precision_class],
        "geo_source": entry.source,
        "source_crs": entry.source_crs,
        "licence": entry.licence,
        "in_region": entry.in_region,
    }


_ELEMENT_BY_ID = {e.id: e for e in ELEMENTS}


def plan_attributes(entry: Entry, structure: list[Entry], city) -> dict:
    """Belts, zones and industries: a structure element is its own belt or zone; any other
    place belongs to the elements it lies in (see :func:`layers.structure.member_of`)."""
    element = _ELEMENT_BY_ID.get(entry.id)
    if element is not None:
        belts = [element.key] if element.kind == "belt" else []
        zones = [element.key] if element.kind == "zone" else []
        industries = list(BELT_INDUSTRIES.get(element.key, ()))
    else:
        belts, zones = memberships(entry.geometry, structure, city)
        industries = industries_for(entry.name, entry.aliases)
    return {"belts": belts, "zones": zones, "industries": industries}


def place_features(doc: Document, result: ParseResult, gazetteer: Gazetteer,
                   structure: list[Entry]) -> list[dict]:
    """GeoJSON features, one per place, in order of first mention."""
    city = gazetteer.resolve(CITY).geometry
    by_place: dict[str, list[Mention]] = defaultdict(list)
    for mention in result.mentions:
        by_place[mention.place].append(mention)
    features = []
    for place, mentions in by_place.items():
        entry = gazetteer.get(place)
        props = base_properties(entry, gazetteer)
        props.update(plan_attributes(entry, structure, city))
        props["mentions"] = len(mentions)
        props["sources"] = [source_of(doc, m) for m in mentions]
        features.append(feature(entry.id, entry.geometry, props))
    return features


#: Drawn under every map besides the region and its counties: the river and the canal.
WATER = ("river-yangtze", "river-grand-canal")


def basemap_ids(gazetteer: Gazetteer) -> list[str]:
    """The region's city, its county-level units (those drawn as polygons) and the water."""
    city = f"admin-{gazetteer.region.code}"
    counties = [e.id for e in gazetteer.entries.values()
                if city in e.parents and e.category == "admin" and e.precision_class == "P"]
    return [city, *counties, *WATER]


def basemap_features(gazetteer: Gazetteer) -> list[dict]:
    """Our own offline background, so the map needs no web tiles."""
    out = []
    for eid in basemap_ids(gazetteer):
        entry = gazetteer.get(eid)
        out.append(feature(entry.id, entry.geometry, {
            "name": entry.name, "category": entry.category, "geo_source": entry.source,
            "licence": entry.licence}))
    return out

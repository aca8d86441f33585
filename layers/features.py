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
from .quotes import quote


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


def place_features(doc: Document, result: ParseResult, gazetteer: Gazetteer) -> list[dict]:
    """GeoJSON features in order of first mention."""
    by_place: dict[str, list[Mention]] = defaultdict(list)
    for mention in result.mentions:
        by_place[mention.place].append(mention)
    features = []
    for place, mentions in by_place.items():
        entry = gazetteer.get(place)
        props = base_properties(entry, gazetteer)
        props["mentions"] = len(mentions)
        props["sources"] = [source_of(doc, m) for m in mentions]
        features.append(feature(entry.id, entry.geometry, props))
    return features

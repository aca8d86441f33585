"""One feature per place the documents refer to, with every mention as a source.

A feature is the place, not the mention: the plan names 镇江新区 many times, and the
feature links to each paragraph that does so, with the sentence around the mention.
With several documents in a build, each source names its document and ``docs``
counts the mentions per document (``{"jianyi": 12, "gangyao": 3}``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from geo.document import Document
from geo.gazetteer.entry import PRECISION_LABEL, Entry
from geo.gazetteer.index import Gazetteer
from geo.geoparser import Mention
from geo.intent import Intent, summary

from .family import ParsedDoc, qualify
from .geojson import feature
from .industries import BELT_INDUSTRIES, industries_for
from .quotes import quote
from .structure import CITY, ELEMENTS, decide


def source_of(doc_id: str, doc: Document, mention: Mention, intent: Intent | None = None) -> dict:
    paragraph = doc.paragraph(mention.paragraph)
    text, at = quote(paragraph.text, mention.start - paragraph.start, mention.end - paragraph.start)
    source: dict = {"doc": doc_id, "paragraph": qualify(doc_id, mention.paragraph), "item": mention.item,
                    "start": mention.start, "end": mention.end, "surface": mention.surface, "quote": text,
                    "quote_offset": at}
    if intent is not None:
        source.update(stage=intent.stage, actions=list(intent.actions), verb=intent.verb,
                      action_rule=intent.action_rule, confidence=intent.confidence)
    return source


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
        "source_url": list(entry.source_url),
        "source_title": list(entry.source_title),
        "basis": entry.basis,
        "source_crs": entry.source_crs,
        "licence": entry.licence,
        "in_region": entry.in_region,
    }


_ELEMENT_BY_ID = {e.id: e for e in ELEMENTS}


def plan_attributes(entry: Entry, gazetteer: Gazetteer, structure: list[Entry], city) -> dict:
    """Belts, zones and industries: a structure element is its own belt or zone; any other
    place belongs to the elements the plan's words and then geometry put it in
    (:func:`layers.structure.decide`), each decision kept in ``membership`` with its rule."""
    element = _ELEMENT_BY_ID.get(entry.id)
    if element is not None:
        industries = list(BELT_INDUSTRIES.get(element.key, ()))
        membership = [{"key": element.key, "kind": element.kind, "by": "words",
                       "rule": f"the element itself: {element.rule}"}]
    else:
        industries = industries_for(entry.name, entry.aliases)
        membership = decide(entry, industries, gazetteer, structure, city)
    return {"belts": [d["key"] for d in membership if d["kind"] == "belt"],
            "zones": [d["key"] for d in membership if d["kind"] == "zone"],
            "industries": industries, "membership": membership}


def place_features(docs: Sequence[ParsedDoc], intents: Mapping[str, Sequence[Intent]], gazetteer: Gazetteer,
                   structure: list[Entry]) -> list[dict]:
    """GeoJSON features, one per place, in order of first mention (documents in build order).

    ``intents`` holds each document's :func:`geo.intent.analyse` result, mention by mention; the
    build computes it once and writes it to mentions.json too.
    """
    city = gazetteer.resolve(CITY).geometry
    by_place: dict[str, list[tuple[dict, Intent]]] = defaultdict(list)
    for parsed in docs:
        for mention, intent in zip(parsed.result.mentions, intents[parsed.id], strict=True):
            by_place[mention.place].append((source_of(parsed.id, parsed.doc, mention, intent), intent))
    features = []
    for place, pairs in by_place.items():
        entry = gazetteer.get(place)
        props = base_properties(entry, gazetteer)
        props.update(plan_attributes(entry, gazetteer, structure, city))
        props.update(summary(intent for _, intent in pairs))
        sources = [source for source, _ in pairs]
        props["mentions"] = len(sources)
        props["docs"] = doc_counts(sources)
        props["sources"] = sources
        features.append(feature(entry.id, entry.geometry, props))
    return features


def doc_counts(sources: Iterable[dict]) -> dict[str, int]:
    """Mentions per document, in the order the documents first appear."""
    return dict(Counter(s["doc"] for s in sources))


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

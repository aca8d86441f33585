"""Text to places: the plan's document model, the offline gazetteer and the geoparser.

Nothing here knows about layers or the web map; those packages build on this one.
"""

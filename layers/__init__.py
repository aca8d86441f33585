"""Places to GIS layers: features, the plan's spatial structure, industries, exports and the build.

Depends on :mod:`geo` only; knows nothing about the web map.
"""

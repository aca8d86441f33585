"""planmap's packaged data (installed as ``planmap_data``): the plan's text, the curated
gazetteer tables and the hydrography extract. Read through :func:`geo.resources.data_file`."""

"""The offline gazetteer: one index of named places assembled from several source adapters."""

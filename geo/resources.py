"""Where planmap's own data files live: the one place that knows the data directory.

Every module reads its packaged tables (curated gazetteer, hydrography, the plan's text)
through :func:`data_file`, so moving the data into the installed package changes this
module and nothing else.
"""
from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def data_file(*parts: str) -> Path:
    """The path of a file under the data directory, e.g. ``data_file("gazetteer", "curated.csv")``."""
    return DATA_DIR.joinpath(*parts)

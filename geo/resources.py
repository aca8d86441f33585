"""Where planmap's own data files live: the one place that knows the data directory.

Every module reads its packaged tables (curated gazetteer, hydrography, the plan's text)
through :func:`data_file`. The top-level ``data/`` directory is installed as the package
``planmap_data`` (see pyproject.toml), so a wheel carries it and ``importlib.resources``
finds it wherever pip put it. A source checkout reads its own ``data/`` first, so code run
from a checkout never picks up the data of another installed copy.

Builds are not data: :func:`default_build_dir` is ``data/build`` in a checkout and a
per-user data directory (``platformdirs``) when installed.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from .errors import DataError

PACKAGE = "planmap_data"
_CHECKOUT_DATA = Path(__file__).resolve().parents[1] / "data"


def _in_checkout() -> bool:
    return (_CHECKOUT_DATA / "__init__.py").is_file()


@cache
def data_dir() -> Path:
    """The directory holding the packaged data."""
    if _in_checkout():
        return _CHECKOUT_DATA
    try:
        root = files(PACKAGE)
    except ModuleNotFoundError:
        raise DataError(f"planmap's data package {PACKAGE!r} is not installed; reinstall planmap") from None
    if not isinstance(root, Path):   # a zipped install: pip always unpacks wheels, so this is unusual
        raise DataError(f"planmap's data package is not on the file system ({root}); install planmap unzipped")
    return root


def data_file(*parts: str) -> Path:
    """The path of a file under the data directory, e.g. ``data_file("gazetteer", "curated.csv")``."""
    return data_dir().joinpath(*parts)


#: The plan this project is about: what ``planmap build`` reads when given no ``--source``.
DEFAULT_SOURCE_NAME = "zhenjiang-14th-fyp-recommendations.txt"


def default_source() -> Path:
    return data_file("source", DEFAULT_SOURCE_NAME)


def default_build_dir() -> Path:
    """``data/build`` in a source checkout; ``<user data dir>/planmap/build`` when installed."""
    if _in_checkout():
        return _CHECKOUT_DATA / "build"
    from platformdirs import user_data_path

    return user_data_path("planmap", appauthor=False) / "build"

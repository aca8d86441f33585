"""The explorer's message catalogue: every string a user sees, one JSON file per language.

Chinese (``zh.json``) is the interface; ``en.json`` is the optional English one behind
``?lang=en``. Both have the same keys (checked when loaded), so a string added to one and
forgotten in the other fails at start-up, not in front of a user.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from geo.errors import DataError

HERE = Path(__file__).parent / "messages"
DEFAULT = "zh"
LANGUAGES = ("zh", "en")


@cache
def catalogue(lang: str = DEFAULT) -> dict[str, str]:
    """The messages of ``lang``, read once; an unknown language falls back to Chinese."""
    if lang not in LANGUAGES:
        lang = DEFAULT
    messages = json.loads((HERE / f"{lang}.json").read_text(encoding="utf-8"))
    if lang != DEFAULT and set(messages) != set(catalogue(DEFAULT)):
        missing = sorted(set(catalogue(DEFAULT)) ^ set(messages))
        raise DataError(f"message catalogue {lang}.json and {DEFAULT}.json differ in keys: {', '.join(missing[:10])}")
    return messages

"""The app's settings, declared once: name, default and help.

Unknown keys fail at start-up: a misspelt setting is a defect, not something to ignore.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.errors import BadInput
from geo.resources import default_build_dir


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("build_dir", default_build_dir(), "directory with the outputs of `planmap build`"),
    Setting("source", None, "documents to build from (a path or a list of `--source` values); "
                            "None: those the build was made from, or the plan when there is no build"),
    Setting("auto_build", True, "build on start-up when the build is missing or its own inputs changed"),
    Setting("tiles", False, "show OpenStreetMap web tiles by default (needs internet)"),
    Setting("cache_bytes", 64 * 1024 * 1024, "bytes of answers kept in memory (least recently used dropped first)"),
    Setting("public_url", "http://127.0.0.1:8000", "the server's URL as clients see it (OGC API links)"),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}


def resolve(overrides: dict | None) -> dict:
    """Defaults updated by ``overrides``; rejects keys that are not declared settings."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise BadInput(f"unknown setting(s) {', '.join(unknown)}; valid: {', '.join(DEFAULTS)}")
    config = {**DEFAULTS, **overrides}
    config["build_dir"] = Path(config["build_dir"])
    return config

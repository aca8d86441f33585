"""The build's outputs held in memory: the server reads files once, at start-up.

The store never opens the raw source datasets (GeoNames, cnmaps); it serves what
`planmap build` derived, which keeps the server small and its start-up fast.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataError, NotFound


@dataclass(frozen=True)
class Store:
    document: dict
    paragraphs: tuple[dict, ...]
    paragraph_index: dict[str, dict]

    @classmethod
    def load(cls, build_dir: Path) -> "Store":
        try:
            paragraphs = json.loads((build_dir / "paragraphs.json").read_text(encoding="utf-8"))
            document = json.loads((build_dir / "document.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot load the build in {build_dir}: {exc}") from exc
        return cls(document, tuple(paragraphs), {p["id"]: p for p in paragraphs})

    def paragraph(self, pid: str) -> dict:
        try:
            return self.paragraph_index[pid]
        except KeyError:
            raise NotFound(f"no paragraph with id {pid!r}") from None

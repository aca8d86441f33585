"""Run every benchmark in this directory: each ``benchmarks/*.py`` module with a ``main(argv)``.

Discovery instead of a list, so a benchmark added later is run by ``make bench`` without
touching this file. Each runs with its default arguments; a failing one is reported and the
others still run, and the exit status says whether any failed.
"""
from __future__ import annotations

import datetime
import importlib
import os
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))  # benchmarks.* as a namespace package, from a fresh clone too


def names() -> list[str]:
    """Module names of the other scripts here; whether each has a ``main`` is known only once imported."""
    return [f"benchmarks.{p.stem}" for p in sorted(HERE.glob("*.py")) if p.stem != Path(__file__).stem]


def header() -> str:
    """Date and machine first: the figures are ratios, but noise depends on the cores."""
    return (f"# planmap benchmarks, {datetime.date.today().isoformat()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {platform.platform()}\n")


def main(argv: list[str] | None = None) -> int:
    print(header(), flush=True)
    failed = []
    for name in names():
        try:
            main_ = getattr(importlib.import_module(name), "main", None)
            if callable(main_):
                main_([])
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        sys.stdout.flush()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

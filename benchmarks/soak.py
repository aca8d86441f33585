"""Soak: the real server (``planmap serve``) under steady load for minutes; its memory and errors.

A closed loop of ``--clients`` keep-alive clients (default 20, a fifth of load.py's top level) runs
the same request mix as ``load.py`` without a pause; every ``--sample`` seconds the server's
resident set (``VmRSS`` in /proc/PID/status) is read. The first ``--warmup`` minutes
(default: a fifth of the run, at most 1) fill Python's allocator and caches and are not counted as
growth. The growth is end − after warm-up, and its slope is a least-squares fit over the samples
after warm-up, in MiB per minute and per 10,000 requests: a leak shows as a steady slope, a plateau
as ≈0. Targets: no errors, resident set under 250 MB.

Run: ``python3 benchmarks/soak.py [--minutes 10] [--clients 20] [--quick]``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._harness import Phase, Server, machine, ms, percentile, run_phase, shared_build, weighted  # noqa: E402
from benchmarks.load import is_api, mix  # noqa: E402

QUICK_ARGV = ["--quick"]
TARGET_RSS_MB = 250  # megabytes (10^6 bytes), as the target is worded
MIB = 1024 * 1024


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs; 0 for fewer than two points."""
    if len(xs) < 2:
        return 0.0
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False)) / den if den else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the soak (default 10)")
    parser.add_argument("--quick", action="store_true", help="1 minute (same as --minutes 1)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive clients (default 20)")
    parser.add_argument("--warmup", type=float, default=None, help="minutes not counted as growth (default min(1, minutes/5))")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples (default 5)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, counted as an error")
    parser.add_argument("--build-dir", type=Path, default=None, help="reuse a build instead of building into a temp dir")
    args = parser.parse_args(argv)
    minutes = 1.0 if args.quick else args.minutes
    warmup = args.warmup if args.warmup is not None else min(1.0, minutes / 5)
    total_s, warm_s = 60 * minutes, 60 * warmup

    build_dir = shared_build(args.build_dir)
    picks = weighted(mix(build_dir))
    samples: list[tuple[float, int, float]] = []  # (seconds since start, requests so far, RSS MiB)
    load0 = os.getloadavg()
    with Server(build_dir) as server:
        rss_start = server.rss_mib()
        began = time.perf_counter()

        def monitor(phase: Phase) -> None:
            samples.append((time.perf_counter() - began, len(phase.samples), server.rss_mib()))

        phase = run_phase(server, args.clients, total_s, picks, timeout=args.timeout, monitor=monitor,
                          every=args.sample, max_requests=int(total_s * 5_000))
        samples.append((time.perf_counter() - began, len(phase.samples), server.rss_mib()))
        hwm = server.status("VmHWM")
        warnings = server.log_warnings()
    load1 = os.getloadavg()
    requests, errors, wall, cpu = len(phase.samples), phase.errors, phase.wall_s, phase.server_cpu_s
    api_lat = phase.latencies(is_api)

    after = [s for s in samples if s[0] >= warm_s] or samples[-1:]
    rss_warm, rss_end = after[0][2], samples[-1][2]
    per_min = slope([s[0] / 60 for s in after], [s[2] for s in after])
    per_10k = slope([s[1] / 10_000 for s in after], [s[2] for s in after])
    api_lat.sort()
    peak_mb = hwm * MIB / 1e6
    third = total_s / 3
    first = sum(1 for x in phase.samples if x.ok and x.at - began < third) / third
    last = sum(1 for x in phase.samples if x.ok and x.at - began >= 2 * third) / max(1e-9, wall - 2 * third)

    print(f"## planmap serve soak, {minutes:g} min at {args.clients} clients (warm-up {warmup:g} min)\n")
    print(f"{machine()}; load average {load0[0]:.1f} before, {load1[0]:.1f} after.\n")
    print("| figure | value |\n|---|---:|")
    rows = [
        ("requests (errors)", f"{requests:,} ({sum(errors.values())})"),
        ("throughput, first → last third of the run", f"{first:.0f} → {last:.0f} req/s"),
        ("API latency p50 / p95 / p99", (f"{ms(percentile(api_lat, 50))} / {ms(percentile(api_lat, 95))} / "
                                         f"{ms(percentile(api_lat, 99))} ms")),
        ("server CPU (100% = one core)", f"{100 * cpu / wall:.0f}%"),
        ("RSS at start (idle)", f"{rss_start:.1f} MiB"),
        (f"RSS after warm-up ({after[0][0] / 60:.1f} min)", f"{rss_warm:.1f} MiB"),
        ("RSS at the end", f"{rss_end:.1f} MiB"),
        ("growth after warm-up", f"{rss_end - rss_warm:+.1f} MiB ({100 * (rss_end - rss_warm) / rss_warm:+.1f}%)"),
        ("slope after warm-up", f"{per_min:+.2f} MiB/min, {per_10k:+.2f} MiB per 10k requests"),
        ("peak RSS (VmHWM)", f"{hwm:.1f} MiB = {peak_mb:.0f} MB"),
    ]
    print("\n".join(f"| {k} | {v} |" for k, v in rows))
    verdict_err = "met" if not errors else f"missed: {errors}"
    verdict_rss = "met" if peak_mb < TARGET_RSS_MB else f"missed by {peak_mb - TARGET_RSS_MB:.0f} MB"
    print(f"\nTargets: 0 errors: {verdict_err}; resident set < {TARGET_RSS_MB} MB: peak {peak_mb:.0f} MB, {verdict_rss}.")
    print("\nRSS samples (min: MiB): " + ", ".join(f"{t / 60:.1f}: {r:.0f}" for t, _, r in samples[:: max(1, len(samples) // 12)]))
    if warnings:
        print("\nserver log (not the access log):\n\n" + "\n".join(f"    {w}" for w in warnings[-10:]))
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

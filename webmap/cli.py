"""The ``planmap`` command: build, serve, export, layers.

Every failure a user can cause ends in a one-line message on stderr and exit status 2;
tracebacks are for defects only. The command is the front door, so it starts fast: the
geoparser, GeoPandas and Flask are imported only by the command that needs them, and a
command's options are declared only when that command is the one being run (``--help``
and ``--version`` import neither).
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from geo.errors import PlanmapError

EXIT_USAGE = 2
LOGGER = logging.getLogger("planmap")


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 paragraph``, ``2 paragraphs``; ``many`` for irregular plurals."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(_command(argv)).parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return args.run(args)
    except PlanmapError as exc:
        print(f"planmap: error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _configure_logging(verbose: bool) -> None:
    """Warnings only (the libraries' progress lines stay out of sight) unless ``--verbose``."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s" if verbose else
                        "planmap: %(levelname)s: %(message)s")
    if verbose:
        return
    # our own progress (the request log, what is being served) stays visible
    for name in ("planmap", "planmap.access"):
        logging.getLogger(name).setLevel(logging.INFO)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planmap")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _Version(argparse.Action):
    """``--version`` that asks the package metadata only when given."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print planmap's version and exit")

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        print(f"planmap {_version()}")
        parser.exit()


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", action="append", default=None, metavar="[ID=]PATH",
                   help="a document (text in UTF-8, UTF-16 with BOM or GB18030, or a PDF) or a folder of them; "
                        "repeat for a family of documents; ID names the document (default: the file name). "
                        "Default: the packaged Zhenjiang plan")
    p.add_argument("--out", type=Path, default=None, help=f"build directory (default: {_default_dir_help()})")
    p.add_argument("--region", default=None,
                   help="the prefecture-level city the text is about, by name or code: its places win a bare "
                        "name (default: 镇江市)")


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--build-dir", type=Path, default=None,
                   help=f"the build to serve (default: {_default_dir_help()}); "
                        "rebuilt only when its own inputs changed")
    p.add_argument("--source", action="append", default=None, metavar="[ID=]PATH",
                   help="serve a build of these documents (as for build), building it first if the build holds "
                        "others (default: whatever the build was made from)")
    p.add_argument("--threads", type=int, default=8, help="threads per server process")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (gunicorn when installed: pip install 'planmap[workers]')")
    p.add_argument("--debug", action="store_true", help="Flask's development server with reloading and tracebacks")
    p.add_argument("--tiles", action="store_true", help="switch the OpenStreetMap background on by default")


def _export_options(p: argparse.ArgumentParser) -> None:
    from layers.export import FILTERS, FORMATS

    p.add_argument("--format", default=None, help=f"one of {', '.join(FORMATS)} (default: from -o's suffix, else geojson)")
    for name, (_, values) in FILTERS.items():
        p.add_argument(f"--{name}", action="append", default=[], metavar="VALUE",
                       help=f"repeat for OR; one of: {', '.join(values) or 'the build’s document ids'}")
    p.add_argument("--q", default=None, help="name or alias search, as the map's search box")
    p.add_argument("-o", "--output", type=Path, default=None, help="output file (default: planmap.<format>)")
    p.add_argument("--build-dir", type=Path, default=None, help=f"default: {_default_dir_help()}")


def _layers_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--build-dir", type=Path, default=None, help=f"default: {_default_dir_help()}")


def _default_dir_help() -> str:
    from geo.resources import default_build_dir

    return str(default_build_dir()).replace("%", "%%")


#: name → (one-line help, options, runner). Options are declared only for the command being run.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], str]] = {
    "build": ("read and geoparse a plan, write paragraphs and layers", _build_options, "_build"),
    "serve": ("run the map explorer on a local web server", _serve_options, "_serve"),
    "export": ("export the filtered features (same filters as the web export)", _export_options, "_export"),
    "audit": ("review every place's position and evidence; exit 1 when a rule is broken", _layers_options,
              "_audit"),
    "layers": ("list the layers of the build with their feature counts", _layers_options, "_layers"),
}


def _command(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planmap", description="Geoparse a city plan into GIS layers and explore it on a map.",
        epilog="`planmap COMMAND --help` describes a command's options.")
    parser.add_argument("--version", action=_Version)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress, including the libraries'")
    sub = parser.add_subparsers(required=True, metavar="COMMAND", title="commands")
    for name, (help_text, options, runner) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            options(p)
        p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="log progress, including the libraries'")
        p.set_defaults(run=globals()[runner])
    return parser


def _build(args: argparse.Namespace) -> int:
    from geo.region import DEFAULT_REGION
    from layers.build import DEFAULT_BUILD_DIR, build

    report = build(args.source, args.out or DEFAULT_BUILD_DIR, args.region or DEFAULT_REGION)
    print(f"planmap: built {report.out_dir}: {plural(report.paragraphs, 'paragraph')}, "
          f"{plural(report.mentions, 'place mention')} resolved to {plural(report.places, 'place')}, "
          f"{plural(report.unresolved, 'unresolved span')} (see unresolved.json)"
          f"{'' if report.gazetteer_cached else '; gazetteer assembled from the packaged datasets'}")
    if len(report.parsed) + len(report.cached) > 1 or report.cached:
        print(f"planmap: documents read: {', '.join(report.parsed) or 'none'}; "
              f"from the cache: {', '.join(report.cached) or 'none'}")
    for warning in report.warnings:
        print(f"planmap: warning: {warning}", file=sys.stderr)
    return 0


def describe(build_dir: Path) -> str:
    """One line on what a build holds: its source, paragraphs and places."""
    import json

    from layers.build import built_sources

    try:
        paragraphs = len(json.loads((build_dir / "paragraphs.json").read_text(encoding="utf-8")))
        places = len(json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))["features"])
    except (OSError, ValueError, KeyError):
        return f"the build in {build_dir}"
    sources = ", ".join(str(p) for p in built_sources(build_dir)) or "an unrecorded source"
    return f"the build in {build_dir} of {sources} ({plural(paragraphs, 'paragraph')}, {plural(places, 'place')})"


def _serve(args: argparse.Namespace) -> int:
    from layers.build import DEFAULT_BUILD_DIR

    from .app import create_app
    from .serve import serve

    build_dir = args.build_dir or DEFAULT_BUILD_DIR
    url = f"http://{args.host}:{args.port}"
    app = create_app({"build_dir": build_dir, "source": args.source, "public_url": url, "tiles": args.tiles})
    print(f"planmap: serving {describe(build_dir)}")
    print(f"planmap: the explorer is on {url}/ (OGC API at {url}/ogcapi)")
    if args.host in ("127.0.0.1", "localhost", "::1"):
        print("planmap: only this machine can connect; to share on a network, use --host 0.0.0.0 "
              "behind a reverse proxy", file=sys.stderr)
    sys.stdout.flush()
    try:
        if args.debug:
            app.run(host=args.host, port=args.port, debug=True)
        else:
            serve(app, args.host, args.port, threads=args.threads, workers=args.workers)
    except OSError as exc:   # the port is taken, or the address is not this machine's
        raise PlanmapError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def _store(build_dir: Path | None):
    from layers.build import DEFAULT_BUILD_DIR, ensure_build

    from .store import Store

    build_dir = build_dir or DEFAULT_BUILD_DIR
    if ensure_build(build_dir) is not None:
        print(f"planmap: built {build_dir} first", file=sys.stderr)
    return Store.load(build_dir)


def _export(args: argparse.Namespace) -> int:
    from layers.export import FILTERS, check_format, export, format_for

    fmt = args.format or (format_for(args.output) if args.output else "geojson")
    spec = check_format(fmt)
    filters = {name: getattr(args, name) for name in FILTERS if getattr(args, name)}
    store = _store(args.build_dir)
    chosen = store.search(filters, args.q)
    out = args.output or Path(f"planmap{spec.suffix}")
    export(chosen, out, fmt, documents=list(dict.fromkeys(filters.get("doc") or store.doc_ids)))
    print(f"planmap: wrote {plural(len(chosen), 'feature')} to {out} ({fmt})")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from layers.audit import run
    from layers.build import DEFAULT_BUILD_DIR

    build_dir = args.build_dir or DEFAULT_BUILD_DIR
    _store(build_dir)  # builds first when there is no build
    return run(build_dir, sys.stdout)


def _layers(args: argparse.Namespace) -> int:
    store = _store(args.build_dir)
    counts: dict[str, int] = {}
    for f in store.features:
        counts[f["properties"]["category"]] = counts.get(f["properties"]["category"], 0) + 1
    if not counts:
        print("planmap: the build has no places, so no layers (nothing in its text was located)", file=sys.stderr)
    width = max((len(c) for c in counts), default=len("total"))
    for category, n in counts.items():
        print(f"{category:<{width}}  {n:>4}")
    print(f"{'total':<{width}}  {sum(counts.values()):>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

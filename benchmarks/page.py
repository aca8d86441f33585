"""Page weight and time to the first feature painted, in headless Chromium: the explorer
(``planmap serve``) against a plain Folium page that inlines the same GeoJSON.

The baseline is what Folium gives for the same data: ``folium.Map`` + ``folium.GeoJson(places.geojson)``
with Folium's CDN assets replaced by the vendored Leaflet (as the explorer does), written to one
HTML file and served with the Leaflet files by ``http.server`` on another loopback port.

For each page, ``--loads`` navigations (default 5, alternating the two pages), each in a fresh
browser context (empty cache). An init script puts a MutationObserver on the document before any
of the page's scripts run; it records ``performance.now()`` (ms since navigation start) when the
first feature element is added (``path.pm-f`` in the explorer; a vector path or marker icon in
Folium's panes), and again in a task posted from the next animation frame, i.e. once that frame
has been painted: "first feature painted". Medians are reported.

Weight, from the first load of each page: every response until the network is idle (the page,
its scripts, styles and images, and the API calls it makes on load), as bytes on the wire
(headers + body; the explorer's server gzips, ``http.server`` does not) and as the sum of each body gzipped at level 6,
which is what a server with gzip would send. Chromium's network is closed to everything but
127.0.0.1 (``--host-resolver-rules``); a request elsewhere is counted and reported.

Main-thread tasks: a ``PerformanceObserver`` for ``longtask`` entries (tasks over 50 ms) runs from navigation
until the page is ready (the explorer: ``body[data-ready]``, i.e. the reader fully rendered) plus 500 ms; the
longest task of any run and the number of tasks over 200 ms are reported.

Targets: first feature painted < 1 s on localhost, page < 1 MB (10^6 bytes) gzipped, the explorer's first view
≤ 300 KB (3·10^5 bytes) on the wire, no main-thread task over 200 ms while the explorer loads.

Run: ``python3 benchmarks/page.py [--loads 5]``.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._harness import HOST, Server, free_port, machine, shared_build  # noqa: E402

QUICK_ARGV = ["--loads", "3"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}"]
VENDOR = ROOT / "webmap" / "static" / "vendor" / "leaflet"
TARGET_PAINT_MS = 1000
TARGET_GZIP_BYTES = 1_000_000
#: The explorer's first view, as transferred (the server compresses): issue 10's "≤ 300 KB".
TARGET_WIRE_BYTES = 300_000
EXPLORER_FEATURE = "path.pm-f"
EXPLORER_READY = 'body[data-ready="true"]'
TARGET_TASK_MS = 200
FOLIUM_FEATURE = ".leaflet-overlay-pane path, .leaflet-marker-pane img"

#: Runs before the page's own scripts; the selector is substituted in.
OBSERVER = """
(() => {
  const SEL = %s;
  window.__pm = {tasks: []};
  // main-thread tasks over 50 ms (the Long Tasks API), from navigation until we read them
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__pm.tasks.push(e.duration); })
    .observe({type: 'longtask', buffered: true});
  const hit = (n) => n.nodeType === 1 && (n.matches(SEL) || n.querySelector(SEL));
  const obs = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (hit(n)) {
      obs.disconnect();
      window.__pm.inserted = performance.now();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { window.__pm.painted = performance.now(); };
        ch.port2.postMessage(0);
      });
      return;
    }
  });
  obs.observe(document, { childList: true, subtree: true });
})();
"""


@dataclass
class Load:
    inserted_ms: float
    painted_ms: float
    dcl_ms: float
    load_ms: float
    longest_task_ms: float
    tasks_over_200: int


@dataclass
class Resource:
    url: str
    kind: str
    status: int
    wire: int  # headers + body as received
    body: int
    gzipped: int


@dataclass
class Page:
    name: str
    url: str
    selector: str
    ready: str = ""   # a selector present once the page has finished loading (the explorer's reader)
    loads: list[Load] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(x, attr) for x in self.loads)


def folium_site(build_dir: Path, out: Path) -> Path:
    """The baseline: Folium's own page for places.geojson, Leaflet from the vendored copy."""
    import folium

    from webmap.map import ZOOM

    centre = json.loads((build_dir / "document.json").read_text(encoding="utf-8"))["region"]["centre"]
    m = folium.Map(location=centre, zoom_start=ZOOM, tiles=None)
    m.default_js = [("leaflet", "/static/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/static/vendor/leaflet/leaflet.css")]
    folium.GeoJson(json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))).add_to(m)
    m.save(str(out / "index.html"))
    shutil.copytree(VENDOR, out / "static" / "vendor" / "leaflet")
    return out


class StaticServer:
    """``http.server`` on a free loopback port in a thread, quiet, HTTP/1.1 keep-alive like waitress."""

    def __init__(self, directory: Path) -> None:
        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((HOST, free_port()),
                                                     functools.partial(Handler, directory=str(directory)))
        self.url = f"http://{HOST}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rel(url: str) -> str:
    """The URL without its origin, the query's ``?`` kept even when empty."""
    parts = urlsplit(url)
    return url[len(f"{parts.scheme}://{parts.netloc}"):]


def kind_of(url: str, content_type: str) -> str:
    path = urlsplit(url).path
    if path.startswith("/api/"):
        return "API (JSON)"
    if "html" in content_type:
        return "page (HTML)"
    if path.endswith(".js") or "javascript" in content_type:
        return "script"
    if path.endswith(".css") or "css" in content_type:
        return "style"
    if content_type.startswith("image/"):
        return "image"
    return "other"


def load_once(browser, page: Page, weigh: bool, timeout_ms: int) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = context.new_page()
        pg.add_init_script(OBSERVER % json.dumps(page.selector))
        responses = []
        pg.on("request", lambda r: page.foreign.append(r.url) if urlsplit(r.url).hostname != HOST else None)
        pg.on("response", lambda r: responses.append(r))
        pg.on("pageerror", lambda e: page.errors.append(str(e)))
        pg.on("requestfailed", lambda r: page.errors.append(f"failed: {r.url}"))
        pg.goto(page.url, wait_until="load", timeout=timeout_ms)
        pg.wait_for_function("() => window.__pm && window.__pm.painted !== undefined", timeout=timeout_ms)
        if page.ready:   # every request of the first view is answered once the page says it is ready
            pg.wait_for_selector(page.ready, state="attached", timeout=timeout_ms)
        else:   # a static page: everything it needs is requested before `load`
            pg.wait_for_load_state("load", timeout=timeout_ms)
        pg.wait_for_timeout(500)   # the reader's last chunks and any task they start
        marks = pg.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            const t = window.__pm.tasks;
            return [window.__pm.inserted, window.__pm.painted, n.domContentLoadedEventEnd, n.loadEventEnd,
                    t.length ? Math.max(...t) : 0, t.filter(d => d > 200).length]; }""")
        page.loads.append(Load(*marks))
        if weigh:
            for r in responses:
                if r.url.startswith("data:"):
                    continue
                sizes = r.request.sizes()
                body = r.body() if r.status < 300 else b""
                page.resources.append(Resource(
                    r.url, kind_of(r.url, r.headers.get("content-type", "")), r.status,
                    sizes["responseHeadersSize"] + sizes["responseBodySize"], len(body),
                    len(gzip.compress(body, 6)) if body else 0))
    finally:
        context.close()


def weight_table(pages: list[Page]) -> str:
    kinds = ["page (HTML)", "script", "style", "image", "API (JSON)", "other"]
    lines = ["| resources | " + " | ".join(f"{p.name}: bytes on the wire | {p.name}: gzipped" for p in pages) + " |",
             "|---|" + "---:|---:|" * len(pages)]
    for kind in kinds:
        cells = []
        for p in pages:
            mine = [r for r in p.resources if r.kind == kind]
            cells.append(f"{sum(r.wire for r in mine):,} ({len(mine)})" if mine else "—")
            cells.append(f"{sum(r.gzipped for r in mine):,}" if mine else "—")
        if any(c != "—" for c in cells):
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines.append("| **total** | " + " | ".join(
        f"**{sum(r.wire for r in p.resources):,}** ({len(p.resources)}) | **{sum(r.gzipped for r in p.resources):,}**"
        for p in pages) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="navigations per page (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one page load")
    parser.add_argument("--build-dir", type=Path, default=None, help="reuse a build instead of building into a temp dir")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("chromium is not installed: `make bench` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    build_dir = shared_build(args.build_dir)
    timeout_ms = int(args.timeout * 1000)
    with tempfile.TemporaryDirectory(prefix="planmap-bench-folium-") as tmp, Server(build_dir) as server, \
            StaticServer(folium_site(build_dir, Path(tmp))) as static, sync_playwright() as p:
        pages = [Page("explorer", server.url + "/", EXPLORER_FEATURE, EXPLORER_READY),
                 Page("Folium", static.url + "/", FOLIUM_FEATURE)]
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for pg in pages:  # one untimed load each: Chromium's own start-up (V8, fonts) is not the page's
                load_once(browser, Page(pg.name, pg.url, pg.selector, pg.ready), False, timeout_ms)
            for i in range(args.loads):
                for pg in pages:
                    load_once(browser, pg, i == 0, timeout_ms)
        finally:
            browser.close()

    explorer, baseline = pages
    print(f"## Page weight and first feature painted, headless Chromium, median of {args.loads} loads\n")
    print(f"{machine()}.\n")
    print("| page | first feature painted ms | first feature in DOM ms | DOMContentLoaded ms | load ms | "
          "paint × Folium | longest main-thread task ms (max of runs) | tasks > 200 ms (all runs) | runs (painted ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for pg in pages:
        print(f"| {pg.name} | {pg.median('painted_ms'):.0f} | {pg.median('inserted_ms'):.0f} | "
              f"{pg.median('dcl_ms'):.0f} | {pg.median('load_ms'):.0f} | "
              f"{pg.median('painted_ms') / baseline.median('painted_ms'):.2f} | "
              f"{max(x.longest_task_ms for x in pg.loads):.0f} | {sum(x.tasks_over_200 for x in pg.loads)} | "
              f"{', '.join(f'{x.painted_ms:.0f}' for x in pg.loads)} |")
    print(f"\n{weight_table(pages)}\n")
    ex_gz = sum(r.gzipped for r in explorer.resources)
    paint = explorer.median("painted_ms")
    longest = max(x.longest_task_ms for x in explorer.loads)
    ex_wire = sum(r.wire for r in explorer.resources)
    print(f"Target: first view ≤ {TARGET_WIRE_BYTES:,} bytes on the wire: {ex_wire:,} bytes, "
          f"{'met' if ex_wire <= TARGET_WIRE_BYTES else f'missed by {ex_wire - TARGET_WIRE_BYTES:,} bytes'}.")
    print(f"Target: no main-thread task over {TARGET_TASK_MS} ms while the explorer loads: longest {longest:.0f} ms, "
          f"{'met' if longest <= TARGET_TASK_MS else 'missed'}.")
    print(f"Targets: first feature painted < {TARGET_PAINT_MS} ms: {paint:.0f} ms, "
          f"{'met' if paint < TARGET_PAINT_MS else f'missed by {paint - TARGET_PAINT_MS:.0f} ms'}; page < 1 MB gzipped: "
          f"{ex_gz:,} bytes, {'met' if ex_gz < TARGET_GZIP_BYTES else f'missed by {ex_gz - TARGET_GZIP_BYTES:,} bytes'}.\n")
    print("Responses of the explorer, largest first (bytes on the wire → gzipped):\n")
    print(", ".join(f"`{rel(r.url)}` "
                    f"{r.wire:,} → {r.gzipped:,}" + ("" if r.status < 300 else f" (HTTP {r.status})")
                    for r in sorted(explorer.resources, key=lambda r: -r.wire)))
    for pg in pages:
        if pg.foreign or pg.errors:
            print(f"\n{pg.name}: requests outside 127.0.0.1: {sorted(set(pg.foreign))}; errors: {pg.errors[:5]}")
    print()
    if args.json:
        args.json.write_text(json.dumps({pg.name: {"loads": [vars(x) for x in pg.loads],
                                                   "resources": [vars(r) for r in pg.resources]} for pg in pages},
                                        indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Regenerate the README's pictures of the explorer: docs/explorer.png (desktop, 1440×900)
and docs/explorer-phone.png (phone, 390×844).

Serves the current build (building it if needed) on a free localhost port and photographs
it in Debian's headless Chromium as a user meets it: on the desktop the plan's structure at
the default view with a park chosen from the search list; on the phone the map view with
the same park selected.

    python scripts/screenshot.py [--out-dir docs]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.build import DEFAULT_BUILD_DIR, ensure_build  # noqa: E402
from webmap import create_app  # noqa: E402
from webmap.serve import in_thread  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = {
    "explorer.png": {"viewport": {"width": 1440, "height": 900}},
    "explorer-phone.png": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                           "is_mobile": True, "has_touch": True},
}
PLACE = "镇江新区航空航天"


def photograph(browser, url: str, out: Path, context_args: dict) -> None:
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_selector('body[data-ready="true"]', state="attached", timeout=30_000)
    page.fill("#pm-q", PLACE)
    page.keyboard.press("Enter")
    page.wait_for_selector(".pm-popup", timeout=10_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out))
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    ensure_build(DEFAULT_BUILD_DIR)
    app = create_app({"build_dir": DEFAULT_BUILD_DIR, "auto_build": False})
    with in_thread(app) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for name, context_args in SHOTS.items():
            photograph(browser, url, args.out_dir / name, context_args)
            print(f"wrote {args.out_dir / name}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

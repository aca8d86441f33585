"""Regenerate docs/explorer.png, the README's picture of the explorer.

Serves the current build (building it if needed) on a free localhost port and photographs
it in Debian's headless Chromium, with a park selected from the text, as a user would.

    python scripts/screenshot.py [--out docs/explorer.png]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "explorer.png")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    ensure_build(DEFAULT_BUILD_DIR)
    app = create_app({"build_dir": DEFAULT_BUILD_DIR, "auto_build": False})
    with in_thread(app) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(url + "/?zone=east-wing&zone=core")
        page.wait_for_selector('body[data-ready="true"]', state="attached")
        page.locator("mark.pm-place[data-place='park-xinqu-aerospace']").first.click()
        page.wait_for_timeout(1200)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

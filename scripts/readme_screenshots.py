"""The README's three screenshots (issue 19) from a running `ulakbel dev --seed-demo` of this checkout:
inbox, a request's conversation and the analytics page, 1280×800 in Debian's chromium (Playwright), saved to
test-artifacts/console/readme-*.png and, quantised to a 256-colour palette (Pillow), to docs/images/.

    make run            # in one terminal (or: python -m ulakbel_cli.main dev --seed-demo)
    .venv/bin/python scripts/readme_screenshots.py
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "console"
IMAGES = ROOT / "docs" / "images"
SHOTS = ("console-inbox.png", "console-request.png", "console-analytics.png")
CHROMIUM = os.environ.get("ULAKBEL_CHROMIUM", "/usr/bin/chromium")


def optimise(src: Path, dst: Path, colours: int = 256) -> int:
    """A palette PNG (what a UI screenshot needs), written with zlib's best compression; returns its size."""
    from PIL import Image

    with Image.open(src) as image:
        image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(
            dst, format="PNG", optimize=True)
    return dst.stat().st_size


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from ulakbel_cli.home import home
    from ulakbel_cli.running import find

    dev = find()
    if dev is None:
        print("ulakbel dev is not running in this checkout: start `make run` first", file=sys.stderr)
        return 2
    base = dev.endpoint
    admin = json.loads((home() / "dev-tokens.json").read_text())["admin"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    IMAGES.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        page = browser.new_context(locale="tr-TR", viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"{base}/console/login?token={admin}")
        page.wait_for_url(f"{base}/console")
        page.goto(f"{base}/console?sort=new")
        page.evaluate("window.scrollTo(0, document.querySelector('[data-testid=inbox]').offsetTop - 330)")
        page.screenshot(path=str(ARTIFACTS / "readme-console-inbox.png"))
        # a request with a conversation: today's WhatsApp example from Yenidoğan
        row = page.locator("[data-testid=inbox] tbody tr[data-request-id]", has_text="Yenidoğan mahallesinde çöpler").first
        page.goto(f"{base}/console/requests/{row.get_attribute('data-request-id')}")
        page.screenshot(path=str(ARTIFACTS / "readme-console-request.png"))
        page.goto(f"{base}/console/analytics")
        page.screenshot(path=str(ARTIFACTS / "readme-console-analytics.png"))
        browser.close()
    for name in SHOTS:
        size = optimise(ARTIFACTS / f"readme-{name}", IMAGES / name)
        print(f"docs/images/{name}: {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

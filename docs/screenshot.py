"""Regenerate docs/screenshot.png: the public page of a service standard on a 360 px phone.

Run against the demo (``make demo``, or ``DEBUG=true pantau demo_setup`` then ``pantau runserver``):

    .venv/bin/python docs/screenshot.py [--url http://127.0.0.1:8000] [--product "Penerbitan KTP-el"]

It searches the demo for the product, opens the first result, and saves the top of its page, down
to the cost, at 360 CSS pixels wide (device scale 1.5, palette PNG so the file stays small).
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("PANTAU_CHROMIUM", shutil.which("chromium") or "chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--product", default="Penerbitan KTP-el")
    parser.add_argument("--out", type=Path, default=HERE / "screenshot.png")
    args = parser.parse_args()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(
            viewport={"width": 360, "height": 740},
            device_scale_factor=1.5,
            is_mobile=True,
            has_touch=True,
            locale="id-ID",
        )
        page.goto(f"{args.url}/layanan/?q={args.product}")
        page.get_by_role("link", name=args.product).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(args.product)
        cost = page.get_by_role("region", name="Biaya").bounding_box()
        assert cost is not None, "the product page has no cost section"
        bottom = cost["y"] + cost["height"] + 6  # half the gap to the next card
        page.screenshot(
            path=str(args.out), full_page=True, clip={"x": 0, "y": 0, "width": 360, "height": bottom}
        )
        browser.close()
    _shrink(args.out)
    print(f"{args.out}: {args.out.stat().st_size // 1024} KB")


def _shrink(path: Path) -> None:
    """Quantise to a 64-colour palette when Pillow is there (a UI screenshot loses nothing visible)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


if __name__ == "__main__":
    main()

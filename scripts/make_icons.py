"""Draw the site's PNG and ICO icons from public/favicon.svg with Debian's Chromium.

The SVG is the artwork (the site's blue with a white pin); browsers that do not take an SVG
icon, home screens and the web app manifest need PNGs, and `/favicon.ico` an ICO. Run after
changing the SVG: .venv/bin/python scripts/make_icons.py
"""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

PUBLIC = Path(__file__).resolve().parent.parent / "pertutti" / "public" / "static" / "public"
SVG = (PUBLIC / "favicon.svg").read_text()
# A maskable icon is cropped to a circle of 80% of its side: a full-bleed square with the
# pin drawn inside that circle.
MASKABLE = (
    SVG.replace('rx="12"', 'rx="0"')
    .replace("<path", '<g transform="translate(32 32) scale(0.7) translate(-32 -32)"><path')
    .replace("</svg>", "</g></svg>")
)
ICONS = {
    "favicon-32.png": (SVG, 32),
    "apple-touch-icon.png": (SVG.replace('rx="12"', 'rx="0"'), 180),  # iOS rounds it itself
    "icon-192.png": (SVG, 192),
    "icon-512.png": (SVG, 512),
    "icon-maskable-512.png": (MASKABLE, 512),
}


def render(page, svg: str, size: int) -> bytes:
    page.set_viewport_size({"width": size, "height": size})
    sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    page.set_content(f"<html><body style='margin:0;background:transparent'>{sized}</body></html>")
    return page.screenshot(omit_background=True)


def ico(png: bytes, size: int) -> bytes:
    """An ICO holding one PNG image (read by every browser since 2007)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        for name, (svg, size) in ICONS.items():
            data = render(page, svg, size)
            (PUBLIC / name).write_bytes(data)
            if name == "favicon-32.png":
                (PUBLIC / "favicon.ico").write_bytes(ico(data, size))
        browser.close()


if __name__ == "__main__":
    main()

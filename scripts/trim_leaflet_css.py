"""Build public/leaflet.min.css from the vendored leaflet.css without the unused parts.

The site uses Leaflet's map, zoom control, attribution, div markers and popups; it never
shows the layers switcher, the scale bar, tooltips or image markers, and does not support
Internet Explorer. Dropping those rules and the comments saves about 1 KB gzip on every map
page (the budget is 60 KB). Run after updating Leaflet: python scripts/trim_leaflet_css.py
"""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "pertutti" / "public" / "static"
SOURCE = STATIC / "vendor" / "leaflet" / "leaflet.css"
TARGET = STATIC / "public" / "leaflet.min.css"
UNUSED = re.compile(
    r"leaflet-control-layers|leaflet-default-icon-path|leaflet-oldie|leaflet-tooltip"
    r"|leaflet-control-scale|leaflet-retina"
)


def trim(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    position = 0
    while position < len(css):
        open_brace = css.find("{", position)
        if open_brace < 0:
            break
        selectors = css[position:open_brace].strip()
        if selectors.startswith("@"):  # keep @media blocks whole (one nesting level)
            depth, end = 0, open_brace
            while True:
                if css[end] == "{":
                    depth += 1
                elif css[end] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                end += 1
            out.append(re.sub(r"\s+", " ", css[position : end + 1].strip()))
            position = end + 1
            continue
        close = css.index("}", open_brace)
        body = re.sub(r"\s+", " ", css[open_brace + 1 : close]).strip()
        kept = [s.strip() for s in selectors.split(",") if not UNUSED.search(s)]
        if kept:
            out.append(",".join(kept) + "{" + body + "}")
        position = close + 1
    header = "/* Leaflet 1.9.4 (BSD-2-Clause, see vendor/leaflet/LICENSE), unused rules removed */"
    return header + "\n" + "\n".join(out) + "\n"


if __name__ == "__main__":
    TARGET.write_text(trim(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{TARGET} written")

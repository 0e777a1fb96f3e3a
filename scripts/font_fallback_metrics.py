"""Print the metric-matched fallback @font-face rules of public/site.css.

While a web font downloads (font-display: swap) the browser draws the text in a local font,
then swaps: if the two differ in width and height, the page jumps (layout shift). Each rule
here wraps a local font with size-adjust and ascent/descent/line-gap overrides computed so
that it takes the room the web font will take (the method of next/font and Fontaine).

Run with the local fonts to compare (development only; fontTools and Playwright), one
argument per rule: WEB FONT[@WEIGHT]:LOCAL NAME|OTHER LOCAL NAME=PATH OF THE LOCAL FONT, e.g.
    .venv/bin/python scripts/font_fallback_metrics.py "Titillium Web:Arial|Liberation Sans=\
    /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf" (one line)
The rules in site.css come from Liberation Sans (Arial's metrics), DejaVu Sans, Roboto and
Noto Naskh Arabic (npm @fontsource/roboto, @fontsource/noto-naskh-arabic 5.3.0).
Widths are averaged over real text of the site in each script, so the adjustment fits the
letters people read, not the alphabet.
"""

import csv
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "pertutti" / "public" / "static" / "vendor"
WEB_FONTS = {
    "Titillium Web": VENDOR / "titillium-web" / "titillium-web-latin-400-normal.woff2",
    "Titillium Web@600 900": VENDOR / "titillium-web" / "titillium-web-latin-700-normal.woff2",
    "Noto Sans Arabic": VENDOR / "noto-sans-arabic" / "noto-sans-arabic-arabic-400-normal.woff2",
    "Noto Nastaliq Urdu": VENDOR
    / "noto-nastaliq-urdu"
    / "noto-nastaliq-urdu-urdu-400-normal.woff2",
}


def latin_sample() -> str:
    with (ROOT / "demo" / "lodi" / "mappatura-servizi-lodi.csv").open(encoding="utf-8") as f:
        return " ".join(row["servizio"] + " " + row["descrizione"] for row in csv.DictReader(f))


def po_sample(language: str) -> str:
    path = ROOT / "pertutti" / "locale" / language / "LC_MESSAGES" / "django.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    return " ".join(line[8:-1] for line in lines if line.startswith('msgstr "'))


LATIN = "U+0000-024F,U+1E00-1EFF,U+2000-206F,U+20AC,U+2122"
ARABIC = "U+0600-06FF,U+0750-077F,U+0870-08FF,U+FB50-FDFF,U+FE70-FEFC"
# Only the script of the web font: Cyrillic must not be drawn by "Arial, shrunk to Titillium".
RANGES = {"Titillium Web": LATIN, "Noto Sans Arabic": ARABIC, "Noto Nastaliq Urdu": ARABIC}
SAMPLES = {
    "Titillium Web": latin_sample,
    "Noto Sans Arabic": lambda: po_sample("ar"),
    "Noto Nastaliq Urdu": lambda: po_sample("ur"),
}


def vertical(font: TTFont) -> tuple[float, float, float]:
    """Ascent, descent, line gap in em, as browsers read them (typo metrics when the font
    asks for them, else hhea)."""
    upm = font["head"].unitsPerEm
    os2 = font["OS/2"]
    if os2.fsSelection & (1 << 7):
        return os2.sTypoAscender / upm, -os2.sTypoDescender / upm, os2.sTypoLineGap / upm
    hhea = font["hhea"]
    return hhea.ascent / upm, -hhea.descent / upm, hhea.lineGap / upm


def width(font: TTFont, text: str) -> float:
    """Advance of the characters both fonts have, in em (shaping ignored: a ratio)."""
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    upm = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(c)]][0] for c in text if ord(c) in cmap) / upm


def shaped_widths(paths: list[Path], text: str) -> list[float]:
    """Width of `text` set in each font by Chromium (Arabic letters join and change width
    with their neighbours, so summing the advances of isolated letters would mislead)."""
    import base64
    import html

    from playwright.sync_api import sync_playwright

    faces = "".join(
        f"@font-face{{font-family:f{i};src:url(data:font/woff2;base64,"
        f"{base64.b64encode(path.read_bytes()).decode()})}}"
        for i, path in enumerate(paths)
    )
    spans = "".join(
        f'<span style="font:100px f{i};white-space:nowrap">{html.escape(text)}</span><br>'
        for i in range(len(paths))
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.set_content(f"<style>{faces}</style><div dir=rtl>{spans}</div>")
        page.evaluate("document.fonts.ready")
        widths = page.eval_on_selector_all(
            "span", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        browser.close()
    return widths


def rule(target: str, web: TTFont, local_name: str, local: TTFont, text: str) -> str:
    family, _, weight = target.partition("@")
    both = "".join(c for c in text if ord(c) in web.getBestCmap() and ord(c) in local.getBestCmap())
    if family == "Titillium Web":
        size_adjust = width(web, both) / width(local, both)
    else:
        web_width, local_width = shaped_widths(
            [Path(web.reader.file.name), Path(local.reader.file.name)], both
        )
        size_adjust = web_width / local_width
    ascent, descent, gap = vertical(web)
    names = local_name.split("|")
    sources = ",".join(f'local("{name}")' for name in names)
    label = names[0].removesuffix(" Bold")  # one family, its faces told apart by weight
    return (
        f'@font-face{{font-family:"{family} fallback {label}";src:{sources};'
        + (f"font-weight:{weight};" if weight else "")
        + f"unicode-range:{RANGES[family]};"
        + f"size-adjust:{size_adjust:.2%};ascent-override:{ascent / size_adjust:.2%};"
        f"descent-override:{descent / size_adjust:.2%};"
        f"line-gap-override:{gap / size_adjust:.2%}}}"
    )


def main(arguments: list[str]) -> None:
    for argument in arguments:
        target, _, rest = argument.partition(":")
        local_names, _, path = rest.partition("=")
        web = TTFont(WEB_FONTS[target])
        local = TTFont(path, fontNumber=0)
        print(rule(target, web, local_names, local, SAMPLES[target.partition("@")[0]]()))


if __name__ == "__main__":
    main(sys.argv[1:])

"""No empty boxes (tofu) in any script, on a device with none of the fonts a page needs.

Chromium runs with a fontconfig that knows DejaVu Sans only (no CJK, Arabic, Nastaliq,
Gurmukhi or Bengali system font), so every character must come from a font the site ships.
Chromium's DevTools protocol says which fonts drew the text of an element
(CSS.getPlatformFontsForNode): each must be a web font (isCustomFont); a character no web
font has would be drawn by DejaVu Sans or as a box.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SUBSET = "noto-sans-sc-subset-400-normal.woff2"
NAME_FONT = "noto-sans-sc-language-name-400-normal.woff2"

# Per page: the heading, a category tile, the current language in the menu, and in the open
# menu the entry of Chinese (shown in Chinese on every page).
SAMPLES = ["h1", ".tiles a span", ".lang summary", '.lang li a[hreflang="zh-hans"]']


@pytest.fixture(scope="module")
def bare_chromium(tmp_path_factory, playwright_driver: Playwright) -> Iterator[Browser]:
    """Chromium on a machine with DejaVu Sans as its only font."""
    folder = tmp_path_factory.mktemp("fontconfig")
    (folder / "fonts").mkdir()
    if DEJAVU.exists():  # a last-resort font for Chromium's own use; not required
        shutil.copy(DEJAVU, folder / "fonts")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{folder / 'fonts'}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    environment = {"FONTCONFIG_FILE": str(config), "HOME": str(folder)}
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=environment
    )
    yield browser
    browser.close()


def fonts_drawing(page: Page, selector: str) -> list[list[dict]]:
    """The fonts Chromium used for the text of each element matching `selector`."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
    fonts = [
        session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        for node in nodes["nodeIds"]
    ]
    session.detach()
    return fonts


# A character no font has is not reported at all (the box is drawn by no font), so each
# character (with its combining marks: a grapheme) is also set alone in a probe inside the
# element, where it must have a font.
PROBE = """element => {
    const seen = new Set();
    const graphemes = new Intl.Segmenter(undefined, {granularity: "grapheme"});
    for (const {segment} of graphemes.segment(element.textContent)) {
        if (/^\\s+$/.test(segment) || seen.has(segment)) continue;
        seen.add(segment);
        const probe = document.createElement("span");
        probe.dataset.probe = "";
        probe.textContent = segment;
        element.append(probe);
    }
}"""


def _codes(text: str) -> str:
    return f"{text} " + " ".join(f"U+{ord(char):04X}" for char in text)


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport=PHONE)
    requested: list[str] = []
    page.on(
        "request",
        lambda r: requested.append(r.url.rsplit("/", 1)[-1]) if r.resource_type == "font" else None,
    )
    page.goto(url)
    page.locator(".lang summary").click()  # the menu's entries are drawn only when it is open
    page.evaluate("document.fonts.ready")
    return page, requested


def not_ours(page: Page, selectors: list[str] = SAMPLES) -> dict[str, list[str]]:
    """Per selector, the text not drawn by a font the site ships."""
    found = {}
    for selector in selectors:
        element = page.locator(selector).first
        assert element.count(), f"{selector} is not on {page.url}"
        whole = fonts_drawing(page, selector)[0]
        problems = [
            f"{f['familyName']} ({f['glyphCount']} glyphs)" for f in whole if not f["isCustomFont"]
        ]
        element.evaluate(PROBE)
        page.evaluate("document.fonts.ready")
        probes = element.locator("[data-probe]")
        characters = probes.all_text_contents()
        for char, fonts in zip(characters, fonts_drawing(page, "[data-probe]"), strict=True):
            if not fonts:
                problems.append(f"{_codes(char)}: no font (a box)")
            problems += [
                f"{char} U+{ord(char):04X}: {f['familyName']}"
                for f in fonts
                if not f["isCustomFont"]
            ]
        page.evaluate("document.querySelectorAll('[data-probe]').forEach(p => p.remove())")
        if problems:
            found[selector] = problems
    return found


@pytest.mark.parametrize("code", ["zh-hans", "ar", "ur", "pa", "bn"])
def test_every_character_comes_from_a_font_the_site_ships(site, bare_chromium, code):
    page, requested = open_page(bare_chromium, f"{site}/{code}/")
    try:
        assert not_ours(page) == {}, "drawn by a system font (a box on phones without it)"
        assert (SUBSET in requested) is (code == "zh-hans")
    finally:
        page.close()


def test_other_languages_never_download_the_chinese_subset(site, bare_chromium):
    """The menu names Chinese in Chinese on every page: that takes a 2 KB font of its four
    characters, never the subset."""
    page, requested = open_page(bare_chromium, f"{site}/it/services/LPT-013/")
    try:
        assert not_ours(page, [s for s in SAMPLES if s != ".tiles a span"]) == {}
        assert NAME_FONT in requested and SUBSET not in requested
    finally:
        page.close()


def test_the_check_sees_a_character_no_shipped_font_has(site, bare_chromium):
    """The checks above would notice a missing font: the site ships none for Thai and
    Armenian, so Chromium draws them from DejaVu Sans (Armenian) or as a box (Thai)."""
    page, _ = open_page(bare_chromium, f"{site}/it/")
    try:
        page.evaluate("document.querySelector('h1').textContent = 'ไทย Lodi Հ'")
        flagged = {problem.split(" ")[0] for problem in not_ours(page, ["h1"])["h1"]}
        assert {"ไ", "ท", "ย", "Հ"} <= flagged
        assert not {"L", "o", "d", "i"} & flagged
    finally:
        page.close()

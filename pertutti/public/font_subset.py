"""The Simplified Chinese webfont: Noto Sans CJK SC cut down to the characters the site shows.

A full Chinese font weighs megabytes; the site shows a few hundred distinct characters in
Chinese (interface catalogue, category names, dates, language names, Chinese content), so a
subset of them weighs tens of kilobytes. Only Chinese pages link it (`public/zh.css`), after
the device's own CJK fonts, so a phone that has one never downloads it. A second, tiny font
holds only the Chinese name of the language, which the language menu shows on every page.

Build step, not run time: `manage.py build_font_subset` regenerates both files from Debian's
fonts-noto-cjk; tests/public/test_font_subset.py fails when a Chinese text gains a character
the committed subset lacks. fontTools is a development dependency and imported lazily.
"""

import json
import logging
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import translation

LANGUAGE = "zh-hans"
CLDR_LOCALE = "zh_Hans"
COMMAND = "manage.py build_font_subset"
SOURCE_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = "Noto Sans CJK SC"  # the Simplified Chinese face of the collection

PACKAGE = Path(__file__).resolve().parent.parent
TARGET_DIR = Path(__file__).resolve().parent / "static" / "vendor" / "noto-sans-sc"
SUBSET_FILE = TARGET_DIR / "noto-sans-sc-subset-400-normal.woff2"
NAME_FILE = TARGET_DIR / "noto-sans-sc-language-name-400-normal.woff2"

CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DATA_FILES = (PACKAGE / "taxonomy" / "data" / "categories.json",)
TERRITORY_DATA = PACKAGE / "territories" / "data"
CONTENT_DIR = Path(settings.BASE_DIR) / "demo"  # demo/<territory>/translations/zh*.xlf

# What the subset draws (its unicode-range in zh.css): Chinese characters, CJK punctuation,
# full-width forms. Latin letters, digits and Western punctuation come from Titillium Web,
# first in the Chinese font stack.
SUBSET_RANGES = (
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)
# Always included, for Chinese text the build cannot see (translations typed in the
# workspace): CJK symbols and punctuation, full-width punctuation (not letters and digits).
FIXED_RANGES = (
    (0x3000, 0x303F),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF60),
)


def in_subset_range(char: str) -> bool:
    return any(start <= ord(char) <= end for start, end in SUBSET_RANGES)


def css_unicode_range() -> str:
    return ",".join(f"U+{start:04X}-{end:04X}" for start, end in SUBSET_RANGES)


def fixed_characters() -> set[str]:
    return {chr(c) for start, end in FIXED_RANGES for c in range(start, end + 1)}


def _is_cjk(char: str) -> bool:
    return in_subset_range(char) or 0x2E80 <= ord(char) <= 0x2FFF or ord(char) >= 0x20000


def catalogue_texts(path: Path = CATALOGUE) -> Iterator[str]:
    """Every translation of the Chinese interface catalogue (fuzzy ones too: cheap, and
    they need no regeneration the day a reviewer confirms them)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield from (text for text in strings if text)


def _zh_strings(value: object, in_zh: bool = False) -> Iterator[str]:
    """Strings under a key naming Chinese ("zh", "zh-hans", "zh_Hans", "name_zh-hans"), and
    any string written in Chinese characters, wherever the data file keeps them."""
    if isinstance(value, dict):
        for key, item in value.items():
            key_zh = isinstance(key, str) and (
                key.lower().startswith("zh") or key.lower().endswith(("_zh", "-zh", "zh-hans"))
            )
            yield from _zh_strings(item, in_zh or key_zh)
    elif isinstance(value, list):
        for item in value:
            yield from _zh_strings(item, in_zh)
    elif isinstance(value, str) and (in_zh or any(_is_cjk(char) for char in value)):
        yield value


def data_texts() -> Iterator[str]:
    """Chinese category names and descriptions, and Chinese territory data (glossary)."""
    paths = [*DATA_FILES, *sorted(TERRITORY_DATA.glob("*/*.json"))]
    for path in paths:
        if path.exists():
            yield from _zh_strings(json.loads(path.read_text(encoding="utf-8")))


def content_texts(directory: Path = CONTENT_DIR) -> Iterator[str]:
    """Targets of the Chinese XLIFF content translations shipped in the repository."""
    from defusedxml import ElementTree

    for path in sorted(directory.glob("*/translations/zh*.xlf")):
        for element in ElementTree.parse(path).iter():
            if element.tag.rsplit("}", 1)[-1] == "target" and element.text:
                yield "".join(element.itertext())


def generated_texts() -> Iterator[str]:
    """Texts the code makes in Chinese: weekdays and months (Django's catalogue, the
    opening hours), long dates (CLDR), language names (CLDR and settings.LANGUAGES)."""
    from babel import Locale
    from babel.dates import format_date
    from django.utils.dates import MONTHS, WEEKDAYS

    with translation.override(LANGUAGE):
        yield from (str(name) for name in WEEKDAYS.values())
        yield from (str(name) for name in MONTHS.values())
    for month in range(1, 13):
        day = date(2026, month, 28)
        yield format_date(day, format="long", locale=CLDR_LOCALE)
        yield format_date(day, format="EEEE", locale=CLDR_LOCALE)
    names = Locale.parse(CLDR_LOCALE).languages
    for code, _own_name in settings.LANGUAGES:
        language, _, script = code.partition("-")
        cldr = f"{language}_{script.title()}" if script else language
        yield names.get(cldr) or names.get(language, "")
    yield language_name()


def language_name() -> str:
    """Chinese as the language menu names it on every page."""
    return dict(settings.LANGUAGES)[LANGUAGE]


def _characters(texts: Iterable[str]) -> set[str]:
    return {char for text in texts for char in text if in_subset_range(char)}


def required_characters() -> set[str]:
    """What the subset must draw: every Chinese character the site writes, and punctuation."""
    texts = [*catalogue_texts(), *data_texts(), *content_texts(), *generated_texts()]
    return _characters(texts) | fixed_characters()


def name_characters() -> set[str]:
    return _characters([language_name()])


def font_characters(path: Path) -> set[str]:
    """The characters a font file maps to a glyph (its cmap)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    return {chr(code) for code in font.getBestCmap()}


class SourceFontError(Exception):
    pass


@dataclass(frozen=True)
class BuiltFont:
    path: Path
    size: int
    glyphs: int
    characters: int


def _source_face(source: Path) -> int:
    from fontTools.ttLib import TTCollection, TTLibError

    try:
        collection = TTCollection(source, lazy=True)
    except (TTLibError, AssertionError, struct.error) as exc:  # fontTools asserts on bad headers
        raise SourceFontError(f"{source} is not a font collection: {exc}") from exc
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == SOURCE_FACE:
            return number
    raise SourceFontError(f"{source} has no {SOURCE_FACE!r} face")


def _subset(source: Path, face: int, characters: set[str], target: Path) -> BuiltFont:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it lists every glyph at INFO
    font = TTFont(source, fontNumber=face, recalcTimestamp=False)  # same input, same bytes
    available = set(font.getBestCmap())
    # A few characters (e.g. symbols in a translation) may be missing from the source too:
    # the browser draws them from the next font of the stack, as it would anyway.
    codes = sorted(ord(char) for char in characters if ord(char) in available)
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # phones ignore CFF hints; a third of the bytes
    options.desubroutinize = True  # Brotli compresses plain charstrings better
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence
    # No "locl": in this face it maps to Japanese, Korean and Traditional forms (+50% glyphs).
    options.layout_features = ["ccmp", "kern"]
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # the site never sets text vertically
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(target)
    return BuiltFont(
        path=target,
        size=target.stat().st_size,
        glyphs=font["maxp"].numGlyphs,
        characters=len(codes),
    )


def build(source: Path = SOURCE_FONT) -> tuple[BuiltFont, BuiltFont, list[str]]:
    """Write the subset and the language-name font; returns them and the required
    characters the source font lacks."""
    if not source.exists():
        raise SourceFontError(
            f"{source} is missing: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)"
        )
    face = _source_face(source)
    required = required_characters()
    from fontTools.ttLib import TTFont

    available = {chr(code) for code in TTFont(source, fontNumber=face, lazy=True).getBestCmap()}
    missing = sorted(char for char in required if char not in available)
    subset = _subset(source, face, required, SUBSET_FILE)
    name = _subset(source, face, name_characters(), NAME_FILE)
    return subset, name, missing

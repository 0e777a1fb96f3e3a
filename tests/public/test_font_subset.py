"""The Simplified Chinese font subset covers every Chinese character the site writes, and only
Chinese pages load it (pertutti/public/font_subset.py)."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pertutti.public import font_subset

STATIC = Path(font_subset.__file__).resolve().parent / "static"
REGENERATE = f"run `{font_subset.COMMAND}` (needs Debian's fonts-noto-cjk) and commit the font"


def _names(characters: set[str]) -> str:
    return " ".join(f"{char} U+{ord(char):04X}" for char in sorted(characters))


def test_the_committed_subset_draws_every_chinese_character_of_the_site():
    """Fails when a Chinese text (catalogue, category names, content) gains a character."""
    missing = font_subset.required_characters() - font_subset.font_characters(
        font_subset.SUBSET_FILE
    )
    assert not missing, (
        f"Chinese characters missing from the font subset: {_names(missing)}; {REGENERATE}"
    )


def test_the_committed_name_font_draws_the_chinese_language_name():
    missing = font_subset.name_characters() - font_subset.font_characters(font_subset.NAME_FILE)
    assert font_subset.name_characters()
    assert not missing, f"missing from the language-name font: {_names(missing)}; {REGENERATE}"


def test_required_characters_come_from_the_catalogue_and_the_category_names():
    required = font_subset.required_characters()
    catalogue = "".join(font_subset.catalogue_texts())
    assert "搜索" in catalogue and set("搜索") <= required  # "Search" in the interface
    assert set("星期一") <= required and set("年月日") <= required  # weekdays, long dates
    assert set("意大利语") <= required  # "Italian" among the languages spoken
    assert set("，。（）") <= required  # CJK punctuation, always
    assert not {"A", "7", " "} & required  # Latin letters and digits are Titillium's


def test_a_new_chinese_character_makes_the_coverage_test_fail(monkeypatch):
    monkeypatch.setattr(font_subset, "catalogue_texts", lambda: iter(["龘"]))
    missing = font_subset.required_characters() - font_subset.font_characters(
        font_subset.SUBSET_FILE
    )
    assert missing == {"龘"}


def test_chinese_strings_are_found_under_any_chinese_key_of_a_data_file():
    data = [
        {"name": "Salute", "names": {"zh-hans": "医疗健康", "ar": "الصحة"}},
        {"glossary": {"zh": "Codice fiscale（税号）"}, "other": "中文 inline"},
        {"name_zh-hans": "住房"},
    ]
    found = list(font_subset._zh_strings(data))
    assert found == ["医疗健康", "Codice fiscale（税号）", "中文 inline", "住房"]


def test_chinese_content_translations_are_read_from_xliff(tmp_path):
    folder = tmp_path / "lodi" / "translations"
    folder.mkdir(parents=True)
    (folder / "zh-hans.xlf").write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file id="f">'
        '<unit id="u"><segment><source>Salute</source><target>医疗</target></segment></unit>'
        "</file></xliff>",
        encoding="utf-8",
    )
    (folder / "fr.xlf").write_text("<not-read/>", encoding="utf-8")
    assert list(font_subset.content_texts(tmp_path)) == ["医疗"]


def test_the_stylesheets_declare_the_ranges_the_fonts_are_built_for():
    zh_css = (STATIC / "public" / "zh.css").read_text(encoding="utf-8")
    site_css = (STATIC / "public" / "site.css").read_text(encoding="utf-8")
    assert f"unicode-range:{font_subset.css_unicode_range()}" in zh_css
    assert font_subset.SUBSET_FILE.name in zh_css and font_subset.SUBSET_FILE.name not in site_css
    name_rule = re.search(r'@font-face\{font-family:"Per tutti SC name";[^}]*\}', site_css)
    assert name_rule and font_subset.NAME_FILE.name in name_rule.group()
    declared = re.search(r"unicode-range:([^;}]*)", name_rule.group()).group(1).split(",")
    assert sorted(declared) == sorted(f"U+{ord(c):04X}" for c in font_subset.name_characters())
    assert (font_subset.TARGET_DIR / "LICENSE").read_text(encoding="utf-8").count("SIL OPEN FONT")


def test_the_generator_refuses_a_missing_source_font(tmp_path):
    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command("build_font_subset", source=tmp_path / "missing.ttc")


@pytest.mark.parametrize("content", [b"ttcf" + bytes(32), b"", None])
def test_the_generator_refuses_a_file_that_is_not_the_cjk_collection(tmp_path, content):
    source = tmp_path / "fonts.ttc"
    if content is None:  # a real font, but a single one, not the Noto CJK collection
        source = STATIC / "vendor" / "titillium-web" / "titillium-web-latin-400-normal.woff2"
    else:
        source.write_bytes(content)
    with pytest.raises(CommandError, match="not a font collection"):
        call_command("build_font_subset", source=source)


@pytest.mark.parametrize(
    ("code", "stylesheet", "preload"),
    [
        ("zh-hans", True, None),
        ("it", False, None),
        ("ar", False, "noto-sans-arabic-arabic-400-normal.woff2"),
        ("ur", False, "noto-nastaliq-urdu-urdu-400-normal.woff2"),
        ("pa", False, None),
    ],
)
def test_only_chinese_pages_link_the_chinese_stylesheet_and_only_arabic_script_pages_preload(
    client, demo, code, stylesheet, preload
):
    html = client.get(f"/{code}/").content.decode()
    assert ("public/zh.css" in html) is stylesheet
    preloads = re.findall(r'<link rel="preload" href="[^"]*/([^/"]+)" as="font"', html)
    assert preloads == ([preload] if preload else [])
    if preload:
        assert 'type="font/woff2" crossorigin>' in html


def test_the_urdu_font_subset_draws_every_letter_of_the_urdu_texts():
    """Noto Nastaliq Urdu is cut to the Arabic block (U+0600-06FF, 114 KB instead of 156 KB);
    Urdu needs nothing outside it, and what the catalogue or the categories use must be in."""
    from babel.messages.pofile import read_po

    with (font_subset.PACKAGE / "locale" / "ur" / "LC_MESSAGES" / "django.po").open("rb") as po:
        texts = [m.string if isinstance(m.string, str) else "".join(m.string) for m in read_po(po)]
    categories = (font_subset.PACKAGE / "taxonomy" / "data" / "categories.json").read_text(
        encoding="utf-8"
    )
    arabic_script = {
        char
        for char in "".join(texts) + categories
        if 0x0590 <= ord(char) <= 0x08FF or 0xFB50 <= ord(char) <= 0xFEFF
    }
    font = STATIC / "vendor" / "noto-nastaliq-urdu" / "noto-nastaliq-urdu-urdu-400-normal.woff2"
    assert arabic_script and not arabic_script - font_subset.font_characters(font)

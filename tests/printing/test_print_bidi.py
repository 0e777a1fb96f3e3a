"""Right-to-left print: WeasyPrint honours no bidi isolation, so time ranges are kept in
order by an override (print_tags.ltr); the positions of the glyphs on the page say whether
it worked, as a reader's eye would."""

import pypdfium2
from django.template import Context, Template

from pertutti.printing.sheets import service_sheet
from pertutti.printing.templatetags.print_tags import ltr


def glyph_positions(data: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(character, left x, bottom y) of every character on a page, in reading order."""
    document = pypdfium2.PdfDocument(data)
    try:
        text = document[page].get_textpage()
        return [
            (text.get_text_range(i, 1), *text.get_charbox(i)[:2]) for i in range(text.count_chars())
        ]
    finally:
        document.close()


def test_ltr_overrides_only_in_a_right_to_left_language():
    assert ltr("9:00 ص – 12:00 م", "ar") == "\u202d9:00\u00a0ص\u00a0–\u00a012:00\u00a0م\u202c"
    assert ltr("9:00 AM – 12:00 PM", "ur").startswith("\u202d")
    assert ltr("09:00–12:00", "it") == "09:00–12:00"
    assert ltr("", "ar") == ""


def test_the_filter_escapes_what_it_wraps():
    html = Template("{% load print_tags %}{{ v|ltr:'ar' }}").render(Context({"v": "<b>1</b>"}))
    assert "&lt;b&gt;" in html


def test_an_arabic_time_range_reads_from_its_start_on_the_left(demo):
    """LPT-002 opens on Tuesday 9:00-12:00: on the Arabic sheet the range must read
    "9:00 ص – 12:00 م" from left to right, as on the site, not scrambled into
    "9:00 م 12:00 – ص" (what a <bdi> gave)."""
    data = service_sheet(demo, "LPT-002", "ar").read_bytes()
    chars = glyph_positions(data)
    text = "".join(c for c, _, _ in chars)
    start = text.index("9:00")
    # The range is the run of characters from "9:00" to the "م" after "12:00".
    end = text.index("م", text.index("12:00", start))
    x = {c: left for c, left, _ in chars[start : end + 1] if c in "ص–م"}
    nine = chars[start][1]
    twelve = chars[text.index("12:00", start)][1]
    assert nine < x["ص"] < x["–"] < twelve < x["م"]

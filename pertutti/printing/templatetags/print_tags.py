"""Template tags of printed pages: a heading in two languages, right-to-left isolation."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pertutti.printing.labels import LABELS
from pertutti.territories.bidi import is_rtl, isolate_latin, text_direction

register = template.Library()
register.filter("isolate_latin", isolate_latin)


@register.simple_tag(takes_context=True)
def bilabel(context: template.Context, key: str) -> SafeString:
    """The label in the reader's language, then in the source language when they differ
    and the page is `bilingual` (a booklet may be printed in the reader's language only)."""
    language, source = context["language"], context["source_language"]
    own = in_language(key, language)
    if language == source or not context.get("bilingual", True):
        return format_html('<span class="label">{}</span>', own)
    original = in_language(key, source)
    # The separator stands between the two spans, outside both: a neutral between an
    # Arabic label and an isolated Italian one takes the page's direction, so it lands
    # between them on either side (inside the Italian span it stuck to the Italian word).
    return format_html(
        '<span class="label">{}</span><span class="label-sep"> · </span>'
        '<bdi class="label-source" lang="{}" dir="{}">{}</bdi>',
        own,
        source,
        context.get("source_direction", "ltr"),
        original,
    )


@register.simple_tag
def in_language(key: str, language: str) -> str:
    """A label in a given language (the Italian beside a translated text)."""
    with translation.override(language):
        return str(LABELS[key])


@register.filter
def paired(items: list[str], originals: list[str]) -> list[tuple[str, str]]:
    """Items side by side with their originals, or [] when the lists do not match one to
    one (a translator merged or split a line): then the original prints as a whole."""
    return list(zip(items, originals, strict=True)) if len(items) == len(originals) else []


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)


# WeasyPrint (Pango) ignores isolation: `<bdi>`, `unicode-bidi` and the isolate controls
# leave "9:00 ص – 12:00 م" scrambled in an Arabic line. A left-to-right override keeps a
# time range in reading order; it is safe only for text with no right-to-left word of more
# than one letter (times, phone numbers, codes), which is all it is used for.
_LRO, _PDF = "\u202d", "\u202c"


@register.filter
def ltr(value: object, language: str) -> str:
    """`value` as text, kept left to right inside a right-to-left document."""
    text = str(value)
    if not is_rtl(language) or not text:
        return text
    # WeasyPrint lays out each breakable piece on its own, so the override reaches only the
    # piece it starts in: no-break spaces keep the unit one piece (and on one line).
    return _LRO + text.replace(" ", "\u00a0").replace("\u2009", "\u202f") + _PDF


@register.filter
def direction(language: str) -> str:
    """ "rtl" or "ltr": the `dir` of a text in `language` (an untranslated Italian text in
    an Arabic booklet is a left-to-right paragraph)."""
    return text_direction(language)

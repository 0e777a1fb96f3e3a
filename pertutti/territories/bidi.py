"""Latin words inside right-to-left text, isolated so that they cannot carry the punctuation
and digits around them into their own direction.

Arabic and Urdu translations keep Italian terms a reader must recognise at the office
("permesso di soggiorno", "kit", "LPT-013"). Unisolated, "ملف (kit) permesso" shows its
brackets the wrong way round: the ")" after "kit" joins the Latin run.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

_LATIN = "A-Za-z\u00c0-\u024f"
_WORD = rf"[{_LATIN}](?:[{_LATIN}0-9'’.\-/]*[{_LATIN}0-9])?"
# Words joined by spaces are one run: "permesso di soggiorno" reads as one phrase.
_LATIN_RUN = re.compile(rf"{_WORD}(?:[ \u00a0]+(?:{_WORD}|[0-9]+))*")


def is_rtl(language: str) -> bool:
    """Whether `language` (a Django code) is written right to left."""
    try:
        return bool(get_language_info(language)["bidi"])
    except KeyError:
        return False


def text_direction(language: str) -> str:
    """The `dir` attribute of a text in `language`: "rtl" or "ltr"."""
    return "rtl" if is_rtl(language) else "ltr"


def isolate_latin(text: str, language: str) -> str | SafeString:
    """`text` in `language`; when that language is written right to left, each run of
    Latin words becomes a left-to-right isolate. Other languages: the text as it is."""
    if not text or not is_rtl(language):
        return text
    out, end = [], 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[end : match.start()]))
        out.append(format_html('<bdi dir="ltr">{}</bdi>', match.group()))
        end = match.end()
    out.append(escape(text[end:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped

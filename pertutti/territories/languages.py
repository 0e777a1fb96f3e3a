"""Names of languages in the reader's language (Babel's CLDR data)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

from pertutti.territories.localformats import cldr_code as _cldr


@lru_cache(maxsize=512)
def language_name(code: str, in_language: str) -> str:
    """E.g. ("ar", "it") -> "arabo"; falls back to the code when CLDR has no name."""
    try:
        locale = Locale.parse(_cldr(in_language))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.languages.get(_cldr(code)) or locale.languages.get(code, code)


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name in the reader's language) pairs."""
    ui = get_language() or "en"
    return [(code, language_name(code, ui)) for code in codes]

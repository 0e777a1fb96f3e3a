"""Names of languages in the reader's language (Babel's CLDR data)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError


@lru_cache(maxsize=512)
def language_name(code: str, in_language: str) -> str:
    """E.g. ("ar", "it") -> "arabo"; falls back to the code when CLDR has no name."""
    try:
        locale = Locale.parse(in_language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.languages.get(code, code)

"""Dates, times and numbers in the reader's language, from CLDR (Babel).

Plain strings, no HTML: public pages, the back office and (later) printed sheets wrap them
as they need. Django's own per-language formats are not used for these: Punjabi, Urdu and
Bengali have none (Django prints English "2 p.m." for them) and Italian capitalises month
and day names ("Novembre"); CLDR has the forms each language really uses.

Digits are always Western (0-9): Babel's date and time patterns write them so for every
language, and numbers ask for the "latn" numbering system explicitly. The reason is in
docs/decisions.md ("Times and numbers in every script").
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django.utils.translation import get_language

# The dash between the two ends of a range. CLDR's interval patterns put thin spaces around
# it when an end has a space of its own ("9:00 AM – 1:00 PM"), none otherwise ("14:00–17:00").
RANGE_DASH = "–"
SPACED_RANGE_DASH = "\u2009–\u2009"


# Django's code names a language, our interface text also a script: the Punjabi catalogue is
# written in Gurmukhi, as the Punjabi speakers of Lodi read it, not in Shahmukhi (pa_Arab).
_SCRIPT_OF = {"pa": "pa_Guru"}


def cldr_code(language: str) -> str:
    """A Django language code as CLDR writes it: "zh-hans" -> "zh_Hans", "pt-br" -> "pt_BR"."""
    if language in _SCRIPT_OF:
        return _SCRIPT_OF[language]
    base, _, rest = language.replace("_", "-").partition("-")
    if not rest:
        return base.lower()
    # A four-letter subtag is a script (title case), a two-letter one a region (upper case).
    tail = rest.title() if len(rest) == 4 else rest.upper()
    return f"{base.lower()}_{tail}"


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(cldr_code(language))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of a Django language code (the active language when None); English
    for a code CLDR does not know."""
    return _locale(language or get_language() or "en")


def _clock(value: time | datetime) -> time:
    # An aware datetime is already in the territory's zone: format its wall time as it is,
    # without Babel converting it to another zone.
    return value.time() if isinstance(value, datetime) else value


def format_clock(value: time | datetime, language: str | None = None) -> str:
    """A time of day in the language's short form: "14:00" (it), "2:00 PM" (en),
    "2:00 م" (ar), "2:00 ਬਾ.ਦੁ." (pa), "14:00" (zh-hans)."""
    return format_time(_clock(value), format="short", locale=babel_locale(language))


@dataclass(frozen=True)
class TimeRange:
    """An opening interval in words, in its parts: pages isolate each end for right-to-left
    scripts, which a single string cannot carry."""

    start: str
    dash: str
    end: str

    def __str__(self) -> str:
        return f"{self.start}{self.dash}{self.end}"


def time_range(opens: time, closes: time, language: str | None = None) -> TimeRange:
    """E.g. 14:00-17:00 -> "14:00–17:00" (it), "2:00 PM – 5:00 PM" (en), "下午2:00–下午5:00".

    Two short times rather than CLDR's interval format, which drops the repeated day period
    ("2:00–5:00 PM"): each end then reads on its own, and right to left it can be isolated."""
    start, end = format_clock(opens, language), format_clock(closes, language)
    spaced = any(ch.isspace() for ch in start + end)
    return TimeRange(start, SPACED_RANGE_DASH if spaced else RANGE_DASH, end)


def long_date(value: date | datetime, language: str | None = None) -> str:
    """ "23 novembre 2026" (it), "November 23, 2026" (en)."""
    return format_date(value, format="long", locale=babel_locale(language))


def weekday_name(value: date | datetime, language: str | None = None) -> str:
    """ "martedì" (it), "Tuesday" (en), "الثلاثاء" (ar)."""
    return format_date(value, format="EEEE", locale=babel_locale(language))


def month_name(month: int, language: str | None = None) -> str:
    """ "agosto" (it), "August" (en): the stand-alone name of month 1-12."""
    return babel_locale(language).months["stand-alone"]["wide"][month]


def format_number(value: float, decimals: int = 0, language: str | None = None) -> str:
    """A number with the language's separators and Western digits: 1.5 -> "1,5" (it)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(
        value, format=pattern, locale=babel_locale(language), numbering_system="latn"
    )

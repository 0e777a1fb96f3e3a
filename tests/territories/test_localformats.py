"""Times, dates and numbers in each of the 13 interface languages (CLDR through Babel)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from pertutti.territories.localformats import (
    babel_locale,
    cldr_code,
    format_clock,
    format_number,
    long_date,
    time_range,
    weekday_name,
)

THIN = "\u2009"
NNBSP = "\u202f"  # CLDR's space between a time and its day period in some languages

# 14:00-17:00 in each language: 24-hour clocks where the language uses them, its own words
# for the afternoon where it uses a 12-hour clock. Never Django's English "2 p.m.".
RANGES = {
    "it": "14:00–17:00",
    "ro": "14:00–17:00",
    "ar": f"2:00 م{THIN}–{THIN}5:00 م",
    "sq": f"2:00{NNBSP}m.d.{THIN}–{THIN}5:00{NNBSP}m.d.",
    "en": f"2:00{NNBSP}PM{THIN}–{THIN}5:00{NNBSP}PM",
    "fr": "14:00–17:00",
    "es": "14:00–17:00",
    "zh-hans": "14:00–17:00",
    "uk": "14:00–17:00",
    "ru": "14:00–17:00",
    "ur": f"2:00 PM{THIN}–{THIN}5:00 PM",
    "pa": f"2:00 ਬਾ.ਦੁ.{THIN}–{THIN}5:00 ਬਾ.ਦੁ.",
    "bn": f"2:00 PM{THIN}–{THIN}5:00 PM",
}


def test_every_interface_language_is_covered():
    assert set(RANGES) == {code for code, _ in settings.LANGUAGES}


@pytest.mark.parametrize(("language", "expected"), RANGES.items())
def test_opening_hours_in_each_language(language, expected):
    assert str(time_range(time(14), time(17), language)) == expected


@pytest.mark.parametrize("language", RANGES)
def test_times_never_come_out_in_django_english_or_other_digits(language):
    text = str(time_range(time(9, 30), time(12), language))
    assert "p.m." not in text and "a.m." not in text
    # Western digits everywhere (the reason is in docs/decisions.md).
    assert all(ch in "0123456789" for ch in text if ch.isdigit())


def test_punjabi_uses_gurmukhi_day_periods_not_english():
    assert format_clock(time(9), "pa") == "9:00 ਪੂ.ਦੁ."
    assert format_clock(time(21, 15), "pa") == "9:15 ਬਾ.ਦੁ."


def test_range_parts_stay_apart_for_isolation():
    parts = time_range(time(14), time(17), "ar")
    assert (parts.start, parts.dash, parts.end) == ("2:00 م", f"{THIN}–{THIN}", "5:00 م")
    # No spaces inside either end: no thin spaces around the dash either.
    assert time_range(time(9), time(12, 30), "it").dash == "–"


def test_an_aware_datetime_is_shown_at_its_own_wall_time():
    rome = datetime(2025, 5, 12, 14, 0, tzinfo=ZoneInfo("Europe/Rome"))
    assert format_clock(rome, "it") == "14:00"
    assert format_clock(datetime(2025, 5, 12, 23, 5, tzinfo=UTC), "it") == "23:05"


def test_the_active_language_is_used_by_default():
    with translation.override("pa"):
        assert format_clock(time(14)) == "2:00 ਬਾ.ਦੁ."
    with translation.override("it"):
        assert format_clock(time(14)) == "14:00"


@pytest.mark.parametrize(
    ("django", "cldr"),
    [("zh-hans", "zh_Hans"), ("pa", "pa_Guru"), ("ur", "ur"), ("pt-br", "pt_BR"), ("en", "en")],
)
def test_django_codes_become_cldr_codes(django, cldr):
    assert cldr_code(django) == cldr


def test_punjabi_is_written_in_gurmukhi():
    assert babel_locale("pa").script == "Guru"
    assert str(babel_locale("zh-hans")) == "zh_Hans"


@pytest.mark.parametrize("bad", ["xx", "", "not a code", "zz-qqqq"])
def test_an_unknown_language_falls_back_to_english(bad):
    assert str(babel_locale(bad or "xx")) == "en"
    assert format_clock(time(14), bad or "xx") == f"2:00{NNBSP}PM"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("it", "1,5"), ("en", "1.5"), ("ar", "1.5"), ("bn", "1.5"), ("fr", "1,5"), ("ur", "1.5")],
)
def test_numbers_keep_western_digits_with_the_language_separators(language, expected):
    assert format_number(1.5, 1, language) == expected


def test_numbers_group_thousands_and_round():
    assert format_number(1200, 0, "it") == "1.200"
    assert format_number(1200, 0, "bn") == "1,200"  # not Bengali digits "১,২০০"
    assert format_number(2.345, 1, "en") == "2.3"


def test_dates_and_weekdays_in_the_language():
    assert long_date(date(2026, 11, 23), "it") == "23 novembre 2026"
    assert weekday_name(date(2026, 11, 24), "it") == "martedì"
    assert weekday_name(date(2026, 11, 23), "ar") == "الاثنين"
    assert weekday_name(date(2026, 11, 23), "pa") == "ਸੋਮਵਾਰ"

"""Dates and weekdays in the reader's language, from CLDR (Babel).

Django's own Italian formats capitalise month and day names ("Novembre"); CLDR has
the forms each language really uses ("23 novembre 2026", "martedì").
"""

from datetime import date, datetime

from babel.dates import format_date
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def babel_locale() -> str:
    return to_locale(get_language() or "en")


@register.filter
def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_date(value, format="long", locale=babel_locale())


def weekday_name(value: date | datetime) -> str:
    return format_date(value, format="EEEE", locale=babel_locale())

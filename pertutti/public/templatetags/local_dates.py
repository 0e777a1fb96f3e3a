"""Dates, weekdays and times in the reader's language (`territories.localformats`, CLDR),
and the markup that keeps times and numbers readable inside right-to-left text.

A time is one left-to-right unit ("2:00 م"), a range two of them in a left-to-right
isolate ("2:00 م – 5:00 م"): without the isolates, the Arabic day period between the two
times turns the digits around it into a right-to-left run ("م–5:00 م 2:00").
"""

from datetime import date, datetime, time

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from pertutti.territories import localformats

register = template.Library()


@register.filter
def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return localformats.long_date(value)


def weekday_name(value: date | datetime) -> str:
    return localformats.weekday_name(value)


def _time_tag(value: time | datetime, css: str) -> SafeString:
    clock = value.time() if isinstance(value, datetime) else value
    return format_html(
        '<time datetime="{}" dir="ltr" class="{}">{}</time>',
        clock.strftime("%H:%M"),
        css,
        localformats.format_clock(value),
    )


@register.filter
def clock(value: time | datetime | None) -> SafeString:
    """A time of day as one left-to-right unit: "14:00", "2:00 PM", "2:00 م"."""
    if value is None:
        return SafeString("")
    return _time_tag(value, "time")


@register.simple_tag
def time_range(opens: time, closes: time) -> SafeString:
    """An opening interval, start on the left and end on the right in every script."""
    parts = localformats.time_range(opens, closes)
    return format_html(
        '<bdi dir="ltr" class="time-range">{}{}{}</bdi>',
        _time_tag(opens, "time-start"),
        parts.dash,
        _time_tag(closes, "time-end"),
    )


def ltr_number(value: float, decimals: int = 0) -> SafeString:
    """A number as one left-to-right unit (Western digits, the language's separators)."""
    return format_html('<bdi dir="ltr">{}</bdi>', localformats.format_number(value, decimals))


def interpolate(message: str, **parts: object) -> SafeString:
    """A translated "%(name)s" message with HTML parts: the message is escaped, the parts
    are escaped unless they are already safe markup (a time, a number)."""
    escaped = {name: conditional_escape(part) for name, part in parts.items()}
    return mark_safe(conditional_escape(message) % escaped)  # noqa: S308 - every piece escaped

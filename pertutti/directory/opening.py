"""Whether a service is open now, and its weekly table of hours.

Pure functions over a Schedule whose `hours` the caller has prefetched: they read
`schedule.hours.all()` and nothing else, so a list page costs no query per service.

All arithmetic between instants is done in UTC. Aware datetimes that share a tzinfo are
compared and subtracted by wall clock in Python, which is wrong across a DST change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from pertutti.directory.models import OpeningHours, Schedule

OPEN = "open"
CLOSED = "closed"
UNKNOWN = "unknown"
APPOINTMENT = "appointment"

# How far ahead a "next opening" is still worth announcing.
LOOKAHEAD = timedelta(days=14)


@dataclass(frozen=True)
class OpenStatus:
    state: str  # OPEN, CLOSED, UNKNOWN or APPOINTMENT
    closes_at: datetime | None  # when open: end of the current interval, territory time zone
    opens_at: datetime | None  # when closed: next opening within LOOKAHEAD, territory time zone

    def is_open(self) -> bool:
        return self.state == OPEN


@dataclass(frozen=True)
class DayHours:
    weekday: int  # 0 Monday .. 6 Sunday
    intervals: list[tuple[time, time, str]]  # (opens, closes, label), sorted
    is_today: bool


def _applies(schedule: Schedule, day: date) -> bool:
    """Whether the weekly rules hold on `day` (validity range and closed months)."""
    if schedule.valid_from is not None and day < schedule.valid_from:
        return False
    if schedule.valid_to is not None and day > schedule.valid_to:
        return False
    return day.month not in (schedule.closed_months or [])


def _merged_by_weekday(hours: Iterable[OpeningHours]) -> dict[int, list[tuple[time, time]]]:
    """Join overlapping and touching intervals: 9-12 and 12-14 are one opening, 9-14."""
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for row in sorted(hours, key=lambda h: (h.weekday, h.opens, h.closes)):
        day = by_day[row.weekday]
        if day and row.opens <= day[-1][1]:
            day[-1] = (day[-1][0], max(day[-1][1], row.closes))
        else:
            day.append((row.opens, row.closes))
    return by_day


def _instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant of local wall time `at` on `day`, in UTC, following the zone's DST rules.

    A wall time skipped by the spring change (02:30 in Rome) falls back to the offset before
    the change (fold=0), i.e. it lands one hour later, when the office would in fact open.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def open_status(schedule: Schedule | None, now: datetime, tz_name: str) -> OpenStatus:
    """Open or closed at the aware instant `now`, with the next change when it is known."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if schedule is None:
        return OpenStatus(UNKNOWN, None, None)
    tz = ZoneInfo(tz_name)
    now_utc = now.astimezone(UTC)
    today = now.astimezone(tz).date()
    horizon = now_utc + LOOKAHEAD
    days = [today + timedelta(days=n) for n in range(LOOKAHEAD.days + 1)]

    if schedule.always_open:
        if _applies(schedule, today):
            return OpenStatus(OPEN, None, None)
        # Reopens at the first local midnight of a day the schedule applies again.
        for day in days[1:]:
            if _applies(schedule, day):
                start = _instant(day, time(0), tz)
                opens_at = start.astimezone(tz) if start <= horizon else None
                return OpenStatus(CLOSED, None, opens_at)
        return OpenStatus(CLOSED, None, None)

    by_weekday = _merged_by_weekday(schedule.hours.all())
    if not by_weekday:
        return OpenStatus(APPOINTMENT if schedule.by_appointment else UNKNOWN, None, None)

    # Intervals never cross midnight (closes > opens), so nothing from yesterday is running.
    for day in days:
        if not _applies(schedule, day):
            continue
        for opens, closes in by_weekday.get(day.weekday(), []):
            start, end = _instant(day, opens, tz), _instant(day, closes, tz)
            if start <= now_utc < end:
                return OpenStatus(OPEN, end.astimezone(tz), None)
            if start > now_utc:
                opens_at = start.astimezone(tz) if start <= horizon else None
                return OpenStatus(CLOSED, None, opens_at)
    return OpenStatus(CLOSED, None, None)


def weekly_table(schedule: Schedule | None, today: date, first_weekday: int = 0) -> list[DayHours]:
    """Seven days from `first_weekday` (6 for locales whose week starts on Sunday).

    Intervals are shown as entered, labels included; closed months and validity dates are
    the template's business since they are not weekly rules. Empty when there are no hours.
    """
    if schedule is None:
        return []
    if not 0 <= first_weekday <= 6:
        raise ValueError(f"first_weekday must be 0..6, not {first_weekday}")
    by_weekday: dict[int, list[tuple[time, time, str]]] = defaultdict(list)
    for row in schedule.hours.all():
        by_weekday[row.weekday].append((row.opens, row.closes, row.label))
    if not by_weekday:
        return []
    weekdays = [(first_weekday + n) % 7 for n in range(7)]
    return [
        DayHours(
            weekday=weekday,
            intervals=sorted(by_weekday.get(weekday, [])),
            is_today=weekday == today.weekday(),
        )
        for weekday in weekdays
    ]

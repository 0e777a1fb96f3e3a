"""Open-now status and the weekly table, in the territory's time zone."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pertutti.directory.models import OpeningHours, Organization, Schedule, Service
from pertutti.directory.opening import DayHours, OpenStatus, open_status, weekly_table
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory

ROME = ZoneInfo("Europe/Rome")
TZ = "Europe/Rome"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# (weekday, opens, closes, label)
Hours = list[tuple[int, str, str, str]]
MakeSchedule = Callable[..., Schedule]

WEEKDAYS_MORNING: Hours = [(d, "09:00", "12:00", "") for d in (MON, TUE, WED, THU, FRI)]


def rome(year: int, month: int, day: int, hour: int, minute: int, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME, fold=fold)


@pytest.fixture
def make_schedule(db: None) -> MakeSchedule:
    """Save a schedule with its hours and return it with `hours` prefetched, as callers do."""
    territory = Territory.objects.create(
        slug="test",
        name="Test",
        map_centre_latitude=Decimal("45.3"),
        map_centre_longitude=Decimal("9.5"),
        bound_south=Decimal("45"),
        bound_west=Decimal("9"),
        bound_north=Decimal("46"),
        bound_east=Decimal("10"),
    )
    organization = Organization.objects.create(territory=territory, name="Ente", kind="other")
    category = Category.objects.order_by("position").first()
    codes = itertools.count(1)

    def make(hours: Hours | None = None, **fields: Any) -> Schedule:
        service = Service.objects.create(
            territory=territory,
            organization=organization,
            code=f"TST-{next(codes):03d}",
            name="Servizio",
            category=category,
        )
        schedule = Schedule.objects.create(service=service, **fields)
        OpeningHours.objects.bulk_create(
            OpeningHours(
                schedule=schedule,
                weekday=weekday,
                opens=time.fromisoformat(opens),
                closes=time.fromisoformat(closes),
                label=label,
            )
            for weekday, opens, closes, label in hours or []
        )
        return Schedule.objects.prefetch_related("hours").get(pk=schedule.pk)

    return make


# --- open_status -------------------------------------------------------------------------


def test_open_during_an_interval(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING)
    status = open_status(schedule, rome(2025, 6, 2, 10, 0), TZ)
    assert status == OpenStatus("open", closes_at=rome(2025, 6, 2, 12, 0), opens_at=None)
    assert status.is_open()
    assert status.closes_at is not None
    assert status.closes_at.tzinfo == ROME


def test_now_in_another_zone_is_converted(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING)
    # 07:30 UTC is 09:30 in Rome in June: open; 06:30 UTC is 08:30: not yet.
    assert open_status(schedule, datetime(2025, 6, 2, 7, 30, tzinfo=UTC), TZ) == OpenStatus(
        "open", closes_at=rome(2025, 6, 2, 12, 0), opens_at=None
    )
    status = open_status(schedule, datetime(2025, 6, 2, 6, 30, tzinfo=UTC), TZ)
    assert status == OpenStatus("closed", closes_at=None, opens_at=rome(2025, 6, 2, 9, 0))
    assert status.opens_at is not None
    assert status.opens_at.tzinfo == ROME
    # Late Sunday evening in UTC is already Monday in Rome.
    assert open_status(schedule, datetime(2025, 6, 1, 22, 30, tzinfo=UTC), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=rome(2025, 6, 2, 9, 0)
    )


def test_interval_bounds_open_inclusive_close_exclusive(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule([(MON, "09:00", "12:00", ""), (MON, "15:00", "17:00", "")])
    assert open_status(schedule, rome(2025, 6, 2, 9, 0), TZ) == OpenStatus(
        "open", closes_at=rome(2025, 6, 2, 12, 0), opens_at=None
    )
    # At closing time it is closed, and the afternoon interval is next.
    assert open_status(schedule, rome(2025, 6, 2, 12, 0), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=rome(2025, 6, 2, 15, 0)
    )
    assert open_status(schedule, rome(2025, 6, 2, 16, 59), TZ) == OpenStatus(
        "open", closes_at=rome(2025, 6, 2, 17, 0), opens_at=None
    )
    # After the last interval of the day: next Monday.
    assert open_status(schedule, rome(2025, 6, 2, 17, 0), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=rome(2025, 6, 9, 9, 0)
    )


def test_sunday_night_to_monday_morning(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING)
    status = open_status(schedule, rome(2025, 6, 8, 22, 0), TZ)
    assert status == OpenStatus("closed", closes_at=None, opens_at=rome(2025, 6, 9, 9, 0))
    assert not status.is_open()


def test_friday_afternoon_skips_the_weekend(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING)
    assert open_status(schedule, rome(2025, 6, 6, 12, 30), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=rome(2025, 6, 9, 9, 0)
    )


def test_spring_forward(make_schedule: MakeSchedule) -> None:
    # Rome moves from +01:00 to +02:00 at 02:00 on Sunday 30 March 2025.
    schedule = make_schedule([(SUN, "09:00", "12:00", ""), (MON, "09:00", "12:00", "")])
    status = open_status(schedule, rome(2025, 3, 29, 20, 0), TZ)
    assert status.state == "closed"
    assert status.opens_at == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)
    assert status.opens_at is not None
    assert status.opens_at.utcoffset() == timedelta(hours=2)

    status = open_status(schedule, rome(2025, 3, 30, 10, 0), TZ)
    assert status == OpenStatus("open", closes_at=rome(2025, 3, 30, 12, 0), opens_at=None)
    assert status.closes_at == datetime(2025, 3, 30, 10, 0, tzinfo=UTC)

    # 08:30 UTC is 09:30 CEST: open, although it would be 08:30 on Saturday's offset.
    assert open_status(schedule, datetime(2025, 3, 30, 7, 30, tzinfo=UTC), TZ).is_open()
    assert not open_status(schedule, datetime(2025, 3, 30, 6, 30, tzinfo=UTC), TZ).is_open()


def test_fall_back(make_schedule: MakeSchedule) -> None:
    # Rome moves from +02:00 to +01:00 at 03:00 on Sunday 26 October 2025.
    schedule = make_schedule([(SUN, "01:00", "04:00", ""), (MON, "09:00", "12:00", "")])
    status = open_status(schedule, rome(2025, 10, 25, 20, 0), TZ)
    assert status.opens_at == datetime(2025, 10, 25, 23, 0, tzinfo=UTC)

    # The second 02:30 of the night (fold=1, +01:00) is still within 01:00-04:00.
    status = open_status(schedule, rome(2025, 10, 26, 2, 30, fold=1), TZ)
    assert status.state == "open"
    assert status.closes_at == datetime(2025, 10, 26, 3, 0, tzinfo=UTC)

    status = open_status(schedule, rome(2025, 10, 26, 4, 0), TZ)
    assert status.opens_at == datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
    assert status.opens_at is not None
    assert status.opens_at.utcoffset() == timedelta(hours=1)


def test_lookahead_counts_real_hours_across_dst(make_schedule: MakeSchedule) -> None:
    # From 08:30 CEST on 19 October, 14 days are 06:30 UTC on 2 November; the only opening
    # (08:00 CET = 07:00 UTC on 2 November) is half an hour beyond, though earlier by the clock.
    schedule = make_schedule([(SUN, "08:00", "08:15", "")], valid_from=date(2025, 10, 27))
    assert open_status(schedule, rome(2025, 10, 19, 8, 30), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=None
    )
    # From 09:00 CEST the horizon ends exactly at that opening, which still counts.
    assert open_status(schedule, rome(2025, 10, 19, 9, 0), TZ) == OpenStatus(
        "closed", closes_at=None, opens_at=rome(2025, 11, 2, 8, 0)
    )


@pytest.mark.parametrize(
    ("now", "opens_at"),
    [
        (rome(2025, 8, 10, 10, 0), None),  # Sunday in August: September is 22 days away
        (rome(2025, 8, 4, 10, 0), None),  # a Monday in August is closed too
        (rome(2025, 7, 31, 16, 0), None),  # last day of July: all of August is skipped
        (rome(2025, 8, 17, 20, 0), None),  # 14 days and 13 hours before Monday 1 September
        (rome(2025, 8, 18, 10, 0), rome(2025, 9, 1, 9, 0)),  # 13 days and 23 hours before
        (rome(2025, 8, 25, 10, 0), rome(2025, 9, 1, 9, 0)),
        (rome(2025, 8, 31, 23, 0), rome(2025, 9, 1, 9, 0)),
    ],
)
def test_closed_in_august(
    make_schedule: MakeSchedule, now: datetime, opens_at: datetime | None
) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING, closed_months=[8])
    assert open_status(schedule, now, TZ) == OpenStatus("closed", None, opens_at)


def test_open_again_in_september(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING, closed_months=[8])
    assert open_status(schedule, rome(2025, 9, 1, 9, 30), TZ) == OpenStatus(
        "open", closes_at=rome(2025, 9, 1, 12, 0), opens_at=None
    )


def test_valid_from_in_the_future(make_schedule: MakeSchedule) -> None:
    hours: Hours = [(MON, "09:00", "12:00", ""), (WED, "09:00", "12:00", "")]
    # Monday 2 June at 10:00 would be open, but the rules start on Tuesday 10 June.
    schedule = make_schedule(hours, valid_from=date(2025, 6, 10))
    assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus(
        "closed", None, rome(2025, 6, 11, 9, 0)
    )
    later = make_schedule(hours, valid_from=date(2025, 7, 1))
    assert open_status(later, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus("closed", None, None)


def test_valid_to(make_schedule: MakeSchedule) -> None:
    ended = make_schedule(WEEKDAYS_MORNING, valid_to=date(2025, 5, 31))
    assert open_status(ended, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus("closed", None, None)
    # valid_to is the last day the rules hold.
    last_day = make_schedule(WEEKDAYS_MORNING, valid_to=date(2025, 6, 2))
    assert open_status(last_day, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus(
        "open", rome(2025, 6, 2, 12, 0), None
    )
    assert open_status(last_day, rome(2025, 6, 2, 13, 0), TZ) == OpenStatus("closed", None, None)


def test_adjacent_intervals_are_one(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(
        [(MON, "09:00", "12:00", "segreteria"), (MON, "12:00", "14:00", "sportello")]
    )
    expected = OpenStatus("open", closes_at=rome(2025, 6, 2, 14, 0), opens_at=None)
    assert open_status(schedule, rome(2025, 6, 2, 11, 0), TZ) == expected
    assert open_status(schedule, rome(2025, 6, 2, 12, 0), TZ) == expected


def test_overlapping_and_nested_intervals_are_one(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(
        [
            (MON, "11:30", "13:00", ""),
            (MON, "09:00", "12:00", ""),
            (MON, "10:00", "11:00", ""),
            (MON, "15:00", "16:00", ""),
        ]
    )
    assert open_status(schedule, rome(2025, 6, 2, 9, 15), TZ) == OpenStatus(
        "open", rome(2025, 6, 2, 13, 0), None
    )
    assert open_status(schedule, rome(2025, 6, 2, 13, 0), TZ) == OpenStatus(
        "closed", None, rome(2025, 6, 2, 15, 0)
    )


def test_always_open(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(always_open=True)
    assert open_status(schedule, rome(2025, 6, 8, 3, 0), TZ) == OpenStatus("open", None, None)


def test_always_open_except_august(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(always_open=True, closed_months=[8])
    assert open_status(schedule, rome(2025, 8, 10, 10, 0), TZ) == OpenStatus("closed", None, None)
    # Reopens at midnight on 1 September, in Rome's time.
    assert open_status(schedule, rome(2025, 8, 25, 10, 0), TZ) == OpenStatus(
        "closed", None, rome(2025, 9, 1, 0, 0)
    )
    assert open_status(schedule, rome(2025, 9, 1, 0, 0), TZ) == OpenStatus("open", None, None)


def test_appointment_only(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(by_appointment=True, original_text="su appuntamento")
    assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus(
        "appointment", None, None
    )


def test_appointment_with_hours_follows_the_hours(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING, by_appointment=True)
    assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ).state == "open"
    assert open_status(schedule, rome(2025, 6, 2, 13, 0), TZ).state == "closed"


def test_unknown(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(original_text="orari variabili", unparsed_text="orari variabili")
    assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus("unknown", None, None)
    assert open_status(None, rome(2025, 6, 2, 10, 0), TZ) == OpenStatus("unknown", None, None)


def test_naive_now_is_refused(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING)
    naive = datetime(2025, 6, 2, 10, 0)  # noqa: DTZ001 - the misuse under test
    with pytest.raises(ValueError, match="aware"):
        open_status(schedule, naive, TZ)


def test_no_queries_on_a_prefetched_schedule(
    make_schedule: MakeSchedule, django_assert_num_queries: Any
) -> None:
    schedule = make_schedule(WEEKDAYS_MORNING, closed_months=[8], valid_from=date(2025, 1, 1))
    with django_assert_num_queries(0):
        assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ).is_open()
        assert open_status(schedule, rome(2025, 8, 10, 10, 0), TZ).state == "closed"
        assert len(weekly_table(schedule, date(2025, 6, 2))) == 7


def test_without_prefetch_it_queries_once(
    make_schedule: MakeSchedule, django_assert_num_queries: Any
) -> None:
    # Guards the test above: it would pass vacuously if the functions never read the hours.
    pk = make_schedule(WEEKDAYS_MORNING).pk
    schedule = Schedule.objects.get(pk=pk)
    with django_assert_num_queries(1):
        assert open_status(schedule, rome(2025, 6, 2, 10, 0), TZ).is_open()


# --- weekly_table ------------------------------------------------------------------------


def test_weekly_table_from_monday(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule(
        [
            (MON, "15:00", "17:00", "sportello"),
            (MON, "09:00", "12:00", "segreteria"),
            (WED, "09:00", "12:00", ""),
            (SAT, "10:00", "11:00", ""),
        ]
    )
    table = weekly_table(schedule, date(2025, 6, 4))  # a Wednesday
    assert table == [
        DayHours(
            MON, [(time(9), time(12), "segreteria"), (time(15), time(17), "sportello")], False
        ),
        DayHours(TUE, [], False),
        DayHours(WED, [(time(9), time(12), "")], True),
        DayHours(THU, [], False),
        DayHours(FRI, [], False),
        DayHours(SAT, [(time(10), time(11), "")], False),
        DayHours(SUN, [], False),
    ]


def test_weekly_table_from_sunday(make_schedule: MakeSchedule) -> None:
    schedule = make_schedule([(SUN, "09:00", "12:00", ""), (SAT, "09:00", "10:00", "")])
    table = weekly_table(schedule, date(2025, 6, 8), first_weekday=SUN)  # a Sunday
    assert [day.weekday for day in table] == [SUN, MON, TUE, WED, THU, FRI, SAT]
    assert [day.is_today for day in table] == [True, False, False, False, False, False, False]
    assert table[0].intervals == [(time(9), time(12), "")]
    assert table[6].intervals == [(time(9), time(10), "")]


def test_weekly_table_keeps_adjacent_intervals_apart(make_schedule: MakeSchedule) -> None:
    # The table shows what was entered; only the open-now status joins intervals.
    schedule = make_schedule([(TUE, "12:00", "14:00", "b"), (TUE, "09:00", "12:00", "a")])
    table = weekly_table(schedule, date(2025, 6, 2))
    assert table[TUE].intervals == [(time(9), time(12), "a"), (time(12), time(14), "b")]
    assert table[MON].is_today


def test_weekly_table_empty(make_schedule: MakeSchedule) -> None:
    assert weekly_table(None, date(2025, 6, 2)) == []
    assert weekly_table(make_schedule(always_open=True), date(2025, 6, 2)) == []
    assert weekly_table(make_schedule(by_appointment=True), date(2025, 6, 2)) == []


def test_weekly_table_refuses_a_bad_first_weekday(make_schedule: MakeSchedule) -> None:
    with pytest.raises(ValueError, match="first_weekday"):
        weekly_table(make_schedule(WEEKDAYS_MORNING), date(2025, 6, 2), first_weekday=7)

"""What a cached page depends on besides its URL: the version of the data and the clock.

`data_version` is one query: the territory row, the last change of any of its services (what
Last-Modified and the ETag say) and the token of its search index, which every write of
services or translations renews (`search.indexing.search_index_changed`). A page rendered
under one version is never served under another.

`open_bucket` names the stretch of time in which no "open now" anywhere in the territory can
change: open or closed changes only at an opening or closing time of some service (or at
midnight, for closed months and validity dates), so the bucket is the last such instant
before now, and it ends at the next one. The instants are computed as
`directory.opening.open_status` computes them (local wall time to UTC, same DST rule).
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Max, OuterRef, Subquery
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest

import pertutti
from pertutti.directory.models import OpeningHours, Service
from pertutti.search.models import SearchIndexState
from pertutti.territories.models import Territory

MIDNIGHT = time(0)


class _Statement(threading.local):
    """The data version's query compiled once per thread (and database, and territory):
    compiling it costs ten times running it, and an answer from the cache costs little
    more than this query."""

    compiled: dict[tuple[str, str], tuple[str, tuple, SQLCompiler, dict]]

    def __init__(self) -> None:
        self.compiled = {}


_statement = _Statement()
_FIELDS = [f.attname for f in Territory._meta.concrete_fields]


def _compile(slug: str) -> tuple[str, tuple, SQLCompiler, dict]:
    key = (connection.settings_dict["NAME"], slug)
    found = _statement.compiled.get(key)
    if found is None:
        last = (
            Service.objects.filter(territory=OuterRef("pk"))
            .order_by()
            .values("territory")
            .annotate(last=Max("updated_at"))
            .values("last")
        )
        index = SearchIndexState.objects.filter(territory=OuterRef("pk")).values("token")
        query = (
            Territory.objects.filter(slug=slug)
            .annotate(cache_last_update=Subquery(last), cache_index_token=Subquery(index))
            .order_by()
            .values_list(*_FIELDS, "cache_last_update", "cache_index_token")[:1]
        ).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        found = _statement.compiled[key] = (sql, params, compiler, converters)
    return found


class DataVersion:
    """The row read by `data_version`: its token at once (hashed from the raw values),
    the territory and its last update only when asked (converting them costs more than the
    query)."""

    def __init__(self, row: tuple, compiler: SQLCompiler, converters: dict) -> None:
        self._row, self._compiler, self._converters = row, compiler, converters
        self.territory_id: int = row[_FIELDS.index("id")]
        self.time_zone: str = row[_FIELDS.index("time_zone")]
        parts = repr((pertutti.__version__, settings.PERTUTTI_PUBLISH_DRAFTS, row))
        self.token = hashlib.sha256(parts.encode()).hexdigest()[:20]

    @cached_property
    def _values(self) -> list:
        return next(iter(self._compiler.apply_converters([self._row], self._converters)))

    @cached_property
    def territory(self) -> Territory:
        return Territory.from_db(DEFAULT_DB_ALIAS, _FIELDS, self._values[: len(_FIELDS)])

    @property
    def last_update(self) -> datetime | None:
        """The same value as directory.selectors.last_update."""
        return self._values[len(_FIELDS)]


def data_version() -> DataVersion | None:
    """The configured territory's row, the last change of its services and the token of its
    search index, in one query (None: no territory loaded)."""
    sql, params, compiler, converters = _compile(settings.PERTUTTI_TERRITORY)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else DataVersion(row, compiler, converters)


def request_data_version(request: HttpRequest, *, share: bool = True) -> DataVersion | None:
    """`data_version()` once per request. With `share`, the territory and its last update
    are kept where `request_territory` and `request_last_update` look, so the views read
    them without a query."""
    if not hasattr(request, "_pertutti_data_version"):
        request._pertutti_data_version = data_version()  # type: ignore[attr-defined]
    version = request._pertutti_data_version  # type: ignore[attr-defined]
    if share and version is not None and not hasattr(request, "_pertutti_territory"):
        request._pertutti_territory = version.territory  # type: ignore[attr-defined]
        request._pertutti_last_update = version.last_update  # type: ignore[attr-defined]
    return version


def clock_bucket(version: DataVersion, now: datetime) -> tuple[datetime, datetime]:
    """The open-now bucket around `now` of the territory (see open_bucket), from the
    instants of its day, computed once a day per data version."""
    tz = ZoneInfo(version.time_zone)
    today = now.astimezone(tz).date()
    key = (version.territory_id, version.token, today)
    instants = _days.get(key)
    if instants is None:
        instants = _day_instants(change_times(version), today, tz)
        _days.clear()  # one day of one version is all a process needs
        _days[key] = instants
    position = bisect.bisect_right(instants, now.astimezone(UTC))
    return instants[position - 1], instants[position]


_days: dict[tuple[int, str, date], list[datetime]] = {}


# Times of day at which a status may change, per territory, for the data version they were
# read under: read again only when the data change.
_times: dict[int, tuple[str, list[time]]] = {}


def change_times(version: DataVersion) -> list[time]:
    """Every opening and closing time of the territory's services, and midnight, sorted."""
    cached = _times.get(version.territory_id)
    if cached is not None and cached[0] == version.token:
        return cached[1]
    rows = OpeningHours.objects.filter(schedule__service__territory_id=version.territory_id)
    found = {MIDNIGHT}
    for opens, closes in rows.values_list("opens", "closes").distinct():
        found.update((opens, closes))
    times = sorted(found)
    _times[version.territory_id] = (version.token, times)
    return times


def _instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """As directory.opening._instant: local wall time on `day`, in UTC (fold=0)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _day_instants(times: list[time], today: date, tz: ZoneInfo) -> list[datetime]:
    """The change instants (UTC) of the days around `today`: every instant of today has one
    at or before it and one after it."""
    days = (today - timedelta(days=1), today, today + timedelta(days=1))
    return sorted({_instant(day, at, tz) for day in days for at in times})


def open_bucket(times: list[time], now: datetime, tz_name: str) -> tuple[datetime, datetime]:
    """(start, end) in UTC of the stretch around `now` in which no status changes."""
    tz = ZoneInfo(tz_name)
    now_utc = now.astimezone(UTC)
    instants = _day_instants(times, now_utc.astimezone(tz).date(), tz)
    position = bisect.bisect_right(instants, now_utc)
    return instants[position - 1], instants[position]

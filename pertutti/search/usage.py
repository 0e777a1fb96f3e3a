"""Usage counts for the needs report, without a database write per request.

A public page must never write: while a long import held SQLite's write lock, every page
that wrote a counter waited 5 s and failed, and on PostgreSQL the writes cost throughput.
So each process counts in memory — (territory, day, kind, key) → n under a lock — and a
daemon thread, started on the first count, adds the counts to `UsageCount` rows in one
transaction at most every PERTUTTI_USAGE_FLUSH_SECONDS, and once more at exit. A count is a
number per day: no time, address, user, cookie or session is ever kept.

`usage_flush()` writes at once (tests, commands). With PERTUTTI_USAGE_FLUSH_SECONDS = 0 no
thread is started and nothing is written at exit: only `usage_flush()` writes.
"""

import atexit
import logging
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.search.models import UsageCount, UsageKind
from pertutti.search.normalize import normalize
from pertutti.translations.models import SourceText

logger = logging.getLogger(__name__)

# Page views of a service: added to its texts' read counts (they order the translators'
# queues), not kept per day.
SERVICE_READ = "service_read"
MAX_QUERY = 200  # characters of a zero-result query kept
MAX_PENDING = 50_000  # distinct keys held in memory while the database cannot be written
_BATCH = 200  # rows per INSERT statement (5 parameters each, far below SQLite's limit)

Key = tuple[int, date, str, str]

_IDENTIFYING = [
    (re.compile(r"\S+@\S+"), "[e-mail]"),
    (re.compile(r"\+?\d[\d ./-]{6,}\d"), "[number]"),  # phones; not a postcode or a year
    (re.compile(r"\b[a-z]{6}\d{2}[a-z]\d{2}[a-z]\d{3}[a-z]\b"), "[fiscal code]"),
]

_lock = threading.Lock()
_pending: Counter[Key] = Counter()
_database = ""  # the database the pending counts were made against (see usage_flush)
_pid = 0
_thread: threading.Thread | None = None


def zero_result_key(language: str, text: str) -> str:
    """Language and the query as the search normaliser sees it: "Dentista " and "dentista"
    are one need. What can only identify a person (an e-mail address, a phone number, a
    fiscal code typed into the search box) is replaced by a mark: the report needs the
    need, not the person."""
    words = " ".join(normalize(text).split())
    for pattern, mark in _IDENTIFYING:
        words = pattern.sub(mark, words)
    return f"{language}\t{words[:MAX_QUERY]}"


UsageRecord = tuple[int, str, str, int]  # territory_id, kind, key, n
_recording: ContextVar[list[UsageRecord] | None] = ContextVar("usage_recording", default=None)


@contextmanager
def usage_recorded() -> Iterator[list[UsageRecord]]:
    """The counts made inside the block, in order (they are counted as well): a page kept
    in the response cache counts them again each time it is served from there."""
    records: list[UsageRecord] = []
    token = _recording.set(records)
    try:
        yield records
    finally:
        _recording.reset(token)


def usage_count(*, territory_id: int, kind: str, key: str, n: int = 1) -> None:
    """Count `n` uses of `key` today. Memory only: no database access at all."""
    key = key[: UsageCount._meta.get_field("key").max_length]
    if not key.strip():
        return
    records = _recording.get()
    if records is not None:
        records.append((territory_id, kind, key, n))
    global _database
    entry = (territory_id, timezone.localdate(), kind, key)
    with _lock:
        _own_process()
        if entry in _pending or len(_pending) < MAX_PENDING:
            _pending[entry] += n
        _database = connection.settings_dict["NAME"]
        _start_thread()


def usage_zero_result(*, territory_id: int, language: str, text: str) -> None:
    key = zero_result_key(language, text)
    if key.partition("\t")[2]:  # words left after normalising
        usage_count(territory_id=territory_id, kind=UsageKind.ZERO_RESULT, key=key)


def usage_filters(
    *, territory_id: int, categories: Iterable[str], municipality: str | None
) -> None:
    """The categories and the municipality a list, map or category page asked for."""
    for code in categories:
        usage_count(territory_id=territory_id, kind=UsageKind.CATEGORY, key=code)
    if municipality:
        usage_count(territory_id=territory_id, kind=UsageKind.MUNICIPALITY, key=municipality)


def usage_page_view(*, territory_id: int, language: str) -> None:
    """One public page viewed in the interface language `language`."""
    usage_count(territory_id=territory_id, kind=UsageKind.LANGUAGE, key=language)


def usage_service_read(*, territory_id: int, service_id: int) -> None:
    usage_count(territory_id=territory_id, kind=SERVICE_READ, key=str(service_id))


def usage_pending() -> dict[Key, int]:
    """The counts not yet written (for tests)."""
    with _lock:
        _own_process()
        return dict(_pending)


def usage_discard() -> None:
    """Forget the counts not yet written (tests start from nothing)."""
    with _lock:
        _pending.clear()


def usage_flush() -> int:
    """Add the pending counts to the database in one transaction; the number of rows touched.

    On a database that cannot be written now (locked, gone away) the counts are kept for the
    next flush and the error is raised. Counts made against another database than the one
    configured now are dropped: at the end of a test run the test database is gone and the
    settings point to the real one again.
    """
    with _lock:
        _own_process()
        batch, database = dict(_pending), _database
        _pending.clear()
    if not batch:
        return 0
    if connection.settings_dict["NAME"] != database:
        logger.debug("%d usage counts of another database dropped", len(batch))
        return 0
    try:
        return _write(batch)
    except (OperationalError, InterfaceError):
        with _lock:
            _pending.update(batch)  # adds: counts made meanwhile are kept too
        raise


@transaction.atomic
def _write(batch: dict[Key, int]) -> int:
    reads: Counter[int] = Counter()
    rows = []
    for (territory_id, day, kind, key), n in batch.items():
        if kind == SERVICE_READ:
            reads[int(key)] += n
        else:
            rows.append((territory_id, day, kind, key, n))
    for start in range(0, len(rows), _BATCH):
        _add_counts(rows[start : start + _BATCH])
    _add_reads(reads)
    return len(rows) + len(reads)


def _add_counts(rows: list[tuple[int, date, str, str, int]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding to the count, in the same syntax on SQLite
    (3.24+) and PostgreSQL: one statement per batch, and two processes flushing the same
    key at once both add instead of one failing on the unique constraint."""
    q = connection.ops.quote_name
    table = q(UsageCount._meta.db_table)
    unique = ", ".join(q(c) for c in ("territory_id", "day", "kind", "key"))
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    # Only quoted names of our own table are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({unique}, {q('count')}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({unique}) DO UPDATE SET {q('count')} = {table}.{q('count')} + "
        f"excluded.{q('count')}"
    )
    params: list[object] = []
    for territory_id, day, kind, key, n in rows:
        params += [territory_id, connection.ops.adapt_datefield_value(day), kind, key, n]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_reads(reads: Counter[int]) -> None:
    """One UPDATE per distinct number of reads (most services were read once or twice)."""
    content_type = ContentType.objects.get_for_model(Service)
    by_reads: dict[int, list[int]] = defaultdict(list)
    for service_id, n in reads.items():
        by_reads[n].append(service_id)
    for n, ids in by_reads.items():
        for start in range(0, len(ids), 500):
            SourceText.objects.filter(
                content_type=content_type, object_id__in=ids[start : start + 500]
            ).update(reads=F("reads") + n)


def _own_process() -> None:
    """After a fork the child holds a copy of the parent's counts (the parent writes them)
    and no flushing thread: start afresh. Called with the lock held."""
    global _pid, _thread
    if _pid != os.getpid():
        _pid = os.getpid()
        _pending.clear()
        _thread = None


def _start_thread() -> None:
    """Called with the lock held."""
    global _thread
    if _thread is not None or settings.PERTUTTI_USAGE_FLUSH_SECONDS <= 0:
        return
    _thread = threading.Thread(target=_run, name="usage-flush", daemon=True)
    _thread.start()
    atexit.register(_flush_at_exit, os.getpid())


def _run() -> None:
    wake = threading.Event()  # never set: a sleep that reads the setting each time
    while True:
        seconds = settings.PERTUTTI_USAGE_FLUSH_SECONDS
        wake.wait(seconds if seconds > 0 else 60)
        if settings.PERTUTTI_USAGE_FLUSH_SECONDS > 0:
            _flush_logged()


def _flush_at_exit(pid: int) -> None:
    if pid == os.getpid() and settings.PERTUTTI_USAGE_FLUSH_SECONDS > 0:
        _flush_logged()


def _flush_logged() -> None:
    """A flush off the request path: errors are logged, never raised; this thread's
    connection is closed (the next flush is a minute away)."""
    try:
        usage_flush()
    except Exception:
        logger.exception("usage counts not written")
    finally:
        connection.close()

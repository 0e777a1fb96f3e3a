"""manage.py build_booklets: print the booklets ahead of the first request.

A full booklet takes seconds (70 services: 4-6 s, twice that with the Italian beside), too
long for a person waiting at a desk; run this after an import or nightly. Each language gets
four booklets (A5 and A4, plain and bilingual; Italian two, as its bilingual one is the
plain one), built in parallel processes. Booklets of a language no longer current (older
data, filtered selections) are removed afterwards.
"""

import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from pertutti.printing import cache
from pertutti.printing.booklets import booklet_pdf, file_prefix
from pertutti.territories.models import Territory

# The A4 booklet is made from the A5 one (booklets.booklet_pdf), so one task builds both,
# A5 first: two workers never lay out the same A5 booklet at once.
SIZES = ("A5", "A4")

Task = tuple[str, str, bool]  # territory slug, language, bilingual
Built = tuple[str, str, float, int]  # size, path, seconds, bytes


_inherited: list[object] = []


def _own_connections() -> None:
    """A forked worker's copies of the parent's connections hold the parent's sockets,
    open if anything used them again before the fork: two workers reading from one socket
    read each other's rows (seen once on PostgreSQL, an IndexError in a row). The worker
    never uses them, nor closes them (that would end the parent's session): it keeps them
    aside and opens its own."""
    for alias in connections:
        _inherited.append(connections[alias])
        del connections[alias]


def build_one(slug: str, language: str, bilingual: bool) -> list[Built]:
    """(size, path, seconds, bytes) of the A5 and A4 booklets; runs in a worker process."""
    territory = Territory.objects.get(slug=slug)
    built = []
    for size in SIZES:
        start = time.monotonic()
        path = booklet_pdf(territory, language, size=size, bilingual=bilingual)
        built.append((size, str(path), time.monotonic() - start, path.stat().st_size))
    return built


# Scripts whose lines take longer to set (Nastaliq is the tallest, Chinese the widest font).
_SLOW_SCRIPTS = {"ur": 2, "zh-hans": 1}


def _expected_cost(task: Task) -> tuple[bool, int]:
    """The longest booklets start first, so no worker is left with a long one at the end:
    bilingual ones are twice as long, and some scripts are slower to set."""
    _, language, bilingual = task
    return bilingual, _SLOW_SCRIPTS.get(language, 0)


class Command(BaseCommand):
    help = (
        "Build the printed booklets (A5 and A4, plain and bilingual) of every language the "
        "territory offers, or of --language, and remove the stale ones of those languages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", default=settings.PERTUTTI_TERRITORY)
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="only this language (repeat for more; default: every offered language)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="booklets built at once, one process each (default: the number of CPUs)",
        )

    def handle(
        self, *args: object, territory: str, languages: list[str] | None, jobs: int, **_: object
    ) -> None:
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(f"territory {territory!r} is not loaded")
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        offered = found.offered_languages
        wanted = list(dict.fromkeys(languages or offered))
        unknown = [code for code in wanted if code not in offered]
        if unknown:
            raise CommandError(
                f"{found.slug} is not offered in {', '.join(unknown)}; "
                f"its languages are {', '.join(offered)}"
            )
        tasks = sorted(
            (
                (found.slug, code, bilingual)
                for bilingual in (True, False)
                for code in wanted
                # The Italian booklet has no Italian beside it: the bilingual one is the same.
                if not (bilingual and code == found.source_language)
            ),
            key=_expected_cost,
            reverse=True,
        )
        built: list[Path] = []
        for (_, code, bilingual), results in self._run(tasks, jobs):
            kind = "bilingual" if bilingual else "plain"
            for paper, path, seconds, size in results:
                self.stdout.write(
                    f"{code:8} {paper} {kind:9} {seconds:6.1f} s {size / 1024:8.0f} KiB  {path}"
                )
                built.append(Path(path))
        removed = sum(
            cache.prune(keep=built, older_than_seconds=0, prefix=file_prefix(code))
            for code in wanted
        )
        self.stdout.write(f"{len(built)} booklets built, {removed} stale files removed")

    def _run(self, tasks: list[Task], jobs: int) -> Iterator[tuple[Task, list[Built]]]:
        """Each task with its result, as each finishes."""
        if jobs == 1:
            for task in tasks:
                yield task, build_one(*task)
            return
        # Forked workers inherit the settings and the loaded apps; each opens its own
        # database connection, so none may be open when they fork.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_own_connections
        ) as pool:
            futures = {pool.submit(build_one, *task): task for task in tasks}
            for future in as_completed(futures):
                yield futures[future], future.result()

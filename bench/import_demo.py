"""Time the import of the demo spreadsheet on a fresh, temporary SQLite database.

Usage: .venv/bin/python bench/import_demo.py [--repeat N]
Prints the first import time (70 services created) and the median of N re-imports
(0 changes), measured in one run.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Always a throw-away database: the benchmark deletes and re-creates services.
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from pertutti.importing.services import services_import_file
        from pertutti.territories.services import territory_load

        call_command("migrate", verbosity=0)
        territory = territory_load(slug="lodi").territory
        demo = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"

        started = time.perf_counter()
        first = services_import_file(territory=territory, path=demo)
        first_seconds = time.perf_counter() - started
        again = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = services_import_file(territory=territory, path=demo)
            again.append(time.perf_counter() - started)
        print(f"database: {connection.vendor}")
        print(
            f"first import: {first_seconds * 1000:.0f} ms "
            f"({first.created} created, {len(first.errors)} errors, {len(first.warnings)} warnings)"
        )
        print(
            f"re-import x{args.repeat}: median {statistics.median(again) * 1000:.0f} ms "
            f"({report.created} created, {report.updated} updated, {report.unchanged} unchanged)"
        )


if __name__ == "__main__":
    main()

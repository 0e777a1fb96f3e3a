"""Time and weigh the printed material, cold, on a throw-away SQLite database with the demo data.

Measured side by side in one run, each build with the PDF cache emptied first (cold):
- the orientation sheet of 10 services, in Arabic and in Italian (median of --runs);
- the service sheet of one service, Arabic and Italian (median of --runs);
- the full booklet of each of the territory's 13 languages, A5, plain (median of
  --booklet-runs);
- every booklet of the territory (A5 and A4, plain and bilingual, every language) by
  `manage.py build_booklets --jobs 2`, one run, cold, then the same command again with the
  PDFs in place (what a nightly cron costs when nothing changed).
One sheet is built first and not counted: it loads WeasyPrint and fontconfig's font list,
which a web worker does once. Targets are printed beside the figures; the JSON goes to
var/bench/print.json.
Usage: .venv/bin/python bench/print.py [--runs 5] [--booklet-runs 3] [--jobs 2]
"""

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUTPUT = REPO / "var" / "bench" / "print.json"
SHEET_SERVICES = 10
SERVICE_CODE = "LPT-013"
TARGETS = {
    "sheet_seconds": 1.5,
    "sheet_bytes": 500 * 1024,
    "booklet_seconds": 10.0,
    "all_booklets_seconds": 120.0,
}


def cold(build: Callable[[], Path], print_dir: Path, runs: int) -> tuple[float, int, Path]:
    """Median seconds of `runs` builds, each after emptying the PDF cache and the QR codes
    kept in memory; size of the last."""
    from pertutti.printing.qr import qr_svg

    seconds = []
    for _ in range(runs):
        shutil.rmtree(print_dir, ignore_errors=True)
        qr_svg.cache_clear()
        started = time.perf_counter()
        path = build()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), path.stat().st_size, path


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER"


HEADER = f"{'what':44} {'seconds':>8} {'KB':>8} {'pages':>5}  target"


def line(what: str, seconds: float, size: int | None, count: int | None, target: str) -> str:
    kb = f"{size / 1024:.0f}" if size is not None else ""
    return f"{what:44} {seconds:>8.2f} {kb:>8} {count or '':>5}  {target}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="builds per sheet (median)")
    parser.add_argument("--booklet-runs", type=int, default=3, help="builds per booklet (median)")
    parser.add_argument("--jobs", type=int, default=2, help="build_booklets --jobs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print_dir = Path(tmp) / "printed"
        # Set before Django starts, so the worker processes of build_booklets see them too.
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["PERTUTTI_VAR_DIR"] = tmp
        os.environ["PERTUTTI_PRINT_DIR"] = str(print_dir)
        os.environ["PERTUTTI_EMBEDDINGS"] = "none"  # search plays no part in printing
        os.environ["PERTUTTI_PUBLISH_DRAFTS"] = "1"  # as `make run`: the demo drafts print
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
        import django

        django.setup()
        import weasyprint
        from django.core.management import call_command

        from pertutti.importing.services import services_import_file
        from pertutti.printing.booklets import booklet_pdf
        from pertutti.printing.content import services_for_print
        from pertutti.printing.sheets import orientation_sheet, service_sheet
        from pertutti.territories.services import territory_load
        from pertutti.translations.exchange import import_xliff

        call_command("migrate", verbosity=0)
        territory = territory_load(slug="lodi").territory
        services_import_file(
            territory=territory,
            path=REPO / "demo/lodi/mappatura-servizi-lodi.csv",
            sample_data=True,
        )
        for xliff in sorted((REPO / "demo/lodi/translations").glob("*.xlf")):
            import_xliff(
                territory=territory,
                language=xliff.stem,
                data=xliff.read_bytes(),
                status="draft",
            )
        codes = list(services_for_print(territory).values_list("code", flat=True))
        languages = [territory.source_language] + [
            code for code in territory.offered_languages if code != territory.source_language
        ]
        print(
            f"{len(codes)} services, {len(languages)} languages, {os.cpu_count()} cores, "
            f"WeasyPrint {weasyprint.__version__}, load average {os.getloadavg()[0]:.1f} "
            "(other work on the machine slows every figure)"
        )

        orientation_sheet(territory, codes[:SHEET_SERVICES], "it")  # warm-up, not counted
        results: dict = {
            "date": time.strftime("%Y-%m-%dT%H:%M%z"),
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "load_average_at_start": os.getloadavg()[0],
            },
            "weasyprint": weasyprint.__version__,
            "services": len(codes),
            "runs": args.runs,
            "booklet_runs": args.booklet_runs,
            "targets": TARGETS,
            "sheet": {},
            "service_sheet": {},
            "booklet": {},
        }
        rows: list[str] = []

        def report(
            what: str, seconds: float, size: int | None, count: int | None, target: str
        ) -> None:
            """Print each figure when measured (the run takes minutes), and again at the end."""
            rows.append(line(what, seconds, size, count, target))
            print(rows[-1], flush=True)

        print(HEADER)
        for language in ("ar", "it"):
            seconds, size, path = cold(
                lambda language=language: (
                    orientation_sheet(territory, codes[:SHEET_SERVICES], language).path
                ),
                print_dir,
                args.runs,
            )
            results["sheet"][language] = {"seconds": seconds, "bytes": size, "pages": pages(path)}
            report(
                f"sheet, {SHEET_SERVICES} services, {language}",
                seconds,
                size,
                pages(path),
                f"< {TARGETS['sheet_seconds']} s {verdict(seconds, TARGETS['sheet_seconds'])}, "
                f"< 500 KB {verdict(size, TARGETS['sheet_bytes'])}",
            )
        for language in ("ar", "it"):
            seconds, size, path = cold(
                lambda language=language: service_sheet(territory, SERVICE_CODE, language),
                print_dir,
                args.runs,
            )
            results["service_sheet"][language] = {
                "code": SERVICE_CODE,
                "seconds": seconds,
                "bytes": size,
                "pages": pages(path),
            }
            report(
                f"service sheet {SERVICE_CODE}, {language}",
                seconds,
                size,
                pages(path),
                f"< {TARGETS['sheet_seconds']} s {verdict(seconds, TARGETS['sheet_seconds'])}",
            )
        for language in languages:
            seconds, size, path = cold(
                lambda language=language: booklet_pdf(
                    territory, language, size="A5", bilingual=False
                ),
                print_dir,
                args.booklet_runs,
            )
            results["booklet"][language] = {"seconds": seconds, "bytes": size, "pages": pages(path)}
            report(
                f"booklet A5 plain, {language}",
                seconds,
                size,
                pages(path),
                f"< {TARGETS['booklet_seconds']:.0f} s "
                f"{verdict(seconds, TARGETS['booklet_seconds'])}",
            )

        shutil.rmtree(print_dir, ignore_errors=True)
        started = time.perf_counter()
        log = io.StringIO()  # a line per booklet; the table says what matters
        call_command("build_booklets", territory=territory.slug, jobs=args.jobs, stdout=log)
        all_cold = time.perf_counter() - started
        built = sorted(print_dir.glob("*.pdf"))
        started = time.perf_counter()
        call_command("build_booklets", territory=territory.slug, jobs=args.jobs, stdout=log)
        all_warm = time.perf_counter() - started
        results["all_booklets"] = {
            "jobs": args.jobs,
            "seconds_cold": all_cold,
            "seconds_again": all_warm,
            "files": len(built),
            "bytes": sum(p.stat().st_size for p in built),
        }
        target = TARGETS["all_booklets_seconds"]
        report(
            f"build_booklets --jobs {args.jobs} ({len(built)} PDFs)",
            all_cold,
            results["all_booklets"]["bytes"],
            None,
            f"< {target:.0f} s {verdict(all_cold, target)}",
        )
        report("build_booklets again, nothing changed", all_warm, None, None, "")
        results["machine"]["load_average_at_end"] = os.getloadavg()[0]

    print("\n" + HEADER, *rows, sep="\n")
    print(
        f"(medians of {args.runs} cold builds per sheet, {args.booklet_runs} per booklet; "
        "build_booklets once cold, once again)"
    )
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"JSON: {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()

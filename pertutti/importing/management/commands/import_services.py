from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.background import yield_to_web_requests
from pertutti.importing.services import services_import_file
from pertutti.search.indexing import progress_printed
from pertutti.search.tasks import check_interval, search_index_check_schedule
from pertutti.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Import the services spreadsheet (CSV or XLSX, 'mappatura dei servizi' layout). "
        "All-or-nothing: any error aborts and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--territory", default="lodi", help="Territory slug (default: lodi)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report without writing."
        )
        parser.add_argument(
            "--sample-data",
            action="store_true",
            help="Mark the services as sample data: every page then says so.",
        )

    def handle(
        self,
        *args: object,
        path: Path,
        territory: str,
        dry_run: bool,
        sample_data: bool,
        **kw: object,
    ) -> None:
        yield_to_web_requests()  # background work on a live server
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(
                f"territory {territory!r} is not loaded / territorio {territory!r} non caricato: "
                f"manage.py load_territory {territory}"
            )
        # The import commits first; the vectors of its new texts are computed after it,
        # here, one process per core (semantic search has them when the command ends).
        report = services_import_file(
            territory=found,
            path=path,
            dry_run=dry_run,
            sample_data=sample_data,
            vectors_progress=progress_printed(self.stdout.write),
        )
        self.stdout.write(report.render())
        if report.written:
            search_index_check_schedule(territory=found, delay=check_interval())
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} errors: nothing was written / "
                f"{len(report.errors)} errori: nulla è stato scritto"
            )

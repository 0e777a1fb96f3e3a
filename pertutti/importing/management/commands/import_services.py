from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.importing.services import services_import_file
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

    def handle(self, *args: object, path: Path, territory: str, dry_run: bool, **kw: object) -> None:
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(
                f"territory {territory!r} is not loaded: run `manage.py load_territory {territory}` "
                f"/ territorio {territory!r} non caricato"
            )
        report = services_import_file(territory=found, path=path, dry_run=dry_run)
        self.stdout.write(report.render())
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} errors: nothing was written / "
                f"{len(report.errors)} errori: nulla è stato scritto"
            )

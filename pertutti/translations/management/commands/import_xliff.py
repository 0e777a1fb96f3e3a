from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.background import yield_to_web_requests
from pertutti.search.indexing import progress_printed
from pertutti.search.tasks import check_interval, search_index_check_schedule
from pertutti.territories.models import Territory
from pertutti.translations.exchange import import_xliff
from pertutti.translations.models import TranslationStatus
from pertutti.translations.xliff import XliffError, max_bytes


class Command(BaseCommand):
    help = "Import a translated XLIFF 2.0 or 1.2 file (atomic; reports what was rejected)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--territory", default="lodi")
        parser.add_argument("--language", required=True)
        parser.add_argument(
            "--status",
            choices=[TranslationStatus.DRAFT, TranslationStatus.TRANSLATED],
            default=TranslationStatus.TRANSLATED,
        )
        parser.add_argument("--translator", default="", help="Name recorded as translator.")

    def handle(self, *args: object, path: Path, **options: object) -> None:
        yield_to_web_requests()  # background work on a live server
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"territory {options['territory']!r} is not loaded")
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        if path.stat().st_size > max_bytes():
            raise CommandError(f"file too large: at most {max_bytes()} bytes")
        try:
            report = import_xliff(
                territory=territory,
                language=str(options["language"]),
                data=path.read_bytes(),
                status=str(options["status"]),
                translator_name=str(options["translator"]),
                # Commits first; then the new texts' vectors are computed here, one
                # process per core (semantic search has them when the command ends).
                reindex_in_background=False,
                vectors_progress=progress_printed(self.stdout.write),
            )
        except XliffError as exc:
            raise CommandError(f"nothing imported: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.imported:
            search_index_check_schedule(territory=territory, delay=check_interval())

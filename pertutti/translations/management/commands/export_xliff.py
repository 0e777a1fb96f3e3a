from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.territories.models import Territory
from pertutti.translations.exchange import export_language
from pertutti.translations.xliff import VERSIONS


class Command(BaseCommand):
    help = "Export the texts a language still needs (missing or outdated) as XLIFF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", default="lodi")
        parser.add_argument("--language", required=True)
        parser.add_argument("--xliff-version", choices=VERSIONS, default="2.0")
        parser.add_argument("--all", action="store_true", help="Every text, not only missing.")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: object, **options: object) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"territory {options['territory']!r} is not loaded")
        language = str(options["language"])
        if language not in territory.offered_languages or language == territory.source_language:
            raise CommandError(f"{language!r} is not a target language of {territory.slug}")
        data = export_language(
            territory,
            language,
            version=str(options["xliff_version"]),
            everything=bool(options["all"]),
        )
        Path(str(options["output"])).write_bytes(data)
        self.stdout.write(f"{data.count(b'<source>')} units written to {options['output']}")

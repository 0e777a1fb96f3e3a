from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.search.indexing import search_index_update
from pertutti.territories.models import Territory


class Command(BaseCommand):
    help = "Bring the search index up to date (embeds only texts that changed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", default="lodi")
        parser.add_argument("--no-embeddings", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"territory {options['territory']!r} is not loaded")
        result = search_index_update(territory=territory, embed=not options["no_embeddings"])
        self.stdout.write(
            f"search index: {result.written} documents written, {result.embedded} embedded, "
            f"{result.removed} removed"
        )

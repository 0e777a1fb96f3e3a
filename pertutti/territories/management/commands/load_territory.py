from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.territories.services import UnknownTerritoryError, territory_load


class Command(BaseCommand):
    help = "Create or refresh a territory and its municipalities from its bundled data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Territory slug, e.g. lodi")

    def handle(self, *args: object, slug: str, **options: object) -> None:
        try:
            result = territory_load(slug=slug)
        except UnknownTerritoryError as exc:
            raise CommandError(str(exc)) from exc
        verb = "created" if result.created else "refreshed"
        self.stdout.write(
            f"Territory {result.territory.slug} {verb}: {result.municipalities} municipalities."
        )

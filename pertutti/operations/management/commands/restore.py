from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into an empty database (after `migrate`), "
        "all or nothing, then rebuild the search index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--no-embeddings",
            action="store_true",
            help="Rebuild the search index without the semantic vectors (faster; run "
            "`update_search_index` later to add them).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            restored = backup_restore(
                path=options["path"],  # type: ignore[arg-type]
                embed=not options["no_embeddings"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored {restored.territories} territories, {restored.services} services, "
            f"{restored.translations} translations, {restored.people} people; "
            "search index rebuilt"
        )

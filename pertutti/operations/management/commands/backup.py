from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.operations.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write every territory, service, translation and account to one JSON file "
        "(gzip-compressed if PATH ends in .gz), restorable with `restore` on SQLite or "
        "PostgreSQL. The file holds password hashes: keep it like the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["path"]  # type: ignore[assignment]
        try:
            backup_write(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backup written to {path} ({path.stat().st_size:,} bytes)")

"""Delete the needs report's daily counts older than the retention (for cron; see the
privacy page, which promises it)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pertutti.search.models import UsageCount


class Command(BaseCommand):
    help = "Delete usage counts (searches with no result, pages viewed) older than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days (default: PERTUTTI_USAGE_RETENTION_DAYS, 365).",
        )

    def handle(self, *args: object, **options: object) -> None:
        days = options["days"]
        days = settings.PERTUTTI_USAGE_RETENTION_DAYS if days is None else days
        if not isinstance(days, int) or days < 1:
            raise CommandError("--days must be at least 1")
        oldest = timezone.localdate() - timedelta(days=days - 1)
        deleted, _ = UsageCount.objects.filter(day__lt=oldest).delete()
        self.stdout.write(f"usage counts: {deleted} rows before {oldest} deleted")

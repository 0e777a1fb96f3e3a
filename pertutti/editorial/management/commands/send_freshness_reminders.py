from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.editorial.freshness import freshness_reminders_send
from pertutti.territories.models import Territory


class Command(BaseCommand):
    help = (
        "E-mail each organisation's active editors the active services not verified for "
        "--months (default PERTUTTI_FRESHNESS_REMINDER_MONTHS, 6), at most once a month per "
        "organisation. Safe to run daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months", type=int, default=settings.PERTUTTI_FRESHNESS_REMINDER_MONTHS
        )
        parser.add_argument("--territory", help="slug of one territory (default: all)")

    def handle(self, *args: object, months: int, territory: str | None, **options: object) -> None:
        if months < 1:
            raise CommandError("--months must be at least 1")
        territories = Territory.objects.order_by("slug")
        if territory is not None:
            territories = territories.filter(slug=territory)
            if not territories.exists():
                raise CommandError(f"unknown territory {territory!r}")
        summary = freshness_reminders_send(territories=list(territories), months=months)
        self.stdout.write(f"Services not verified for {months} months:")
        for line in summary.lines():
            self.stdout.write(f"  {line}")

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.accounts.audit import RETENTION, audit_prune, sign_in_attempts_prune


class Command(BaseCommand):
    help = (
        "Delete activity-log events older than --days (default 365: the log is kept 12 months) "
        "and records of failed sign-ins (with client addresses) whose lock is over. "
        "Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=RETENTION.days)

    def handle(self, *args: object, days: int, **options: object) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = audit_prune(keep=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} activity-log events older than {days} days.")
        attempts = sign_in_attempts_prune()
        self.stdout.write(f"Deleted {attempts} records of failed sign-ins past their lock.")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.accounts.demo import demo_accounts_create
from pertutti.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Create one account per role for the demo (debug only) and print their passwords. "
        "Run again to get new passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", default="lodi")

    def handle(self, *args: object, territory: str, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("demo accounts exist only with DJANGO_DEBUG on (make run)")
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(f"territory {territory!r} is not loaded")
        accounts = demo_accounts_create(territory=found)
        self.stdout.write("Demo accounts (sign in at http://127.0.0.1:8000/it/accounts/login/):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<14} {account.username:<15} {account.password}")
            if account.totp_secret:
                self.stdout.write(
                    f"  {'':<14} second factor: TOTP secret {account.totp_secret} "
                    f"or a recovery code: {' '.join(account.recovery_codes)}"
                )

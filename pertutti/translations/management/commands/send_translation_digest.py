from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.territories.models import Territory
from pertutti.translations.digests import translation_digests_send


class Command(BaseCommand):
    help = (
        "E-mail each translator, at most once a week, the new and outdated texts in their "
        "languages (for cron; see docs/translations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--territory", default=None, help="Only this territory (slug); default: all."
        )

    def handle(self, *args: object, **options: object) -> None:
        territory = None
        if options["territory"]:
            territory = Territory.objects.filter(slug=options["territory"]).first()
            if territory is None:
                raise CommandError(f"territory {options['territory']!r} is not loaded")
        result = translation_digests_send(territory=territory)
        self.stdout.write(
            f"{result.sent} sent, {result.nothing_to_do} with nothing to translate, "
            f"{result.not_due} not due or opted out, {result.failed} failed"
        )
        if result.failed:
            raise CommandError(f"{result.failed} digest(s) could not be sent")

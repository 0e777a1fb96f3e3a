import json

from django.core.management.base import BaseCommand

from pertutti.taxonomy.selectors import hsds_taxonomy


class Command(BaseCommand):
    help = "Print the category taxonomy as Open Referral HSDS 3.0 JSON."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(json.dumps(hsds_taxonomy(), ensure_ascii=False, indent=2))

import time

from django.core.management.base import BaseCommand, CommandError

from pertutti.search.need_meanings import VECTORS_FILE, need_vectors_build


class Command(BaseCommand):
    help = (
        "Embed every term of the search vocabulary (search/data/vocabulary.json) into "
        "search/data/vocabulary_vectors.npz, after any change to the vocabulary."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            count = need_vectors_build()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{count} terms embedded into {VECTORS_FILE.name} "
            f"in {time.perf_counter() - started:.1f} s"
        )

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.background import yield_to_web_requests
from pertutti.search.indexing import (
    IndexCheck,
    progress_printed,
    search_index_check,
    search_index_update,
)
from pertutti.territories.models import Territory

SHOWN = 10  # documents named per kind of problem; the counts are complete


class Command(BaseCommand):
    help = (
        "Bring the search index up to date: texts, then the vectors they lack (one process "
        "per core). --check only reports what differs (exit code 1 if anything does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", default="lodi")
        parser.add_argument(
            "--no-embeddings",
            action="store_true",
            help="Write the texts only; the vectors are left to a later run or the worker.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the documents with the services and report stale, missing and "
            "orphan documents and missing vectors; writes nothing, exit code 1 if any.",
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="With --check: then bring the index up to date if it is not (exit code 0).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=0,
            help="Processes computing vectors (default: PERTUTTI_EMBEDDING_PROCESSES, "
            "or one per core).",
        )

    def handle(self, *args: object, **options: object) -> None:
        yield_to_web_requests()  # background work on a live server
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"territory {options['territory']!r} is not loaded")
        if options["repair"] and not options["check"]:
            raise CommandError("--repair goes with --check (without it the index is updated)")
        if options["processes"] < 0:
            raise CommandError("--processes must be 0 (one per core) or more")
        if options["check"]:
            check = search_index_check(territory=territory)
            self._report(territory, check)
            if check.clean:
                return
            if not options["repair"]:
                raise CommandError("the search index is not up to date", returncode=1)
        result = search_index_update(
            territory=territory,
            embed=not options["no_embeddings"],
            processes=options["processes"] or None,
            progress=progress_printed(self.stdout.write),
        )
        self.stdout.write(
            f"search index: {result.written} documents written, {result.embedded} embedded, "
            f"{result.removed} removed, {result.pending} without a vector"
        )

    def _report(self, territory: Territory, check: IndexCheck) -> None:
        self.stdout.write(
            f"search index of {territory.slug}: {check.documents} documents; "
            f"{len(check.stale)} stale, {len(check.missing)} missing, "
            f"{len(check.orphans)} orphans, {check.without_vector} without a current vector"
        )
        for name, keys in (
            ("stale", check.stale),
            ("missing", check.missing),
            ("orphan", check.orphans),
        ):
            shown = ", ".join(f"service {pk} [{language}]" for pk, language in keys[:SHOWN])
            if keys:
                more = f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else ""
                self.stdout.write(f"  {name}: {shown}{more}")

"""The services import: all rows validated first, then written in one transaction, or nothing.

The command (`import_services`) and the import page both come through `services_import`:
the command with a path, the page with the uploaded bytes and the corrections an
administrator accepted.
"""

import time as clock
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pertutti.directory.models import (
    Location,
    OpeningHours,
    Organization,
    PhoneNumber,
    Schedule,
    Service,
)
from pertutti.editorial.models import VersionSource
from pertutti.editorial.services import version_record
from pertutti.importing.diff import Names, desired_state, service_changes, stored_state
from pertutti.importing.reading import SheetRow, SpreadsheetError, read_content, read_rows
from pertutti.importing.records import RowContext, ServiceRecord, build_record
from pertutti.importing.report import ImportReport, ServiceChange, ServiceLine
from pertutti.search.indexing import Progress as VectorsProgress
from pertutti.search.indexing import search_documents_write, search_vectors_update
from pertutti.search.tasks import search_vectors_later
from pertutti.taxonomy.selectors import category_by_name
from pertutti.territories.models import Territory
from pertutti.territories.names import fold_name
from pertutti.translations.services import source_texts_sync_service

# Called with (rows validated, rows in the file) while the rows are validated.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


def services_import_file(
    *,
    territory: Territory,
    path: Path,
    dry_run: bool = False,
    sample_data: bool = False,
    actor: AbstractBaseUser | None = None,
    vectors_progress: VectorsProgress | None = None,
) -> ImportReport:
    """A file on disk (the command): the new texts' vectors are computed before returning,
    once the import has committed; `vectors_progress` is told how far they are."""
    return _import_read(
        lambda: read_rows(path),
        territory=territory,
        dry_run=dry_run,
        sample_data=sample_data,
        actor=actor,
        vectors_progress=vectors_progress,
    )


def services_import_upload(
    *,
    territory: Territory,
    content: bytes,
    filename: str,
    corrections: Iterable[Mapping[str, Any]] = (),
    dry_run: bool = False,
    sample_data: bool = False,
    progress: Progress | None = None,
    actor: AbstractBaseUser | None = None,
) -> ImportReport:
    """An uploaded file, with cells corrected (`{"row", "column", "given", "value"}`).

    The new texts are searchable when the import commits; their vectors are computed by the
    background worker.
    """
    return _import_read(
        lambda: corrected_rows(read_content(content, filename=filename), corrections),
        territory=territory,
        dry_run=dry_run,
        sample_data=sample_data,
        progress=progress,
        reindex_in_background=True,
        actor=actor,
    )


def corrected_rows(
    rows: list[SheetRow], corrections: Iterable[Mapping[str, Any]]
) -> list[SheetRow]:
    """Rows with accepted corrections; one applies only to a cell that still says `given`."""
    by_row: dict[int, dict[str, Mapping[str, Any]]] = {}
    for correction in corrections:
        by_row.setdefault(int(correction["row"]), {})[correction["column"]] = correction
    if not by_row:
        return rows
    result = []
    for row in rows:
        fixes = {
            column: fix["value"]
            for column, fix in by_row.get(row.number, {}).items()
            if row.cells.get(column) == fix["given"]
        }
        result.append(SheetRow(number=row.number, cells={**row.cells, **fixes}) if fixes else row)
    return result


def _import_read(
    read: Callable[[], list[SheetRow]],
    *,
    territory: Territory,
    dry_run: bool,
    sample_data: bool,
    progress: Progress | None = None,
    reindex_in_background: bool = False,
    actor: AbstractBaseUser | None = None,
    vectors_progress: VectorsProgress | None = None,
) -> ImportReport:
    started = clock.perf_counter()
    try:
        rows = read()
    except SpreadsheetError as exc:
        report = ImportReport(dry_run=dry_run)
        report.error(exc.row, "", exc.message_it, exc.message_en)
    else:
        report = services_import(
            territory=territory,
            rows=rows,
            dry_run=dry_run,
            sample_data=sample_data,
            progress=progress,
            reindex_in_background=reindex_in_background,
            actor=actor,
            vectors_progress=vectors_progress,
        )
    report.seconds = clock.perf_counter() - started
    return report


def services_import(
    *,
    territory: Territory,
    rows: list[SheetRow],
    dry_run: bool = False,
    sample_data: bool = False,
    progress: Progress | None = None,
    reindex_in_background: bool = False,
    actor: AbstractBaseUser | None = None,
    vectors_progress: VectorsProgress | None = None,
) -> ImportReport:
    """Import rows of the services spreadsheet into `territory`.

    All-or-nothing: any error leaves the database exactly as it was. Re-importing the
    same rows changes nothing; a row whose `codice` exists updates that service.
    `sample_data` marks the services as coming from a sample dataset. `progress` is told
    how many rows were validated (writing happens in one transaction, so it is not seen).
    The search documents of the services written get their new texts in the same
    transaction (lexical search has them as soon as it commits); their vectors are
    computed after the commit, before returning (`vectors_progress` is told how far), or
    with `reindex_in_background` by the worker.
    Each service created or changed gets a new version (editorial history), attributed to
    the import and to `actor` (the administrator who imported the file) if given.
    """
    report = ImportReport(rows_read=len(rows), dry_run=dry_run)
    ctx = RowContext(
        territory=territory,
        municipalities={m.name_key: m for m in territory.municipalities.all()},
        categories=category_by_name(),
    )
    records = []
    for done, row in enumerate(rows, start=1):
        record = build_record(row, ctx, report, sample_data=sample_data)
        if record is not None:
            records.append(record)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    _check_file(records, rows, report)
    if report.errors:
        return report
    names = Names(
        categories={c.pk: c.name for c in ctx.categories.values()},
        municipalities={m.pk: m.name for m in ctx.municipalities.values()},
    )
    with transaction.atomic():
        organizations = _organizations(territory, records, report)
        # One read of every existing service with its children: no query per row.
        existing = {
            s.code: s
            for s in Service.objects.filter(territory=territory)
            .select_related("schedule", "organization")
            .prefetch_related("locations", "phones", "schedule__hours")
        }
        written_ids = []
        for record in records:
            service = existing.get(record.code)
            organization = organizations[record.organization_name]
            written = _apply(territory, record, organization, service, report, names)
            if written is not None and not dry_run:  # a check rolls back: no history to keep
                _version(written, actor)
                written_ids.append(written.pk)
        report.not_in_file = sorted(set(existing) - {r.code for r in records})
        report.not_in_file_services = [
            ServiceLine(code=code, name=existing[code].name) for code in report.not_in_file
        ]
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Texts only, cheap: their vectors (15 s for the demo) come after the commit.
            search_documents_write(territory=territory, service_ids=written_ids)
    report.written = not dry_run
    if report.written:
        # Vectors are computed after the commit, never while answering a search: by the
        # worker (the page: an administrator does not wait for them), or here (the command).
        if reindex_in_background:
            search_vectors_later(territory=territory)
        else:
            search_vectors_update(territory=territory, progress=vectors_progress)
    return report


def _check_file(records: list[ServiceRecord], rows: list[SheetRow], report: ImportReport) -> None:
    """Problems that only show across rows: repeated codes, likely duplicates, conflicting data."""
    first_row_of_code: dict[str, int] = {}
    for row in rows:
        code = row.cells["codice"].upper()
        if not code:
            continue
        if code in first_row_of_code:
            report.error(
                row.number,
                "codice",
                f"il codice {code} è già usato alla riga {first_row_of_code[code]}",
                f"code {code} is already used on row {first_row_of_code[code]}",
            )
        else:
            first_row_of_code[code] = row.number

    seen_text: dict[tuple[str, str, str], ServiceRecord] = {}
    kinds: dict[str, ServiceRecord] = {}
    for record in records:
        key = (
            fold_name(record.organization_name),
            fold_name(record.service["name"]),
            fold_name(record.service["description"]),
        )
        if key in seen_text:
            other = seen_text[key]
            report.warning(
                record.row,
                "codice",
                f"probabile doppione: {record.code} ha lo stesso ente e lo stesso testo di "
                f"{other.code} (riga {other.row})",
                f"likely duplicate: {record.code} has the same organization and text as "
                f"{other.code} (row {other.row})",
            )
        else:
            seen_text[key] = record
        org = fold_name(record.organization_name)
        first = kinds.setdefault(org, record)
        if first.organization_kind_text != record.organization_kind_text:
            report.warning(
                record.row,
                "tipo_ente",
                f"tipo di ente «{record.organization_kind_text}» diverso da quello della riga "
                f"{first.row} («{first.organization_kind_text}»): vale il primo",
                f"organization type “{record.organization_kind_text}” differs from row "
                f"{first.row} (“{first.organization_kind_text}”): the first one is kept",
            )


def _organizations(
    territory: Territory, records: list[ServiceRecord], report: ImportReport
) -> dict[str, Organization]:
    """Create or update each organization once, from the first row that names it."""
    organizations: dict[str, Organization] = {}
    for record in records:
        if record.organization_name in organizations:
            continue
        kind = {"kind": record.organization_kind, "kind_text": record.organization_kind_text}
        organization, created = Organization.objects.get_or_create(
            territory=territory, name=record.organization_name, defaults=kind
        )
        if created:
            report.organizations_created += 1
        elif (organization.kind, organization.kind_text) != tuple(kind.values()):
            Organization.objects.filter(pk=organization.pk).update(**kind)
        organizations[record.organization_name] = organization
    return organizations


def _apply(
    territory: Territory,
    record: ServiceRecord,
    organization: Organization,
    service: Service | None,
    report: ImportReport,
    names: Names,
) -> Service | None:
    """Create or update the service of `record`: the service written, None if unchanged."""
    if service is None:
        service = Service.objects.create(
            territory=territory, organization=organization, code=record.code, **record.service
        )
        report.created += 1
        report.new_services.append(ServiceLine(record.code, record.service["name"], record.row))
    else:
        before, after = stored_state(service, record), desired_state(record, organization)
        if before == after:
            report.unchanged += 1
            return None
        changes = service_changes(
            before=before,
            after=after,
            organization_names=(service.organization.name, organization.name),
            names=names,
        )
        report.changed_services.append(
            ServiceChange(record.code, record.service["name"], record.row, changes)
        )
        for name, value in record.service.items():
            setattr(service, name, value)
        service.organization = organization
        service.save()
        service.locations.all().delete()
        service.phones.all().delete()
        report.updated += 1
    Location.objects.create(service=service, **record.location)
    PhoneNumber.objects.bulk_create(
        PhoneNumber(service=service, number=n, is_short_code=short, position=i)
        for i, (n, short) in enumerate(record.phones)
    )
    # The schedule is updated in place: its Italian text is a translation source, and a
    # new row would orphan the translations made for it.
    schedule, _ = Schedule.objects.update_or_create(service=service, defaults=record.schedule)
    schedule.hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(schedule=schedule, weekday=d, opens=o, closes=c, label=label)
        for d, o, c, label in record.hours
    )
    service.organization, service.schedule = organization, schedule
    # New Italian wording gets a new fingerprint: its translations become outdated.
    source_texts_sync_service(service=service)
    return service


def _version(service: Service, actor: AbstractBaseUser | None) -> None:
    """The service as written becomes its next version, attributed to the import."""
    # Read anew: the instance's prefetched places and phones are the ones just replaced.
    written = Service.objects.select_related("category").get(pk=service.pk)
    written.version += 1
    Service.objects.filter(pk=written.pk).update(version=written.version)
    version_record(service=written, source=VersionSource.IMPORT, author=actor, author_name="import")

"""The services import: all rows validated first, then written in one transaction, or nothing."""

import time as clock
from pathlib import Path
from typing import Any

from django.db import transaction

from pertutti.directory.models import (
    Location,
    OpeningHours,
    Organization,
    PhoneNumber,
    Schedule,
    Service,
)
from pertutti.importing.reading import SheetRow, SpreadsheetError, read_rows
from pertutti.importing.records import RowContext, ServiceRecord, build_record
from pertutti.importing.report import ImportReport
from pertutti.search.indexing import search_index_update
from pertutti.taxonomy.selectors import category_by_name
from pertutti.territories.models import Territory
from pertutti.territories.names import fold_name
from pertutti.translations.services import source_texts_sync_service


def services_import_file(
    *, territory: Territory, path: Path, dry_run: bool = False, sample_data: bool = False
) -> ImportReport:
    started = clock.perf_counter()
    try:
        rows = read_rows(path)
    except SpreadsheetError as exc:
        report = ImportReport(dry_run=dry_run)
        report.error(None, "", exc.message_it, exc.message_en)
    else:
        report = services_import(
            territory=territory, rows=rows, dry_run=dry_run, sample_data=sample_data
        )
    report.seconds = clock.perf_counter() - started
    return report


def services_import(
    *,
    territory: Territory,
    rows: list[SheetRow],
    dry_run: bool = False,
    sample_data: bool = False,
) -> ImportReport:
    """Import rows of the services spreadsheet into `territory`.

    All-or-nothing: any error leaves the database exactly as it was. Re-importing the
    same rows changes nothing; a row whose `codice` exists updates that service.
    `sample_data` marks the services as coming from a sample dataset.
    """
    report = ImportReport(rows_read=len(rows), dry_run=dry_run)
    ctx = RowContext(
        territory=territory,
        municipalities={m.name_key: m for m in territory.municipalities.all()},
        categories=category_by_name(),
    )
    built = (build_record(row, ctx, report, sample_data=sample_data) for row in rows)
    records = [r for r in built if r is not None]
    _check_file(records, rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        organizations = _organizations(territory, records, report)
        # One read of every existing service with its children: no query per row.
        existing = {
            s.code: s
            for s in Service.objects.filter(territory=territory)
            .select_related("schedule")
            .prefetch_related("locations", "phones", "schedule__hours")
        }
        for record in records:
            service = existing.get(record.code)
            organization = organizations[record.organization_name]
            _apply(territory, record, organization, service, report)
        report.not_in_file = sorted(set(existing) - {r.code for r in records})
        if dry_run:
            transaction.set_rollback(True)
    report.written = not dry_run
    if report.written:
        # Changed texts are re-embedded here, at import time, never while answering a search.
        search_index_update(territory=territory)
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
) -> None:
    if service is None:
        service = Service.objects.create(
            territory=territory, organization=organization, code=record.code, **record.service
        )
        report.created += 1
    elif _snapshot(service, record) == _desired(record, organization):
        report.unchanged += 1
        return
    else:
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


def _desired(record: ServiceRecord, organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.pk,
        "service": record.service,
        "locations": [record.location],
        "phones": record.phones,
        "schedule": record.schedule,
        "hours": record.hours,
    }


def _snapshot(service: Service, record: ServiceRecord) -> dict[str, Any]:
    """The current state of a service in the same shape as `_desired(record)`."""
    schedule = getattr(service, "schedule", None)
    location_fields = (
        "address",
        "postcode",
        "municipality_id",
        "latitude",
        "longitude",
        "placement",
    )
    schedule_fields = (
        "original_text", "always_open", "by_appointment", "closed_months", "unparsed_text",
    )  # fmt: skip
    return {
        "organization_id": service.organization_id,
        "service": {name: getattr(service, name) for name in record.service},
        "locations": [
            {name: getattr(loc, name) for name in location_fields}
            for loc in service.locations.all()
        ],
        "phones": [(p.number, p.is_short_code) for p in service.phones.all()],
        "schedule": (
            {name: getattr(schedule, name) for name in schedule_fields} if schedule else None
        ),
        "hours": (
            [(h.weekday, h.opens, h.closes, h.label) for h in schedule.hours.all()]
            if schedule
            else []
        ),
    }

"""A service as one JSON-able snapshot (its fields, place, phones and hours), and back.

History, review and restore all speak in snapshots: one format, stored as JSON, the same on
SQLite and PostgreSQL, and complete, so that restoring a version restores the hours and the
place with it. Related rows are named by stable keys (category code, ISTAT code).
"""

from datetime import date, time
from typing import Any

from django.db import transaction

from pertutti.directory.models import (
    Location,
    OpeningHours,
    PhoneNumber,
    Placement,
    Schedule,
    Service,
    ServiceStatus,
)
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Municipality

Snapshot = dict[str, Any]

SERVICE_FIELDS = (
    "name", "description", "eligibility", "required_documents", "cost", "free",
    "application_process", "walk_in", "by_appointment", "by_referral", "online", "by_phone",
    "status", "assured_date", "languages", "languages_note", "accessibility", "notes", "email",
    "website",
)  # fmt: skip
LOCATION_FIELDS = ("address", "postcode", "latitude", "longitude", "placement")
SCHEDULE_FIELDS = (
    "original_text", "always_open", "by_appointment", "closed_months", "unparsed_text",
    "valid_from", "valid_to",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """JSON-able: dates as ISO text, decimals as text (never floats: no rounding drift)."""
    if isinstance(value, date | time):
        return value.isoformat()
    if value is not None and type(value).__name__ == "Decimal":
        return str(value)
    return value


def service_snapshot(service: Service) -> Snapshot:
    location = next(iter(service.locations.all()), None)
    schedule = Schedule.objects.filter(service=service).prefetch_related("hours").first()
    return {
        "organization_id": service.organization_id,
        "category": service.category.code,
        "service": {name: _plain(getattr(service, name)) for name in SERVICE_FIELDS},
        "location": None
        if location is None
        else {
            **{name: _plain(getattr(location, name)) for name in LOCATION_FIELDS},
            "municipality": location.municipality.istat_code if location.municipality else None,
        },
        "phones": [[p.number, p.is_short_code] for p in service.phones.all()],
        "schedule": None
        if schedule is None
        else {
            **{name: _plain(getattr(schedule, name)) for name in SCHEDULE_FIELDS},
            "hours": [
                [h.weekday, h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"), h.label]
                for h in schedule.hours.all()
            ],
        },
    }


def _service_values(data: Snapshot) -> dict[str, Any]:
    values = dict(data["service"])
    assured = values.get("assured_date")
    values["assured_date"] = date.fromisoformat(assured) if assured else None
    values["status"] = values.get("status") or ServiceStatus.ACTIVE
    return values


@transaction.atomic
def service_apply(*, service: Service, data: Snapshot) -> Service:
    """Make `service` (saved or not) exactly what `data` says, children included.

    No version, no review, no translation bookkeeping: callers (editorial, restore) do that.
    The schedule row is updated in place, never replaced: its Italian text is a translation
    source, and a new row would orphan the translations made for it.
    """
    for name, value in _service_values(data).items():
        setattr(service, name, value)
    service.organization_id = data["organization_id"]
    service.category = Category.objects.get(code=data["category"])
    service.save()
    service.locations.all().delete()
    place = data.get("location")
    if place is not None:
        municipality = None
        if place.get("municipality"):
            municipality = Municipality.objects.get(
                territory=service.territory, istat_code=place["municipality"]
            )
        Location.objects.create(
            service=service,
            municipality=municipality,
            **{name: place.get(name) for name in LOCATION_FIELDS if name != "placement"},
            placement=place.get("placement") or Placement.NONE,
        )
    service.phones.all().delete()
    PhoneNumber.objects.bulk_create(
        PhoneNumber(service=service, number=number, is_short_code=short, position=i)
        for i, (number, short) in enumerate(data.get("phones") or [])
    )
    hours_data = data.get("schedule")
    if hours_data is None:
        Schedule.objects.filter(service=service).delete()
        return service
    values = {name: hours_data.get(name) for name in SCHEDULE_FIELDS}
    for name in ("valid_from", "valid_to"):
        values[name] = date.fromisoformat(values[name]) if values[name] else None
    values["closed_months"] = values["closed_months"] or []
    for name in ("original_text", "unparsed_text"):
        values[name] = values[name] or ""
    for name in ("always_open", "by_appointment"):
        values[name] = bool(values[name])
    schedule, _ = Schedule.objects.update_or_create(service=service, defaults=values)
    schedule.hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(
            schedule=schedule,
            weekday=weekday,
            opens=time.fromisoformat(opens),
            closes=time.fromisoformat(closes),
            label=label or "",
        )
        for weekday, opens, closes, label in hours_data.get("hours") or []
    )
    return service

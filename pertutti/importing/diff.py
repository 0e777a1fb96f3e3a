"""What an import would change in a stored service: the same state in two shapes.

`desired_state(record)` and `stored_state(service)` have the same shape, so that equal
means "nothing to write" (idempotent re-imports); `service_changes` turns a difference
into lines an administrator can read, labelled by the spreadsheet's column names.
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from pertutti.directory.models import Organization, Service
from pertutti.importing.records import ServiceRecord
from pertutti.importing.report import FieldChange

LOCATION_FIELDS = ("address", "postcode", "municipality_id", "latitude", "longitude", "placement")
SCHEDULE_FIELDS = (
    "original_text", "always_open", "by_appointment", "closed_months", "unparsed_text",
)  # fmt: skip

# Service fields that hold a cell as it is, and the column it comes from.
_CELL_FIELDS: dict[str, str] = {
    "name": "servizio",
    "description": "descrizione",
    "eligibility": "destinatari",
    "required_documents": "documenti_necessari",
    "cost": "costo",
    "application_process": "come_accedere",
    "category_id": "categoria",
    "assured_date": "ultimo_aggiornamento",
    "languages": "lingue_parlate",
    "accessibility": "accessibilita",
    "notes": "note",
    "email": "email",
    "website": "sito_web",
}
# Fields derived from a cell: (column, label in Italian, label in English). Shown only
# when the cell itself is unchanged: otherwise the cell's own change already says it.
_DERIVED_FIELDS: dict[str, tuple[str, str, str]] = {
    "free": ("costo", "costo → gratuito", "costo → free of charge"),
    "walk_in": ("come_accedere", "come_accedere → accesso libero", "come_accedere → walk-in"),
    "by_appointment": (
        "come_accedere",
        "come_accedere → su appuntamento",
        "come_accedere → by appointment",
    ),
    "by_referral": ("come_accedere", "come_accedere → su invio", "come_accedere → by referral"),
    "online": ("come_accedere", "come_accedere → online", "come_accedere → online"),
    "by_phone": ("come_accedere", "come_accedere → per telefono", "come_accedere → by phone"),
    "languages_note": ("lingue_parlate", "lingue_parlate → note", "lingue_parlate → notes"),
    "sample_data": ("", "dati di esempio", "sample data"),
}
# The hours as understood are written the Italian way, as the `orari` cells are.
_WEEKDAYS = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")


@dataclass(frozen=True)
class Names:
    """Names for the ids a state holds (categories and municipalities, by primary key)."""

    categories: dict[int, str]
    municipalities: dict[int, str]


def desired_state(record: ServiceRecord, organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.pk,
        "service": record.service,
        "locations": [record.location],
        "phones": record.phones,
        "schedule": record.schedule,
        "hours": record.hours,
    }


def stored_state(service: Service, record: ServiceRecord) -> dict[str, Any]:
    """The current state of a service in the same shape as `desired_state(record)`."""
    schedule = getattr(service, "schedule", None)
    return {
        "organization_id": service.organization_id,
        "service": {name: getattr(service, name) for name in record.service},
        "locations": [
            {name: getattr(loc, name) for name in LOCATION_FIELDS}
            for loc in service.locations.all()
        ],
        "phones": [(p.number, p.is_short_code) for p in service.phones.all()],
        "schedule": (
            {name: getattr(schedule, name) for name in SCHEDULE_FIELDS} if schedule else None
        ),
        "hours": (
            [(h.weekday, h.opens, h.closes, h.label) for h in schedule.hours.all()]
            if schedule
            else []
        ),
    }


def service_changes(
    *,
    before: dict[str, Any],
    after: dict[str, Any],
    organization_names: tuple[str, str],
    names: Names,
) -> list[FieldChange]:
    """Field-by-field differences between two states (old and new organization names given)."""
    changes: list[FieldChange] = []

    def add(field: str, label_it: str, label_en: str, old: Any, new: Any) -> None:
        old_text, new_text = _text(old), _text(new)
        if old_text != new_text:
            changes.append(FieldChange(field, label_it, label_en, old_text, new_text))

    if before["organization_id"] != after["organization_id"]:
        add("organization", "ente", "ente", *organization_names)

    old_service, new_service = before["service"], after["service"]
    changed_cells = set()
    for name, column in _CELL_FIELDS.items():
        old, new = old_service.get(name), new_service.get(name)
        if old == new:
            continue
        changed_cells.add(column)
        if name == "category_id":
            old, new = names.categories.get(old, ""), names.categories.get(new, "")
        add(name, column, column, old, new)
    for name, (column, label_it, label_en) in _DERIVED_FIELDS.items():
        if column not in changed_cells:
            add(name, label_it, label_en, old_service.get(name), new_service.get(name))

    old_place = before["locations"][0] if before["locations"] else {}
    new_place = after["locations"][0]
    add("address", "indirizzo", "indirizzo", old_place.get("address"), new_place["address"])
    add("postcode", "cap", "cap", old_place.get("postcode"), new_place["postcode"])
    add(
        "municipality",
        "comune",
        "comune",
        names.municipalities.get(old_place.get("municipality_id"), ""),  # type: ignore[arg-type]
        names.municipalities.get(new_place["municipality_id"], ""),
    )
    add("coordinates", "lat, lon", "lat, lon", _point(old_place), _point(new_place))

    add("phones", "telefono", "telefono", _phones(before["phones"]), _phones(after["phones"]))

    old_schedule, new_schedule = before["schedule"] or {}, after["schedule"]
    if old_schedule.get("original_text") != new_schedule["original_text"]:
        add(
            "hours",
            "orari",
            "orari",
            old_schedule.get("original_text"),
            new_schedule["original_text"],
        )
    else:
        add(
            "hours_understood",
            "orari → come interpretati",
            "orari → as understood",
            _hours(old_schedule, before["hours"]),
            _hours(new_schedule, after["hours"]),
        )
    return changes


def _text(value: Any) -> str | bool:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _point(place: dict[str, Any]) -> str:
    lat, lon = place.get("latitude"), place.get("longitude")
    if lat is None or lon is None:
        return ""
    return f"{Decimal(lat):.6f}, {Decimal(lon):.6f}"


def _phones(phones: list[tuple[str, bool]]) -> str:
    return "; ".join(number for number, _ in phones)


def _hours(schedule: dict[str, Any], hours: list[tuple[int, time, time, str]]) -> str:
    if not schedule:
        return ""
    parts = [
        f"{_WEEKDAYS[day]} {opens:%H:%M}–{closes:%H:%M}" + (f" {label}" if label else "")
        for day, opens, closes, label in hours
    ]
    if schedule.get("always_open"):
        parts.append("24/7")
    if schedule.get("by_appointment"):
        parts.append("su appuntamento")
    if schedule.get("closed_months"):
        parts.append("chiuso nei mesi " + ", ".join(map(str, schedule["closed_months"])))
    if schedule.get("unparsed_text"):
        parts.append(f"«{schedule['unparsed_text']}»")
    return "; ".join(parts)

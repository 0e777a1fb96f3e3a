"""What a revision changes, field by field, as text a reviewer (or the e-mail) can read.

Two snapshots (`directory.snapshots`) are turned into labelled texts in the active language:
hours as "Monday 09:00–12:00, 14:00–17:00", phones in national format, the place as
"address, municipality (lat, lon)", the category by name, flags as yes/no. Only the fields
whose text differs are listed; against no snapshot at all (a new service) every field with a
value is listed as new. The texts are plain: the templates escape them like any other data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from django.utils import formats
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pertutti.directory.models import Organization
from pertutti.directory.phones import Phone
from pertutti.directory.snapshots import Snapshot
from pertutti.taxonomy.models import Category
from pertutti.territories.languages import language_name
from pertutti.territories.models import Municipality


@dataclass(frozen=True)
class FieldChange:
    label: str
    old_text: str
    new_text: str


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> str:
    if not value:
        return ""
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)  # shown as stored rather than hidden


def _languages(codes: Any) -> str:
    ui = get_language() or "en"
    return ", ".join(language_name(code, ui) for code in codes or [])


def _status(value: Any) -> str:
    return {"active": _("Active"), "inactive": _("Closed")}.get(value or "active", str(value))


def _phones(rows: Any) -> str:
    texts = []
    for number, short in rows or []:
        try:
            texts.append(Phone(number, bool(short)).national())
        except phonenumbers.NumberParseException:  # shown as stored rather than hidden
            texts.append(str(number))
    return ", ".join(texts)


def hours_text(rows: Any) -> str:
    """One line per weekday, Monday first: "Monday 09:00–12:00, 14:00–17:00 (segreteria)"."""
    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes, label in sorted(rows or [], key=lambda r: (r[0], r[1], r[2])):
        interval = f"{opens}–{closes}" + (f" ({label})" if label else "")
        by_day.setdefault(int(weekday), []).append(interval)
    return "\n".join(f"{WEEKDAYS[day]} {', '.join(parts)}" for day, parts in by_day.items())


def _months(numbers: Any) -> str:
    return ", ".join(str(MONTHS[m]) for m in sorted(numbers or []) if m in MONTHS)


class _Names:
    """Names of the ids and codes a pair of snapshots holds, read once per diff."""

    def __init__(self, snapshots: list[Snapshot]) -> None:
        places = [s.get("location") or {} for s in snapshots]
        self.categories = dict(
            Category.objects.filter(code__in={s.get("category") for s in snapshots}).values_list(
                "code", "name"
            )
        )
        self.organizations = dict(
            Organization.objects.filter(
                pk__in={s.get("organization_id") for s in snapshots}
            ).values_list("pk", "name")
        )
        self.municipalities = dict(
            Municipality.objects.filter(
                istat_code__in={p.get("municipality") for p in places}
            ).values_list("istat_code", "name")
        )

    def place(self, place: Snapshot | None) -> str:
        if not place:
            return ""
        municipality = place.get("municipality")
        town = self.municipalities.get(municipality, municipality or "")
        town = " ".join(part for part in [_text(place.get("postcode")), town] if part)
        text = ", ".join(part for part in [_text(place.get("address")), town] if part)
        latitude, longitude = place.get("latitude"), place.get("longitude")
        if latitude is not None and longitude is not None:
            where = f"{latitude}, {longitude}"
            if place.get("placement") == "municipality_centre":
                where += " — " + _("centre of the municipality")
            text += f" ({where})"
        return text.strip()


def _service(name: str, show: Callable[[Any], str] = _text) -> Callable[[Snapshot, _Names], str]:
    return lambda s, names: show((s.get("service") or {}).get(name))


def _schedule(name: str, show: Callable[[Any], str]) -> Callable[[Snapshot, _Names], str]:
    return lambda s, names: show((s.get("schedule") or {}).get(name))


# In the order of the service form; the labels are those the editors read.
FIELDS: list[tuple[Promise, Callable[[Snapshot, _Names], str]]] = [
    (gettext_lazy("Organisation"), lambda s, n: n.organizations.get(s.get("organization_id"), "")),
    (gettext_lazy("Name"), _service("name")),
    (gettext_lazy("Category"), lambda s, n: n.categories.get(s.get("category"), "")),
    (gettext_lazy("Status"), _service("status", _status)),
    (gettext_lazy("Description"), _service("description")),
    (gettext_lazy("Who it is for"), _service("eligibility")),
    (gettext_lazy("Documents to bring"), _service("required_documents")),
    (gettext_lazy("Cost"), _service("cost")),
    (gettext_lazy("Free of charge"), _service("free", _yes_no)),
    (gettext_lazy("How to access"), _service("application_process")),
    (gettext_lazy("No appointment needed"), _service("walk_in", _yes_no)),
    (gettext_lazy("By appointment"), _service("by_appointment", _yes_no)),
    (gettext_lazy("Through another service"), _service("by_referral", _yes_no)),
    (gettext_lazy("Online"), _service("online", _yes_no)),
    (gettext_lazy("By phone"), _service("by_phone", _yes_no)),
    (gettext_lazy("Languages spoken"), _service("languages", _languages)),
    (gettext_lazy("About the languages"), _service("languages_note")),
    (gettext_lazy("Accessibility"), _service("accessibility")),
    (gettext_lazy("Notes"), _service("notes")),
    (gettext_lazy("Phone numbers"), lambda s, n: _phones(s.get("phones"))),
    (gettext_lazy("E-mail address"), _service("email")),
    (gettext_lazy("Website"), _service("website")),
    (gettext_lazy("Place"), lambda s, n: n.place(s.get("location"))),
    (gettext_lazy("Opening hours"), _schedule("hours", hours_text)),
    (gettext_lazy("Always open"), _schedule("always_open", _yes_no)),
    (gettext_lazy("Opening hours by appointment"), _schedule("by_appointment", _yes_no)),
    (gettext_lazy("Closed in"), _schedule("closed_months", _months)),
    (gettext_lazy("Hours valid from"), _schedule("valid_from", _date)),
    (gettext_lazy("Hours valid until"), _schedule("valid_to", _date)),
    (gettext_lazy("Opening hours as written"), _schedule("original_text", _text)),
    (gettext_lazy("Hours not understood"), _schedule("unparsed_text", _text)),
    (gettext_lazy("Last verified"), _service("assured_date", _date)),
]


def snapshot_diff(old: Snapshot | None, new: Snapshot) -> list[FieldChange]:
    """The fields whose text differs between `old` and `new`; all of `new` if `old` is None."""
    names = _Names([s for s in (old, new) if s is not None])
    changes = []
    for label, show in FIELDS:
        new_text = show(new, names)
        old_text = show(old, names) if old is not None else ""
        if old_text != new_text:
            changes.append(FieldChange(str(label), old_text, new_text))
    return changes

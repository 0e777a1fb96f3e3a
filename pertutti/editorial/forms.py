"""The service form of the back office, in plain Italian, and the snapshot it builds.

A service is edited as one snapshot (`directory.snapshots`): the form is initialised from
`service_snapshot`, validated field by field (phones, the place inside the territory, hours
that do not run backwards or overlap), and `snapshot_from_forms` turns it back into the
snapshot that `editorial.services.revision_submit` publishes or keeps for review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pertutti.directory.models import Organization, Placement, Service, ServiceStatus
from pertutti.directory.opening import weekly_table
from pertutti.directory.phones import Phone, parse_phone
from pertutti.directory.snapshots import Snapshot
from pertutti.importing.opening_hours_it import parse_opening_hours
from pertutti.taxonomy.models import Category
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Municipality, Territory

MAX_PHONES = 4
TEXT_MAX = 5000  # far above any real text; keeps a pasted book out of the translation queue
MAX_HOUR_ROWS = 42  # six openings a day is already unusual
COORDINATE_STEP = Decimal("0.000001")  # the model's six decimal places (about 10 cm)

# The texts of the service, in the order of the form; each is a translation source.
TEXT_FIELDS = (
    "name", "description", "eligibility", "required_documents", "cost", "application_process",
    "languages_note", "accessibility", "notes",
)  # fmt: skip
ACCESS_FLAGS = ("walk_in", "by_appointment", "by_referral", "online", "by_phone")
PHONE_FIELDS = tuple(f"phone_{n}" for n in range(1, MAX_PHONES + 1))


def _text(label: Any, *, help_text: Any = "", rows: int = 3, required: bool = False) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        # Italian content in a right-to-left page reads from its own start.
        widget=forms.Textarea(attrs={"rows": rows, "cols": 60, "dir": "auto"}),
    )


AUTO = forms.TextInput(attrs={"dir": "auto"})
LTR = forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"})


def _email() -> forms.EmailField:
    """The contact e-mail of a service or an organisation (addresses read left to right)."""
    return forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )


def _website() -> forms.URLField:
    return forms.URLField(
        label=gettext_lazy("Website"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )


def _flag(label: Any, help_text: Any = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, help_text=help_text, required=False)


class CoordinateField(forms.DecimalField):
    """Typed by hand ("45,3138" as Italians write it) or filled by the map marker; rounded to
    the model's six decimals instead of refusing a seventh. A text input: a number input
    refuses the comma in some browsers and hides the digits in a narrow box."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"})

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no min/max/step: they belong to number inputs

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        number = super().to_python(value)
        if number is None:
            return None
        try:
            if not number.is_finite():
                raise InvalidOperation
            return number.quantize(COORDINATE_STEP)
        except InvalidOperation as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _spoken_language_codes(territory: Territory) -> list[str]:
    """The site's languages plus every language already stated at some desk, as base codes
    (a desk speaks Chinese, not "zh-hans")."""
    codes = {code.split("-")[0] for code, _name in settings.LANGUAGES}
    stated = Service.objects.filter(territory=territory).values_list("languages", flat=True)
    for languages in stated.order_by().distinct():
        codes.update(languages or [])
    return sorted(codes)


class ServiceForm(forms.Form):
    """Every field of a service's snapshot, except its status (closing is its own page)."""

    name = forms.CharField(label=gettext_lazy("Name of the service"), max_length=300, widget=AUTO)
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    description = _text(
        gettext_lazy("What it is"),
        help_text=gettext_lazy("In a few plain sentences: what the service does."),
        rows=5,
    )
    eligibility = _text(gettext_lazy("Who it is for"))
    required_documents = _text(
        gettext_lazy("What to bring"),
        help_text=gettext_lazy("Separate the documents with a semicolon: each one becomes a line."),
    )
    cost = _text(gettext_lazy("Cost"), rows=2)
    free = _flag(gettext_lazy("Free of charge"))
    application_process = _text(
        gettext_lazy("How to access"),
        help_text=gettext_lazy(
            "As you would say it to a person: for example “call to book, then come with your "
            "identity card”."
        ),
    )
    walk_in = _flag(gettext_lazy("No appointment needed"))
    by_appointment = _flag(gettext_lazy("By appointment"))
    by_referral = _flag(gettext_lazy("Through another service"))
    online = _flag(gettext_lazy("Online"))
    by_phone = _flag(gettext_lazy("By phone"))
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages spoken at the desk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages_note = _text(
        gettext_lazy("Notes on languages"),
        help_text=gettext_lazy("For example: “Arabic on Tuesday mornings only”."),
        rows=2,
    )
    accessibility = _text(
        gettext_lazy("Accessibility"),
        help_text=gettext_lazy("Steps, lift, accessible toilet, sign language…"),
        rows=2,
    )
    notes = _text(gettext_lazy("Notes"), rows=2)
    phone_1 = forms.CharField(
        label=gettext_lazy("Phone 1"), max_length=40, required=False, widget=LTR
    )
    phone_2 = forms.CharField(
        label=gettext_lazy("Phone 2"), max_length=40, required=False, widget=LTR
    )
    phone_3 = forms.CharField(
        label=gettext_lazy("Phone 3"), max_length=40, required=False, widget=LTR
    )
    phone_4 = forms.CharField(
        label=gettext_lazy("Phone 4"), max_length=40, required=False, widget=LTR
    )
    email = _email()
    website = _website()
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=300,
        required=False,
        widget=AUTO,
        help_text=gettext_lazy("Street and number, for example “Via Cavour 31”."),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        validators=[RegexValidator(r"^[0-9]{5}$", gettext_lazy("A postcode has five digits."))],
    )
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    latitude = CoordinateField(
        label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90
    )
    longitude = CoordinateField(
        label=gettext_lazy("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=gettext_lazy(
            "Drag the marker on the map, or type them. Empty: the map shows the centre of the "
            "municipality, marked as approximate."
        ),
    )
    original_text = _text(
        gettext_lazy("Opening hours in words"),
        help_text=gettext_lazy(
            "As you would write them on the door. The public read them when the table does not "
            "say everything (for example “closed on public holidays”)."
        ),
        rows=2,
    )
    always_open = _flag(gettext_lazy("Always open, 24 hours a day, 7 days a week"))
    hours_by_appointment = _flag(gettext_lazy("By appointment only"))
    closed_months = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Closed in these months"),
        choices=sorted(MONTHS.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(
        label=gettext_lazy("These hours apply from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_to = forms.DateField(
        label=gettext_lazy("until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    minor = _flag(
        gettext_lazy("Minor change: a typo, punctuation, a phone number inside a sentence"),
        help_text=gettext_lazy(
            "The translations are kept as they are: translators are not asked to redo them. "
            "Leave it unticked when the meaning changes."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Why this change (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "dir": "auto"}),
        help_text=gettext_lazy("Shown in the history and to the reviewer."),
    )
    # The version the form was opened at: a save from an older one is refused (optimistic
    # locking), never merged.
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # "Edit and approve": the pending revision a reviewer corrects before publishing it.
    revision = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        territory: Territory,
        new: bool = False,
        closed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.territory = territory
        if new:  # nothing to carry over, no version to start from
            del self.fields["minor"]
            del self.fields["base_version"]
            del self.fields["revision"]
        if closed:  # a closed service stays closed unless this is ticked
            self.fields["reopen"] = _flag(
                gettext_lazy("Open the service again"),
                gettext_lazy("It comes back in search and lists once the change is published."),
            )
        self.fields["category"].choices = [("", "—")] + [
            (c.code, c.name) for c in Category.objects.order_by("position", "name")
        ]
        self.municipalities = {
            m.istat_code: m for m in Municipality.objects.filter(territory=territory)
        }
        self.fields["municipality"].choices = [("", "—")] + [
            (m.istat_code, m.name) for m in sorted(self.municipalities.values(), key=str)
        ]
        names = language_choices(_spoken_language_codes(territory))
        self.fields["languages"].choices = sorted(names, key=lambda pair: pair[1].casefold())
        self.phones: list[Phone] = []

    def _clean_phone(self, name: str) -> Phone | None:
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        try:
            return parse_phone(text, self.territory.phone_region)
        except ValueError:
            self.add_error(
                name,
                _(
                    "“%(text)s” is not a phone number we can call: write it with its prefix, "
                    "for example 0371 409111 or 333 1234567."
                )
                % {"text": text},
            )
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parsed = [self._clean_phone(name) for name in PHONE_FIELDS]
        self.phones = list(dict.fromkeys(p for p in parsed if p is not None))  # no duplicates
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if self.has_error("latitude") or self.has_error("longitude"):
            pass
        elif (latitude is None) != (longitude is None):
            self.add_error("latitude", _("Give both coordinates, or neither."))
        elif latitude is not None and not self.territory.contains(latitude, longitude):
            if self.territory.contains(longitude, latitude):
                message = _("Latitude and longitude look swapped: the latitude comes first.")
            else:
                message = _(
                    "This place is outside %(territory)s: drag the marker on the map or "
                    "correct the coordinates."
                ) % {"territory": self.territory.area_name or self.territory.name}
            self.add_error("latitude", message)
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("The end date comes before the start date."))
        return data


def _time_text(value: time) -> str:
    return value.strftime("%H:%M")


class HoursRowForm(forms.Form):
    """One opening: a weekday, from, to, and an optional label ("segreteria")."""

    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day"),
        choices=[("", "—"), *sorted(WEEKDAYS.items())],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens = forms.TimeField(
        label=gettext_lazy("Opens at"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M", "%H"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=gettext_lazy("Closes at"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M", "%H"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    label = forms.CharField(
        label=gettext_lazy("Label (optional)"),
        max_length=60,
        required=False,
        widget=AUTO,
        help_text=gettext_lazy("For example “front desk” or “phone only”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("opens") or self.has_error("closes") or self.has_error("weekday"):
            return data
        weekday, opens, closes = data.get("weekday"), data.get("opens"), data.get("closes")
        if weekday is None and opens is None and closes is None:
            if data.get("label"):
                raise forms.ValidationError(_("Give the day and the times of this opening."))
            return data  # an empty row: nothing
        if weekday is None or opens is None or closes is None:
            raise forms.ValidationError(
                _("Give the day, the opening and the closing time, or leave the row empty.")
            )
        if closes <= opens:
            raise forms.ValidationError(
                _(
                    "It closes before it opens: %(opens)s–%(closes)s. An opening past midnight "
                    "is two rows: until 23:59, and from 00:00 the next day."
                )
                % {"opens": _time_text(opens), "closes": _time_text(closes)}
            )
        return data

    def opening(self) -> tuple[int, time, time, str] | None:
        """The row as (weekday, opens, closes, label), or None when empty or removed."""
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("weekday") is None:
            return None
        return data["weekday"], data["opens"], data["closes"], data.get("label", "")


class BaseHoursFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for form in self.forms:
            row = form.opening()  # type: ignore[attr-defined]
            if row is not None:
                by_day[row[0]].append((row[1], row[2]))
        problems = []
        for weekday, spans in sorted(by_day.items()):
            spans.sort()
            # Touching openings (9-12 and 12-14) are one opening, not an overlap.
            for (opens_a, closes_a), (opens_b, closes_b) in pairwise(spans):
                if opens_b < closes_a:
                    problems.append(
                        _(
                            "Two openings overlap on %(day)s: %(first)s and %(second)s. "
                            "Join them in one row or correct the times."
                        )
                        % {
                            "day": WEEKDAYS[weekday],
                            "first": f"{_time_text(opens_a)}–{_time_text(closes_a)}",
                            "second": f"{_time_text(opens_b)}–{_time_text(closes_b)}",
                        }
                    )
        if problems:
            raise forms.ValidationError(problems)

    def openings(self) -> list[tuple[int, time, time, str]]:
        rows = [form.opening() for form in self.forms]  # type: ignore[attr-defined]
        return sorted(row for row in rows if row is not None)


HoursFormSet = forms.formset_factory(
    HoursRowForm,
    formset=BaseHoursFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_HOUR_ROWS,
    absolute_max=MAX_HOUR_ROWS,
    validate_max=True,
)
HOURS_PREFIX = "hours"


def forms_valid(form: ServiceForm, hours: BaseHoursFormSet) -> bool:
    """Both valid, and consistent with each other."""
    valid = form.is_valid() & hours.is_valid()  # both, so that every error is shown at once
    if valid and form.cleaned_data.get("always_open") and hours.openings():
        form.add_error(
            "always_open",
            _("A service always open has no opening times: untick it or empty the table."),
        )
        return False
    return valid


# --- From a snapshot to the form, and back -------------------------------------------------


def initial_from_snapshot(
    data: Snapshot, *, region: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The form's initial values and the rows of the hours table."""
    service = data["service"]
    initial: dict[str, Any] = {name: service.get(name) or "" for name in TEXT_FIELDS}
    initial.update({name: bool(service.get(name)) for name in ACCESS_FLAGS})
    initial.update(
        category=data.get("category") or "",
        free=bool(service.get("free")),
        languages=list(service.get("languages") or []),
        email=service.get("email") or "",
        website=service.get("website") or "",
    )
    for name, (number, short) in zip(PHONE_FIELDS, data.get("phones") or [], strict=False):
        initial[name] = Phone(number=number, is_short_code=short).national(region)
    place = data.get("location") or {}
    initial.update(
        address=place.get("address") or "",
        postcode=place.get("postcode") or "",
        municipality=place.get("municipality") or "",
        latitude=place.get("latitude") or "",
        longitude=place.get("longitude") or "",
    )
    schedule = data.get("schedule") or {}
    initial.update(
        original_text=schedule.get("original_text") or "",
        always_open=bool(schedule.get("always_open")),
        hours_by_appointment=bool(schedule.get("by_appointment")),
        closed_months=list(schedule.get("closed_months") or []),
        valid_from=schedule.get("valid_from") or "",
        valid_to=schedule.get("valid_to") or "",
    )
    rows = [
        {"weekday": weekday, "opens": opens, "closes": closes, "label": label}
        for weekday, opens, closes, label in schedule.get("hours") or []
    ]
    return initial, rows


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(COORDINATE_STEP)


def _place(form: ServiceForm, base: Snapshot | None) -> dict[str, Any] | None:
    """The location, and how sure the map can be of it (as the importer decides it)."""
    data = form.cleaned_data
    municipality = form.municipalities.get(data.get("municipality") or "")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    address, postcode = data.get("address", ""), data.get("postcode", "")
    if not (address or postcode or municipality or latitude is not None):
        return None
    before = (base or {}).get("location") or {}
    untouched = (latitude, longitude) == (
        _decimal(before.get("latitude")),
        _decimal(before.get("longitude")),
    )
    at_centre = latitude is None or (
        untouched and before.get("placement") == Placement.MUNICIPALITY_CENTRE
    )  # no coordinates, or the old centre kept: the centre of the (perhaps new) municipality
    if municipality is not None and (
        at_centre or (latitude, longitude) == (municipality.latitude, municipality.longitude)
    ):
        latitude, longitude = municipality.latitude, municipality.longitude
        placement = Placement.MUNICIPALITY_CENTRE
    elif latitude is None:
        placement = Placement.NONE
    else:
        placement = Placement.EXACT
    return {
        "address": address,
        "postcode": postcode,
        "latitude": None if latitude is None else str(latitude),
        "longitude": None if longitude is None else str(longitude),
        "placement": placement.value,
        "municipality": municipality.istat_code if municipality else None,
    }


def _schedule(form: ServiceForm, hours: BaseHoursFormSet, base: Snapshot | None) -> dict | None:
    data = form.cleaned_data
    openings = hours.openings()
    text = data.get("original_text", "")
    if not (
        openings
        or text
        or data.get("always_open")
        or data.get("hours_by_appointment")
        or data.get("closed_months")
        or data.get("valid_from")
        or data.get("valid_to")
    ):
        return None
    before = (base or {}).get("schedule") or {}
    if text == (before.get("original_text") or ""):
        unparsed = before.get("unparsed_text") or ""
    else:
        # What the words say beyond the table is shown beside it, as for imported hours.
        unparsed = " | ".join(parse_opening_hours(text).unparsed) if text else ""
    return {
        "original_text": text,
        "always_open": bool(data.get("always_open")),
        "by_appointment": bool(data.get("hours_by_appointment")),
        "closed_months": sorted(set(data.get("closed_months") or [])),
        "unparsed_text": unparsed,
        "valid_from": data["valid_from"].isoformat() if data.get("valid_from") else None,
        "valid_to": data["valid_to"].isoformat() if data.get("valid_to") else None,
        "hours": [[w, _time_text(o), _time_text(c), label] for w, o, c, label in openings],
    }


def snapshot_from_forms(
    form: ServiceForm,
    hours: BaseHoursFormSet,
    *,
    organization: Organization,
    base: Snapshot | None = None,
) -> Snapshot:
    """The snapshot the valid forms describe. `base` (the current snapshot) gives what the
    form does not show: the status (unless a closed service is reopened), the parser's
    leftovers, how sure the map position is.
    The verification date becomes today: whoever saves the form has just checked it."""
    data = form.cleaned_data
    before = (base or {}).get("service") or {}
    chosen = set(data.get("languages") or [])
    kept = [code for code in before.get("languages") or [] if code in chosen]
    service: dict[str, Any] = {name: data.get(name, "") for name in TEXT_FIELDS}
    service.update({name: bool(data.get(name)) for name in ACCESS_FLAGS})
    service.update(
        free=bool(data.get("free")),
        # The order the desk gave stays; new languages follow.
        languages=kept + sorted(chosen - set(kept)),
        email=data.get("email", ""),
        website=data.get("website", ""),
        status=ServiceStatus.ACTIVE.value
        if data.get("reopen")
        else before.get("status") or ServiceStatus.ACTIVE.value,
        assured_date=timezone.localdate().isoformat(),
    )
    return {
        "organization_id": organization.pk,
        "category": data["category"],
        "service": service,
        "location": _place(form, base),
        "phones": [[phone.number, phone.is_short_code] for phone in form.phones],
        "schedule": _schedule(form, hours, base),
    }


# --- What the public will read ---------------------------------------------------------------


class _Openings(list):
    """`schedule.hours.all()` for `directory.opening`, over rows that are not saved."""

    def all(self) -> _Openings:
        return self


@dataclass(frozen=True)
class _Opening:
    weekday: int
    opens: time
    closes: time
    label: str


@dataclass(frozen=True)
class _Schedule:
    hours: _Openings
    valid_from: date | None
    valid_to: date | None
    closed_months: list[int]
    always_open: bool
    by_appointment: bool


@dataclass(frozen=True)
class HoursPreview:
    week: list[dict[str, Any]]  # {"name", "intervals": [(opens, closes, label)]}
    always_open: bool
    by_appointment: bool
    closed_months: list[str]
    valid_from: date | None
    valid_to: date | None
    original_text: str
    shows_original_text: bool  # as the public page decides it
    empty: bool


def hours_preview(schedule: dict[str, Any] | None, *, today: date) -> HoursPreview:
    """The week as the public page lays it out (`directory.opening.weekly_table`)."""
    schedule = schedule or {}
    rows = _Openings(
        _Opening(w, time.fromisoformat(o), time.fromisoformat(c), label or "")
        for w, o, c, label in schedule.get("hours") or []
    )
    valid_from, valid_to = schedule.get("valid_from"), schedule.get("valid_to")
    stand_in = _Schedule(
        hours=rows,
        valid_from=date.fromisoformat(valid_from) if valid_from else None,
        valid_to=date.fromisoformat(valid_to) if valid_to else None,
        closed_months=list(schedule.get("closed_months") or []),
        always_open=bool(schedule.get("always_open")),
        by_appointment=bool(schedule.get("by_appointment")),
    )
    days = weekly_table(stand_in, today)  # type: ignore[arg-type]
    text = schedule.get("original_text") or ""
    return HoursPreview(
        week=[{"name": WEEKDAYS[d.weekday], "intervals": d.intervals} for d in days],
        always_open=stand_in.always_open,
        by_appointment=stand_in.by_appointment,
        closed_months=[str(MONTHS[m]) for m in stand_in.closed_months if m in MONTHS],
        valid_from=stand_in.valid_from,
        valid_to=stand_in.valid_to,
        original_text=text,
        shows_original_text=bool(
            text and (schedule.get("unparsed_text") or (not days and not stand_in.always_open))
        ),
        empty=not schedule,
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it closing?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"}),
        help_text=gettext_lazy(
            "For example “the desk moved to Via Roma 5” or “the project ended in June”. "
            "Shown in the history and to the reviewer."
        ),
        error_messages={"required": gettext_lazy("Say why the service is closing.")},
    )
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the service is closing."))
        return reason


class OrganizationForm(forms.Form):
    """What an organisation says of itself on its public page."""

    description = _text(
        gettext_lazy("About the organisation"),
        help_text=gettext_lazy("Who you are and what you do, in a few plain sentences."),
        rows=6,
    )
    website = _website()
    email = _email()

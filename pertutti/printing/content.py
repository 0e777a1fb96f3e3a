"""What a printed page shows of a service, in the reader's language and in Italian.

Printed pieces are read at a desk, so each text carries its Italian original beside it
(`Pair.source`) when the two differ, and a text not yet translated is marked as such
(`Pair.untranslated`) rather than silently shown in Italian.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from pertutti.directory import presentation
from pertutti.directory.models import Placement, Service
from pertutti.directory.opening import weekly_table
from pertutti.directory.selectors import active_services
from pertutti.territories.languages import language_name
from pertutti.territories.localformats import (
    TimeRange,
    long_date,
    month_name,
    time_range,
    weekday_name,
)
from pertutti.territories.models import Territory
from pertutti.translations.selectors import LocalizedText, Localizer

# The texts of a service a printed entry shows, in the order it shows them.
TEXT_FIELDS = (
    "description", "eligibility", "required_documents", "cost", "application_process",
    "accessibility", "languages_note",
)  # fmt: skip

_A_MONDAY = date(2024, 1, 1)


@dataclass(frozen=True)
class Pair:
    """A text in the reader's language and its Italian original."""

    text: str
    lang: str
    source: str  # the Italian, shown beside when it differs from `text`
    source_lang: str
    untranslated: bool  # the reader's language was asked for; this is the Italian

    @property
    def show_source(self) -> bool:
        return bool(self.source) and self.lang != self.source_lang

    def __bool__(self) -> bool:
        return bool(self.text.strip())


@dataclass(frozen=True)
class HoursRow:
    day: str  # in the reader's language
    day_source: str  # in Italian
    ranges: list[tuple[TimeRange, str]]  # (range in the reader's language, label)


@dataclass(frozen=True)
class PrintedService:
    service: Service
    code: str
    name: Pair
    category: Pair
    organization: str
    texts: dict[str, Pair]
    documents: list[str]
    documents_source: list[str]
    address: str
    postcode: str
    municipality: str
    approximate: bool
    latitude: float | None
    longitude: float | None
    hours: list[HoursRow]
    always_open: bool
    by_appointment_only: bool
    hours_note: Pair
    closed_months: list[str]
    phones: list[str]
    email: str
    website: str
    spoken: list[str]  # languages spoken at the desk, named in the reader's language
    access: list[str]
    url: str  # the service page in the reader's language
    verified: str  # the date the information was last verified, in the reader's language
    qr: str = ""  # SVG markup of the QR code to `url` (printing.qr)
    locator: str = ""  # SVG markup of the small locator (printing.locator)

    @property
    def untranslated(self) -> bool:
        return self.name.untranslated or any(p.untranslated for p in self.texts.values())


def printable_services(territory: Territory, codes: Sequence[str]) -> dict[str, Service]:
    """The active services among `codes` (any case), by upper-case code, with everything an
    entry prints loaded in a fixed number of queries."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    rows = services_for_print(territory).filter(code__in=wanted)
    return {service.code: service for service in rows}


def services_for_print(territory: Territory) -> "QuerySet[Service]":
    """The active services, by need, with what an entry prints (a list's plus phones)."""
    return active_services(territory).prefetch_related("phones")


def site_url(language: str, view: str, *args: str) -> str:
    """The absolute address of a public page in `language`, on the site's own address (a
    printed piece is read away from any request)."""
    with translation.override(language):
        path = reverse(view, args=args)
    return settings.PERTUTTI_SITE_URL.rstrip("/") + path


def page_url(language: str, code: str) -> str:
    """The absolute address of a service page, as short as the site's address allows (the
    QR code must scan at 2 cm)."""
    return site_url(language, "public:service", code)


def _pair(localizer: Localizer, obj: object, field: str) -> Pair:
    localized: LocalizedText = localizer.get(obj, field)  # type: ignore[arg-type]
    return Pair(
        text=localized.text,
        lang=localized.lang,
        source=getattr(obj, field) or "",
        source_lang=localizer.source_language,
        untranslated=localized.fallback,
    )


def _hours(service: Service, language: str, source: str) -> list[HoursRow]:
    schedule = getattr(service, "schedule", None)
    rows = []
    for day in weekly_table(schedule, _A_MONDAY):
        if not day.intervals:
            continue
        on = _A_MONDAY + timedelta(days=day.weekday)
        rows.append(
            HoursRow(
                day=weekday_name(on, language),
                day_source=weekday_name(on, source),
                ranges=[(time_range(o, c, language), label) for o, c, label in day.intervals],
            )
        )
    return rows


def printed_services(
    services: Iterable[Service], territory: Territory, language: str
) -> list[PrintedService]:
    """Each service as printed in `language`; `services` come from `services_for_print`."""
    services = list(services)
    source = territory.source_language
    schedules = [getattr(s, "schedule", None) for s in services]
    localizer = Localizer(
        language=language,
        source_language=source,
        objects=[*services, *(s.category for s in services), *schedules],
    )
    with translation.override(language):
        return [_printed(s, territory, language, localizer) for s in services]


def _printed(
    service: Service, territory: Territory, language: str, localizer: Localizer
) -> PrintedService:
    source = territory.source_language
    schedule = getattr(service, "schedule", None)
    texts = {field: _pair(localizer, service, field) for field in TEXT_FIELDS}
    location = next(iter(service.locations.all()), None)
    hours_note = (
        _pair(localizer, schedule, "original_text")
        if schedule is not None and (schedule.unparsed_text or not schedule.hours.all())
        else Pair("", source, "", source, False)
    )
    return PrintedService(
        service=service,
        code=service.code,
        name=_pair(localizer, service, "name"),
        category=_pair(localizer, service.category, "name"),
        organization=service.organization.name,
        texts=texts,
        documents=presentation.documents(texts["required_documents"].text),
        documents_source=presentation.documents(service.required_documents),
        address=location.address if location else "",
        postcode=location.postcode if location else "",
        municipality=location.municipality.name if location and location.municipality else "",
        approximate=location is not None and location.placement != Placement.EXACT,
        latitude=float(location.latitude) if location and location.latitude is not None else None,
        longitude=(
            float(location.longitude) if location and location.longitude is not None else None
        ),
        hours=_hours(service, language, source),
        always_open=bool(schedule and schedule.always_open),
        by_appointment_only=bool(schedule and schedule.by_appointment),
        hours_note=hours_note,
        closed_months=[
            month_name(m, language)
            for m in (schedule.closed_months if schedule else [])
            if 1 <= m <= 12
        ],
        phones=[phone.parsed().national(territory.phone_region) for phone in service.phones.all()],
        email=service.email,
        website=service.website,
        spoken=[language_name(code, language) for code in service.languages],
        access=presentation.access_labels(service),
        url=page_url(language, service.code),
        verified=long_date(service.assured_date, language) if service.assured_date else "",
    )

"""What a page shows of a service, computed once in Python rather than in templates."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pertutti.directory.geo import format_distance
from pertutti.directory.models import Location, Placement, Service
from pertutti.directory.opening import DayHours, OpenStatus
from pertutti.public.templatetags.local_dates import clock, interpolate, ltr_number, weekday_name
from pertutti.search.engine import ServiceResult
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.translations.selectors import LocalizedText, Localizer


@dataclass(frozen=True)
class StatusBadge:
    css: str  # "open", "closed", "appointment", or "" (nothing known)
    label: str
    detail: str  # safe markup


@dataclass(frozen=True)
class ServiceCard:
    service: Service
    name: LocalizedText
    location: Location | None
    status: StatusBadge
    distance: str  # safe markup
    languages: list[tuple[str, str]]
    matched: tuple[str, ...] = ()


def status_badge(status: OpenStatus, now: datetime) -> StatusBadge:
    """The detail is markup: its time is a left-to-right unit inside any script."""
    if status.state == "open":
        detail = ""
        if status.closes_at:
            detail = interpolate(_("until %(time)s"), time=clock(status.closes_at))
        return StatusBadge("open", _("Open now"), detail)
    if status.state == "closed":
        detail = ""
        if status.opens_at:
            time_html = clock(status.opens_at)
            if status.opens_at.date() == now.astimezone(status.opens_at.tzinfo).date():
                detail = interpolate(_("opens at %(time)s"), time=time_html)
            else:
                day = weekday_name(status.opens_at)
                detail = interpolate(_("opens %(day)s at %(time)s"), day=day, time=time_html)
        return StatusBadge("closed", _("Closed now"), detail)
    if status.state == "appointment":
        return StatusBadge("appointment", _("By appointment"), "")
    return StatusBadge("", "", "")


def distance_text(km: float | None) -> str:
    """Markup: the number is a left-to-right unit, the unit word follows the page."""
    if km is None:
        return ""
    unit, value = format_distance(km)
    number = ltr_number(value, decimals=1 if isinstance(value, float) else 0)
    return (
        interpolate(_("%(distance)s m"), distance=number)
        if unit == "m"
        else interpolate(_("%(distance)s km"), distance=number)
    )


def spoken_languages(service: Service) -> list[tuple[str, str]]:
    return language_choices(service.languages)


def month_names(months: list[int]) -> list[str]:
    return [str(MONTHS[m]) for m in months if m in MONTHS]


def week_rows(days: list[DayHours]) -> list[dict[str, Any]]:
    return [
        {"name": WEEKDAYS[d.weekday], "intervals": d.intervals, "is_today": d.is_today}
        for d in days
    ]


def localizer_for(objects: Iterable[Any], territory: Territory) -> Localizer:
    return Localizer(
        language=get_language() or territory.source_language,
        source_language=territory.source_language,
        objects=objects,
    )


def service_card(result: ServiceResult, now: datetime, localizer: Localizer) -> ServiceCard:
    service = result.service
    return ServiceCard(
        service=service,
        name=localizer.get(service, "name"),
        location=next(iter(service.locations.all()), None),
        status=status_badge(result.status, now),
        distance=distance_text(result.distance_km),
        languages=spoken_languages(service),
        matched=result.matched,
    )


def map_marker(card: ServiceCard, *, with_text: bool = True) -> dict[str, Any] | None:
    """A marker for map.js. Without text when the page lists the services anyway:
    map.js reads name, organisation and link from the list (keeps the page light)."""
    location = card.location
    if location is None or location.latitude is None or location.longitude is None:
        return None
    marker: dict[str, Any] = {
        "code": card.service.code,
        "lat": float(location.latitude),
        "lon": float(location.longitude),
        "approx": location.placement != Placement.EXACT,
    }
    if with_text:
        marker.update(
            name=card.name.text,
            org=card.service.organization.name,
            url=reverse("public:service", args=[card.service.code]),
        )
    return marker


def area_marker(
    service: Service, localizer: Localizer, bbox: tuple[float, float, float, float]
) -> dict[str, Any] | None:
    """A compact marker of the map's endpoint: the service's first place inside the area,
    its name in the reader's language (with that language) and its link."""
    south, west, north, east = bbox
    for location in service.locations.all():
        if location.latitude is None or location.longitude is None:
            continue
        lat, lon = float(location.latitude), float(location.longitude)
        if south <= lat <= north and west <= lon <= east:
            name = localizer.get(service, "name")
            return {
                "code": service.code,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "approx": location.placement != Placement.EXACT,
                "name": name.text,
                "lang": name.lang,
                "url": reverse("public:service", args=[service.code]),
            }
    return None

"""Reads for the public pages."""

from datetime import datetime

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404, HttpRequest

from pertutti.directory.models import Location, Organization, Service, ServiceStatus
from pertutti.territories.models import Territory


def current_territory() -> Territory | None:
    return Territory.objects.filter(slug=settings.PERTUTTI_TERRITORY).first()


def request_territory(request: HttpRequest) -> Territory | None:
    """The territory, read once per request (views, caching and the context processor)."""
    if not hasattr(request, "_pertutti_territory"):
        request._pertutti_territory = current_territory()  # type: ignore[attr-defined]
    return request._pertutti_territory  # type: ignore[attr-defined]


def request_territory_or_404(request: HttpRequest) -> Territory:
    territory = request_territory(request)
    if territory is None:
        raise Http404("territory not loaded")  # not_found() shows no message for it
    return territory


def request_last_update(request: HttpRequest) -> datetime | None:
    if not hasattr(request, "_pertutti_last_update"):
        territory = request_territory(request)
        request._pertutti_last_update = last_update(territory) if territory else None  # type: ignore[attr-defined]
    return request._pertutti_last_update  # type: ignore[attr-defined]


_spoken: dict[int, tuple[datetime | None, list[str]]] = {}


def spoken_language_codes(territory: Territory, *, as_of: datetime | None) -> list[str]:
    """Every language spoken at some desk, for the filter's choices. Reading it means
    reading every service (200 ms at 50,000), so a process keeps it until the data change
    (`as_of`: the last change of a service, which every page knows already)."""
    cached = _spoken.get(territory.pk)
    if cached is not None and as_of is not None and cached[0] == as_of:
        return cached[1]
    rows = Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
    codes = sorted({code for codes in rows.values_list("languages", flat=True) for code in codes})
    _spoken[territory.pk] = (as_of, codes)
    return codes


def shows_sample_data(territory: Territory) -> bool:
    return Service.objects.filter(
        territory=territory, status=ServiceStatus.ACTIVE, sample_data=True
    ).exists()


def last_update(territory: Territory) -> datetime | None:
    """When the data shown last changed: drives Last-Modified and the footer."""
    return Service.objects.filter(territory=territory).aggregate(Max("updated_at"))[
        "updated_at__max"
    ]


def active_services(territory: Territory) -> QuerySet[Service]:
    """Active services with what a list shows, in a fixed number of queries."""
    return (
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .select_related("organization", "category", "schedule")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
            "schedule__hours",
        )
        .order_by("category__position", "name", "code")
    )


def service_detail(territory: Territory, code: str) -> Service | None:
    return active_services(territory).prefetch_related("phones").filter(code=code.upper()).first()


def organization_detail(territory: Territory, pk: int) -> Organization | None:
    return Organization.objects.filter(territory=territory, pk=pk).first()

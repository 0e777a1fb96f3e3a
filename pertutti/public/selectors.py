"""Reads for the public pages only (shared reads live in territories and directory)."""

from datetime import datetime

from django.http import HttpRequest

from pertutti.directory.models import Service, ServiceStatus
from pertutti.directory.selectors import last_update
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory


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
    return (
        territory.sample_data
        or Service.objects.filter(
            territory=territory, status=ServiceStatus.ACTIVE, sample_data=True
        ).exists()
    )

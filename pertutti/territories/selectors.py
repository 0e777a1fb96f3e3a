"""Reads of territories: the one this deployment serves, once per request."""

from django.conf import settings
from django.http import Http404, HttpRequest

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

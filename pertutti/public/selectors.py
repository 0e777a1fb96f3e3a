"""Reads for the public pages."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from pertutti.directory.models import Location, Service, ServiceStatus
from pertutti.territories.models import Territory


def current_territory() -> Territory | None:
    return Territory.objects.filter(slug=settings.PERTUTTI_TERRITORY).first()


def shows_sample_data(territory: Territory) -> bool:
    return Service.objects.filter(
        territory=territory, status=ServiceStatus.ACTIVE, sample_data=True
    ).exists()


def active_services(territory: Territory) -> QuerySet[Service]:
    """Active services with what a list shows, in a fixed number of queries."""
    return (
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .select_related("organization", "category")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.select_related("municipality"))
        )
        .order_by("category__position", "name", "code")
    )

"""The one search function of the public pages.

A simple word search over the Italian text: every word of the query must occur
(case and accents ignored) in the service's name, organisation, description,
eligibility, category or municipality. The multilingual engine replaces this
module behind the same `search_services` signature.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from pertutti.directory.geo import distance_km
from pertutti.directory.models import Service
from pertutti.directory.opening import OpenStatus, open_status
from pertutti.public.selectors import active_services
from pertutti.search.filters import ServiceFilters
from pertutti.territories.models import Territory


@dataclass(frozen=True)
class ServiceResult:
    service: Service
    status: OpenStatus
    distance_km: float | None
    score: int


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(query: str) -> list[str]:
    return [w for w in (fold(part.strip(".,;:!?\"'()[]{}*")) for part in query.split()) if w]


def _score(service: Service, words: list[str]) -> int:
    """0 when a word is missing anywhere; words in the name count more."""
    name = fold(service.name)
    other = fold(
        " ".join(
            [
                service.organization.name,
                service.description,
                service.eligibility,
                service.category.name,
                *(loc.municipality.name for loc in service.locations.all() if loc.municipality),
            ]
        )
    )
    score = 0
    for word in words:
        if word in name:
            score += 3
        elif word in other:
            score += 1
        else:
            return 0
    return score


def search_services(
    territory: Territory, filters: ServiceFilters, now: datetime
) -> list[ServiceResult]:
    services = active_services(territory)
    if filters.categories:
        services = services.filter(category__code__in=filters.categories)
    if filters.municipality:
        services = services.filter(locations__municipality__istat_code=filters.municipality)
    if filters.free:
        services = services.filter(free=True)
    if filters.walk_in:
        services = services.filter(walk_in=True)
    words = _words(filters.query)
    results = []
    for service in services.distinct():
        if filters.language and filters.language not in service.languages:
            continue  # JSON containment is not portable to SQLite; the list is small here
        score = _score(service, words) if words else 1
        if not score:
            continue
        status = open_status(getattr(service, "schedule", None), now, territory.time_zone)
        if filters.open_now and not status.is_open():
            continue
        distance = None
        location = next(iter(service.locations.all()), None)
        if filters.position and location and location.latitude is not None:
            distance = distance_km(*filters.position, location.latitude, location.longitude)
        results.append(ServiceResult(service, status, distance, score))
    if filters.sort == "distance":
        results.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0, r.service.name))
    elif words:
        results.sort(key=lambda r: -r.score)  # stable: keeps category order among equals
    return results

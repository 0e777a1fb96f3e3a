"""The one search function of the public pages and the API.

A query is ranked by `ranking.rank` (lexical + semantic, any language); structured filters
(category, municipality, free, walk-in) narrow the candidates in the database; open now,
language spoken at the desk and the radius are checked on the services themselves.
Without a query the list is browsed in category order.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import get_language

from pertutti.directory.geo import BBox, distance_km
from pertutti.directory.models import Location, Service, ServiceStatus
from pertutti.directory.opening import OpenStatus, open_status
from pertutti.directory.selectors import active_services
from pertutti.search.explain import explanations
from pertutti.search.filters import ServiceFilters
from pertutti.search.index import loaded_index
from pertutti.search.ranking import Ranking, rank
from pertutti.search.usage import usage_zero_result
from pertutti.territories.models import Territory


@dataclass(frozen=True)
class ServiceResult:
    service: Service
    status: OpenStatus
    distance_km: float | None
    score: int
    matched: tuple[str, ...] = field(default=())


@dataclass
class SearchOutcome:
    results: list[ServiceResult]
    ranking: Ranking | None
    total: int = 0  # matches in all, when `results` is only a window of them
    # Services that may help without matching (first page only): shown apart, never counted.
    related: list[ServiceResult] = field(default_factory=list)

    def close_matches(self, territory: Territory) -> list[Service]:
        if not self.ranking or not self.ranking.close:
            return []
        found = active_services(territory).in_bulk(self.ranking.close)
        return [found[pk] for pk in self.ranking.close if pk in found]


# Pages past it would overflow the database's OFFSET (pages and the API refuse them).
MAX_PAGE = 100_000
# Filters that need each service's own data (schedule, languages, position): with them,
# candidates are checked one by one, at most this many.
MAX_CHECKED = 2000
EXPLAINED = 60  # results that get a "matches" line: a page of cards (the map needs none)


def _narrowed(
    territory: Territory, filters: ServiceFilters, bbox: BBox | None = None
) -> QuerySet[Service] | None:
    """Candidates by the filters the database can answer; None when there are none."""
    if not (filters.categories or filters.municipality or filters.free or filters.walk_in or bbox):
        return None
    services = Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
    if filters.categories:
        services = services.filter(category__code__in=filters.categories)
    if filters.municipality:
        services = services.filter(locations__municipality__istat_code=filters.municipality)
    if filters.free:
        services = services.filter(free=True)
    if filters.walk_in:
        services = services.filter(walk_in=True)
    if bbox is not None:
        south, west, north, east = bbox
        inside = Location.objects.filter(
            latitude__range=(south, north), longitude__range=(west, east)
        )  # a subquery, not a join: a service with two places inside is listed once
        services = services.filter(pk__in=inside.values("service_id"))
    return services


def _checked(
    territory: Territory,
    filters: ServiceFilters,
    now: datetime,
    ordered: list[int],
    related: Sequence[int] = (),
) -> tuple[list[ServiceResult], list[ServiceResult]]:
    """The services in order and the related ones, loaded together (one query and its
    prefetches), with those that fail the filters checked on each service (open now,
    language at the desk, radius) left out."""
    objects = active_services(territory).in_bulk([*ordered, *related])

    def checked(ids: Sequence[int]) -> list[ServiceResult]:
        results = []
        for position, pk in enumerate(ids):
            service = objects.get(pk)
            if service is None:
                continue
            if filters.language and filters.language not in service.languages:
                continue  # JSON containment is not portable to SQLite; checked here
            location = next(iter(service.locations.all()), None)
            distance = None
            if filters.position and location and location.latitude is not None:
                distance = distance_km(*filters.position, location.latitude, location.longitude)
                if filters.radius_km is not None and distance > filters.radius_km:
                    continue
            status = open_status(getattr(service, "schedule", None), now, territory.time_zone)
            if filters.open_now and not status.is_open():
                continue
            results.append(ServiceResult(service, status, distance, len(ids) - position))
        return results

    return checked(ordered), checked(related)


def search(
    territory: Territory,
    filters: ServiceFilters,
    now: datetime,
    *,
    ui_language: str | None = None,
    record_zero: bool = True,
    window: tuple[int, int] | None = None,
    bbox: BBox | None = None,
    cards: bool = True,
    related: bool = True,
) -> SearchOutcome:
    """Ranked results; with `window=(offset, limit)` only that slice is loaded from the
    database (a territory may have tens of thousands of services); with `bbox` only
    services placed in that area (the map's visible part). `cards=False` when the results
    are not shown as cards (the map's markers): no "matches" line, no related services;
    `related=False` when the caller shows no related services (the API): none loaded."""
    ui_language = ui_language or get_language() or territory.source_language
    ranking = None
    narrowed = _narrowed(territory, filters, bbox)
    checked = bool(
        filters.open_now or filters.language or filters.position or filters.sort == "distance"
    )
    ordered: list[int] | QuerySet[Service, int]
    related_ids: list[int] = []
    if filters.query:
        ranking = rank(
            loaded_index(territory),
            filters.query,
            ui_language=ui_language,
            source_language=territory.source_language,
        )
        if ranking.unmet and record_zero:
            # Counted in memory, written in batches (search.usage): a search never writes.
            # Results that are only the nearest meanings meet no need the report can trust.
            usage_zero_result(
                territory_id=territory.pk, language=ranking.language, text=filters.query
            )
        ordered = ranking.service_ids
        # Weakly related services, on the first page only.
        first_page = window is None or window[0] == 0
        related_ids = ranking.related if cards and related and first_page else []
        if narrowed is not None:
            allowed = set(narrowed.values_list("pk", flat=True))
            ordered = [pk for pk in ordered if pk in allowed]
            related_ids = [pk for pk in related_ids if pk in allowed]
    else:
        browse = (
            narrowed
            if narrowed is not None
            else Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        )
        ordered = browse.order_by("category__position", "name", "code").values_list("pk", flat=True)
    total = None  # known here when only a window is loaded; else counted after the checks
    if checked:
        ordered = list(ordered[:MAX_CHECKED])
    elif window is not None:
        # Browsing, the database counts and slices: no list of every service.
        offset, limit = window
        total = ordered.count() if isinstance(ordered, QuerySet) else len(ordered)
        ordered = list(ordered[offset : offset + limit])
    else:
        ordered = list(ordered)
    results, related = _checked(territory, filters, now, ordered, related_ids)
    if filters.sort == "distance":
        results.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0))
    if total is None:
        total = len(results)
        if window is not None:
            results = results[window[0] : window[0] + window[1]]
    if ranking is not None and cards:
        shown = explanations(
            ranking,
            [r.service.pk for r in results[:EXPLAINED]],
            ui_language=ui_language,
            source_language=territory.source_language,
        )
        results = [replace(r, matched=shown.get(r.service.pk, ())) for r in results]
    return SearchOutcome(results, ranking, total, related)

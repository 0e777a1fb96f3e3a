"""Reads of the directory shared by the public site, search, the back office and the API."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from pertutti.directory.models import Location, Organization, Service, ServiceStatus
from pertutti.territories.models import Territory


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


# --- The back office: organisations, their editors, services due for verification ---------
#
# Editors are people (accounts) who hold the editor role in the territory and belong to the
# organisation. accounts sits above directory, so these reads follow its relations by name
# (Organization.memberships, user.role_assignments) instead of importing its models.
EDITOR_ROLE = "editor"  # accounts.models.Role.EDITOR (tests check they agree)
VERIFICATION_INTERVAL = timedelta(days=365)


@dataclass(frozen=True)
class Editor:
    user_id: int
    name: str


@dataclass(frozen=True)
class OrganizationRow:
    organization: Organization
    active_services: int
    editors: list[Editor]


def _editor_links(territory: Territory) -> dict[str, object]:
    """Filter arguments of Organization for "has this active person as an editor"; in one
    `filter()` call so that they apply to the same membership and the same role row."""
    return {
        "memberships__user__is_active": True,
        "memberships__user__role_assignments__territory": territory,
        "memberships__user__role_assignments__role": EDITOR_ROLE,
    }


def organization_editors(
    territory: Territory, organization_ids: list[int]
) -> dict[int, list[Editor]]:
    """The active editors of each organisation, by name: one query for any number of them."""
    rows = (
        Organization.objects.filter(
            territory=territory, pk__in=organization_ids, **_editor_links(territory)
        )
        .values_list(
            "pk",
            "memberships__user_id",
            "memberships__user__username",
            "memberships__user__first_name",
            "memberships__user__last_name",
        )
        .distinct()
    )
    editors: dict[int, list[Editor]] = {pk: [] for pk in organization_ids}
    for pk, user_id, username, first, last in rows:
        editors[pk].append(Editor(user_id, f"{first} {last}".strip() or username))
    for names in editors.values():
        names.sort(key=lambda e: e.name.casefold())
    return editors


def organizations_overview(
    territory: Territory, *, only_ids: Iterable[int] | None = None
) -> list[OrganizationRow]:
    """The territory's organisations (or only `only_ids`, an editor's own) with their number
    of active services and their editors, in two queries however many there are."""
    # With their territory: permission checks per row ask for it.
    organizations = (
        Organization.objects.filter(territory=territory)
        .select_related("territory")
        .annotate(active_count=Count("services", filter=Q(services__status=ServiceStatus.ACTIVE)))
    )
    if only_ids is not None:
        organizations = organizations.filter(pk__in=list(only_ids))
    organizations = list(organizations.order_by("name", "pk"))
    editors = organization_editors(territory, [o.pk for o in organizations])
    return [
        OrganizationRow(o, o.active_count, editors[o.pk])  # type: ignore[attr-defined]
        for o in organizations
    ]


def organization_services(organization: Organization) -> QuerySet[Service]:
    """Every service of an organisation, active or not, for its back-office page."""
    return Service.objects.filter(organization=organization).order_by("code")


def organizations_without_editor(territory: Territory) -> QuerySet[Organization]:
    """Organisations nobody can keep up to date: no active person with the editor role."""
    with_editor = Organization.objects.filter(territory=territory, **_editor_links(territory))
    return Organization.objects.filter(territory=territory).exclude(pk__in=with_editor.values("pk"))


def services_to_verify(
    territory: Territory, *, today: date, organization_ids: Iterable[int] | None = None
) -> QuerySet[Service]:
    """Active services never verified, or last verified more than a year before `today`:
    never verified first, then the oldest."""
    services = Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE).filter(
        Q(assured_date__isnull=True) | Q(assured_date__lt=today - VERIFICATION_INTERVAL)
    )
    if organization_ids is not None:
        services = services.filter(organization_id__in=list(organization_ids))
    return services.select_related("organization").order_by(
        F("assured_date").asc(nulls_first=True), "code"
    )


def directory_counts(territory: Territory) -> dict[str, int]:
    """The read-only summary of the back office: active services and organisations."""
    return {
        "active_services": Service.objects.filter(
            territory=territory, status=ServiceStatus.ACTIVE
        ).count(),
        "organizations": Organization.objects.filter(territory=territory).count(),
    }


def closed_service(territory: Territory, code: str) -> Service | None:
    """A service that was closed: its page says so instead of answering "not found"."""
    return (
        Service.objects.filter(territory=territory, code=code.upper())
        .exclude(status=ServiceStatus.ACTIVE)
        .select_related("category", "organization")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.select_related("municipality"))
        )
        .first()
    )


def similar_services(service: Service, *, limit: int = 5) -> list[Service]:
    """Active services of the same kind, those in the same municipality first."""
    location = next(iter(service.locations.all()), None)
    same_kind = active_services(service.territory).filter(category=service.category)
    if location is None or location.municipality_id is None:
        return list(same_kind[:limit])
    nearby = list(same_kind.filter(locations__municipality_id=location.municipality_id)[:limit])
    others = same_kind.exclude(pk__in=[s.pk for s in nearby])[: limit - len(nearby)]
    return nearby + list(others)

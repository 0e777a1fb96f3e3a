"""Back office: organisations, with their services and editors (thin views over directory reads)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.decorators import staff_view
from pertutti.directory.models import OrganizationKind
from pertutti.directory.selectors import (
    organization_detail,
    organization_editors,
    organization_services,
    organizations_overview,
)
from pertutti.territories.selectors import request_territory_or_404

# The model's labels are English data descriptions; these are what staff read.
KIND_LABELS = {
    OrganizationKind.PUBLIC_BODY: _("Public body"),
    OrganizationKind.HEALTH_AUTHORITY: _("Health authority"),
    OrganizationKind.POLICE: _("Police"),
    OrganizationKind.SCHOOL: _("School"),
    OrganizationKind.MUNICIPALITY: _("Municipality or social district"),
    OrganizationKind.THIRD_SECTOR: _("Third sector"),
    OrganizationKind.RELIGIOUS_BODY: _("Religious body"),
    OrganizationKind.TRADE_UNION: _("Trade union or patronato"),
    OrganizationKind.PROFESSIONAL_BODY: _("Professional body"),
    OrganizationKind.EMERGENCY_SERVICE: _("Emergency service"),
    OrganizationKind.OTHER: _("Other"),
}


@staff_view("directory.view_organizations")
def organizations(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    # The staff roles see every organisation of the territory, an editor only their own:
    # the same rule as the detail page, asked per row (grants are read once per request).
    rows = [
        (row, KIND_LABELS.get(row.organization.kind, row.organization.kind))
        for row in organizations_overview(territory)
        if request.user.has_perm("directory.view_organization", row.organization)
    ]
    return render(request, "manage/organizations.html", {"rows": rows})


@staff_view("directory.view_organizations")
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    found = organization_detail(territory, pk)
    if found is None:  # another territory's, or none at all
        raise Http404
    if not request.user.has_perm("directory.view_organization", found):
        raise PermissionDenied
    context = {
        "organization": found,
        "kind": KIND_LABELS.get(found.kind, found.kind),
        "services": organization_services(found),
        "editors": organization_editors(territory, [found.pk])[found.pk],
    }
    return render(request, "manage/organization.html", context)


urlpatterns = [
    path("organizations/", organizations, name="organizations"),
    path("organizations/<int:pk>/", organization, name="organization"),
]

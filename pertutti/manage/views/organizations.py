"""Back office: organisations, with their services and editors (thin views over directory reads)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pertutti.accounts.decorators import staff_view
from pertutti.directory.models import OrganizationKind
from pertutti.directory.selectors import (
    organization_detail,
    organization_editors,
    organization_services,
    organizations_overview,
)
from pertutti.editorial.trust import organization_set_trusted
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
        "may_mark_trusted": request.user.has_perm("directory.mark_trusted", territory),
        "may_change": request.user.has_perm("directory.change_organization", found),
        "may_add_service": request.user.has_perm("directory.change_service", found),
    }
    return render(request, "manage/organization.html", context)


@staff_view("directory.mark_trusted")
@require_POST
def organization_trust(request: HttpRequest, pk: int) -> HttpResponse:
    """Trusted or not: its editors' changes are published without review."""
    found = organization_detail(request_territory_or_404(request), pk)
    if found is None:
        raise Http404
    trusted = request.POST.get("trusted")
    if trusted not in ("1", "0"):
        messages.error(request, gettext("Choose whether the organisation is trusted."))
        return redirect("manage:organization", pk=found.pk)
    organization_set_trusted(organization=found, trusted=trusted == "1", actor=request.user)
    messages.success(
        request,
        gettext("Trusted: its editors' changes are published without review.")
        if found.trusted
        else gettext("Not trusted: its editors' changes wait for a reviewer."),
    )
    return redirect("manage:organization", pk=found.pk)


urlpatterns = [
    path("organizations/", organizations, name="organizations"),
    path("organizations/<int:pk>/", organization, name="organization"),
    path("organizations/<int:pk>/trust/", organization_trust, name="organization_trust"),
]

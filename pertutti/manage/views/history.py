"""Back office: one service — its summary, "still correct", its history, a version and its
restore (thin views; the work is in the editorial services).

A service of another territory is not found (404); a person who may not see its history (an
editor of another organisation, a translator) is refused (403). Confirming and restoring are
POSTs that carry the version the page showed: if the service changed since, nothing is
written and the page says so.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pertutti.accounts.decorators import staff_view
from pertutti.directory.models import Location, Service, ServiceStatus
from pertutti.editorial.diff import snapshot_diff
from pertutti.editorial.freshness import is_out_of_date
from pertutti.editorial.models import ServiceVersion
from pertutti.editorial.services import StaleEdit, service_restore, service_verify
from pertutti.territories.selectors import request_territory_or_404


def _service_or_404(request: HttpRequest, code: str) -> Service:
    """The territory's service with this code, active or closed; refused without the right
    to see its history."""
    service = (
        Service.objects.filter(territory=request_territory_or_404(request), code=code.upper())
        .select_related("organization", "category", "territory")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
            "phones",
        )
        .first()
    )
    if service is None:
        raise Http404
    if not request.user.has_perm("editorial.view_history", service):
        raise PermissionDenied
    return service


def _link(name: str, service: Service) -> str:
    """A page another part of the back office provides, if it is there."""
    try:
        return reverse(name, kwargs={"code": service.code})
    except NoReverseMatch:
        return ""


def _posted_version(request: HttpRequest) -> int:
    """The version the page showed; a missing or garbled one never matches (refused)."""
    try:
        return int(request.POST.get("base_version", ""))
    except ValueError:
        return -1


def _author(version: ServiceVersion) -> str:
    if version.author is not None:
        return version.author.get_full_name() or version.author.get_username()
    return version.author_name


@staff_view("manage.access")
@require_GET
def service_overview(request: HttpRequest, code: str) -> HttpResponse:
    service = _service_or_404(request, code)
    versions = list(service.versions.select_related("author"))
    today = timezone.localdate()
    context: dict[str, Any] = {
        "service": service,
        "location": next(iter(service.locations.all()), None),
        "phones": list(service.phones.all()),
        "active": service.status == ServiceStatus.ACTIVE,
        "out_of_date": is_out_of_date(service.assured_date, today),
        "versions": [(version, _author(version)) for version in versions],
        "may_change": request.user.has_perm("directory.change_service", service),
        "edit_link": _link("manage:service_edit", service),
        "close_link": _link("manage:service_close", service),
    }
    return render(request, "manage/service.html", context)


@staff_view("manage.access")
@require_POST
def service_verify_view(request: HttpRequest, code: str) -> HttpResponse:
    service = _service_or_404(request, code)
    if not request.user.has_perm("directory.change_service", service):
        raise PermissionDenied
    try:
        service_verify(service=service, author=request.user, base_version=_posted_version(request))
    except StaleEdit:
        messages.error(
            request,
            _(
                "The service changed after this page was opened: nothing was confirmed. "
                "Check the information as it is now, then confirm again."
            ),
        )
    else:
        messages.success(request, _("Thank you: the information is confirmed as still correct."))
    return redirect("manage:service", code=service.code)


@staff_view("manage.access")
@require_GET
def service_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    service = _service_or_404(request, code)
    version = service.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    previous = service.versions.filter(number__lt=number).order_by("-number").first()
    context: dict[str, Any] = {
        "service": service,
        "version": version,
        "author": _author(version),
        "previous": previous,
        # Every field with a value, then what this version changed from the one before.
        "fields": snapshot_diff(None, version.data),
        "changes": snapshot_diff(previous.data, version.data) if previous else None,
        "is_current": version.number == service.version,
        "may_restore": request.user.has_perm("editorial.restore", service),
    }
    return render(request, "manage/service_version.html", context)


@staff_view("manage.access")
@require_POST
def service_restore_view(request: HttpRequest, code: str, number: int) -> HttpResponse:
    service = _service_or_404(request, code)
    if not request.user.has_perm("editorial.restore", service):
        raise PermissionDenied
    version = service.versions.filter(number=number).first()
    if version is None:
        raise Http404
    back = redirect("manage:service_version", code=service.code, number=number)
    if version.number == service.version:
        messages.error(request, _("This is already the current version: nothing was restored."))
        return back
    try:
        # The version the page was opened at: a restore from a stale page is refused.
        restored = service_restore(
            service=service,
            version=version,
            author=request.user,
            base_version=_posted_version(request),
        )
    except StaleEdit:
        messages.error(
            request,
            _(
                "The service changed after this page was opened: nothing was restored. "
                "Look at its history again before restoring."
            ),
        )
        return back
    messages.success(
        request,
        _("Version %(old)s restored: it is now published as version %(new)s.")
        % {"old": version.number, "new": restored.number},
    )
    return redirect("manage:service", code=service.code)


urlpatterns = [
    path("services/<str:code>/", service_overview, name="service"),
    path("services/<str:code>/verify/", service_verify_view, name="service_verify"),
    path("services/<str:code>/versions/<int:number>/", service_version, name="service_version"),
    path(
        "services/<str:code>/versions/<int:number>/restore/",
        service_restore_view,
        name="service_restore",
    ),
]

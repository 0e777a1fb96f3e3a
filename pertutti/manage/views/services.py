"""Back office: changing a service, proposing a new one, closing one, and the organisation's
own page (thin views: the forms are in editorial.forms, the writes in editorial's services).

Every change goes through `revision_submit`: it is published at once for those who may
publish directly (administrators, editors of a trusted organisation) and otherwise waits
for a reviewer while the public keeps the published version.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pertutti.accounts.decorators import staff_view
from pertutti.directory.models import Organization, Service, ServiceStatus
from pertutti.directory.selectors import organization_detail
from pertutti.directory.snapshots import Snapshot, service_snapshot
from pertutti.editorial.diff import snapshot_diff
from pertutti.editorial.forms import (
    HOURS_PREFIX,
    MAX_HOUR_ROWS,
    CloseForm,
    HoursFormSet,
    HoursPreview,
    OrganizationForm,
    ServiceForm,
    forms_valid,
    hours_preview,
    initial_from_snapshot,
    snapshot_from_forms,
)
from pertutti.editorial.models import RevisionStatus, ServiceRevision, ServiceVersion
from pertutti.editorial.organizations import organization_update
from pertutti.editorial.services import (
    EditorialError,
    StaleEdit,
    revision_approve,
    revision_submit,
)
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404

ROOM = 2  # empty rows the hours table offers after a preview, for one more opening without JS


def _service_or_404(territory: Territory, code: str) -> Service:
    """Any service of the territory, closed ones included (they can be reopened by an edit)."""
    service = (
        Service.objects.select_related("organization", "category")
        .filter(territory=territory, code=code.upper())
        .first()
    )
    if service is None:  # another territory's, or none at all
        raise Http404
    return service


def _organization_or_404(territory: Territory, pk: int) -> Organization:
    organization = organization_detail(territory, pk)
    if organization is None:
        raise Http404
    return organization


def _refuse_other_organization(request: HttpRequest, organization: Organization) -> None:
    """The forms never carry an organisation (the URL names it): one posted anyway is a
    tampered form, refused whole rather than quietly ignored."""
    for key in ("organization", "organization_id"):
        if key in request.POST and request.POST[key] != str(organization.pk):
            raise PermissionDenied


def _under_review(request: HttpRequest, service: Service, pk: Any) -> ServiceRevision | None:
    """The pending revision of this service a reviewer corrects ("edit and approve"), or None
    when none is asked for; anything else asked for is not found or not allowed."""
    if pk in (None, ""):
        return None
    if not request.user.has_perm("editorial.review", service.territory):
        raise PermissionDenied
    try:
        return ServiceRevision.objects.select_related("author").get(
            pk=int(pk), service=service, status=RevisionStatus.PENDING
        )
    except (ValueError, ServiceRevision.DoesNotExist):
        raise Http404 from None


def _pending(service: Service) -> list[ServiceRevision]:
    return list(
        ServiceRevision.objects.filter(service=service, status=RevisionStatus.PENDING)
        .select_related("author")
        .order_by("-created_at")
    )


def _with_room(post: QueryDict) -> QueryDict:
    """The posted form with ROOM empty rows of hours at the end: without JavaScript, a
    preview is how one gets a new row."""
    data = post.copy()
    key = f"{HOURS_PREFIX}-TOTAL_FORMS"
    try:
        total = min(int(data.get(key, "0")), MAX_HOUR_ROWS)
    except ValueError:
        return data  # the formset reports the broken management form
    names = ("weekday", "opens", "closes", "label")
    empty = 0
    for index in range(total - 1, -1, -1):
        if any(data.get(f"{HOURS_PREFIX}-{index}-{name}", "").strip() for name in names):
            break
        empty += 1
    data[key] = str(min(total + max(ROOM - empty, 0), MAX_HOUR_ROWS))
    return data


def _map(territory: Territory) -> dict[str, Any]:
    return {
        "tiles": settings.PERTUTTI_TILE_URL,
        "attribution": settings.PERTUTTI_TILE_ATTRIBUTION,
        "lat": territory.map_centre_latitude,
        "lon": territory.map_centre_longitude,
        "zoom": territory.map_zoom,
        "south": territory.bound_south,
        "west": territory.bound_west,
        "north": territory.bound_north,
        "east": territory.bound_east,
    }


def _render_form(
    request: HttpRequest,
    template: str,
    *,
    territory: Territory,
    organization: Organization,
    form: ServiceForm,
    hours: Any,
    preview: HoursPreview | None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "organization": organization,
        "form": form,
        "hours": hours,
        "preview": preview,
        "map": _map(territory),
        "publishes": request.user.has_perm("editorial.publish_directly", organization),
        **extra,
    }
    return render(request, template, context)


def _submitted_message(request: HttpRequest, revision: ServiceRevision, *, new: bool) -> None:
    if revision.status == RevisionStatus.APPROVED:
        messages.success(request, _("Published"))
    elif new:
        messages.info(
            request,
            _(
                "Sent for review: the service appears on the public site once a reviewer "
                "approves it."
            ),
        )
    else:
        messages.info(
            request,
            _("Sent for review: the public sees the current version until a reviewer approves."),
        )


@staff_view("manage.access")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    service = _service_or_404(territory, code)
    if not request.user.has_perm("directory.change_service", service):
        raise PermissionDenied
    organization = service.organization
    base = service_snapshot(service)
    pending = _pending(service)
    today = timezone.localdate()
    page = {"territory": territory, "organization": organization}
    extra = {"service": service, "pending": pending}
    closed = service.status == ServiceStatus.INACTIVE
    if request.method != "POST":
        under_review = _under_review(request, service, request.GET.get("revision"))
        # One's own change waiting for review is where one left off, if nothing was
        # published since (otherwise it would undo that change: start from what is public)
        # and it is not a closing (this form does not close).
        own = next(
            (
                r
                for r in pending
                if r.author_id == request.user.pk
                and r.base_version == service.version
                and r.data["service"].get("status") == service.status
            ),
            None,
        )
        start: Snapshot = own.data if own is not None else base
        if under_review is not None:
            start = under_review.data
        initial, rows = initial_from_snapshot(start, region=territory.phone_region)
        initial["base_version"] = service.version
        if under_review is not None:
            initial["base_version"] = under_review.base_version
            initial["revision"] = under_review.pk
            extra["under_review"] = under_review
        form = ServiceForm(initial=initial, territory=territory, closed=closed)
        hours = HoursFormSet(initial=rows, prefix=HOURS_PREFIX)
        preview = hours_preview(start.get("schedule"), today=today)
        return _render_form(
            request, "manage/service_edit.html", **page, form=form, hours=hours,
            preview=preview, own_pending=own, **extra,
        )  # fmt: skip

    _refuse_other_organization(request, organization)
    previewing = "preview" in request.POST
    data = _with_room(request.POST) if previewing else request.POST
    form = ServiceForm(data, territory=territory, closed=closed)
    hours = HoursFormSet(data, prefix=HOURS_PREFIX)
    if not forms_valid(form, hours):
        return _render_form(
            request, "manage/service_edit.html", **page, form=form, hours=hours, preview=None,
            **extra,
        )  # fmt: skip
    snapshot = snapshot_from_forms(form, hours, organization=organization, base=base)
    if previewing:
        return _render_form(
            request, "manage/service_edit.html", **page, form=form, hours=hours,
            preview=hours_preview(snapshot["schedule"], today=today), previewing=True, **extra,
        )  # fmt: skip
    under_review = _under_review(request, service, form.cleaned_data.get("revision"))
    try:
        if under_review is not None:
            # The editor's change as the reviewer corrected it, published as one version.
            revision_approve(
                revision=under_review,
                reviewer=request.user,
                data=snapshot,
                comment=form.cleaned_data["note"],
            )
            messages.success(request, _("The change was published with your corrections."))
            return redirect("manage:review", pk=under_review.pk)
        revision = revision_submit(
            organization=organization,
            service=service,
            data=snapshot,
            author=request.user,
            base_version=form.cleaned_data["base_version"],
            note=form.cleaned_data["note"],
            minor=form.cleaned_data["minor"],
            publish=request.user.has_perm("editorial.publish_directly", organization),
        )
    except StaleEdit as refused:
        # Their input stays; the form now stands on the current version, so saving again
        # (having seen the other change) is a deliberate choice, not an accident.
        current = refused.current
        again = request.POST.copy()
        again["base_version"] = str(current.version)
        form = ServiceForm(again, territory=territory, closed=closed)
        hours = HoursFormSet(again, prefix=HOURS_PREFIX)
        forms_valid(form, hours)
        published = service_snapshot(current)
        # The date of verification is not theirs to reconcile: left out of the comparison.
        theirs = {**snapshot, "service": {**snapshot["service"]}}
        theirs["service"]["assured_date"] = published["service"]["assured_date"]
        return _render_form(
            request, "manage/service_edit.html", **page, form=form, hours=hours,
            preview=hours_preview(snapshot["schedule"], today=today),
            stale=snapshot_diff(published, theirs),
            latest=ServiceVersion.objects.filter(service=current).order_by("-number").first(),
            **extra,
        )  # fmt: skip
    except EditorialError as refused:  # the change was decided meanwhile by someone else
        messages.error(request, str(refused))
        return redirect("manage:reviews")
    _submitted_message(request, revision, new=False)
    return redirect("manage:organization", pk=organization.pk)


@staff_view("manage.access")
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    organization = _organization_or_404(territory, pk)
    if not request.user.has_perm("directory.change_service", organization):
        raise PermissionDenied
    page = {"territory": territory, "organization": organization}
    if request.method != "POST":
        form = ServiceForm(territory=territory, new=True)
        hours = HoursFormSet(prefix=HOURS_PREFIX)
        return _render_form(
            request, "manage/service_new.html", **page, form=form, hours=hours, preview=None
        )
    _refuse_other_organization(request, organization)
    previewing = "preview" in request.POST
    data = _with_room(request.POST) if previewing else request.POST
    form = ServiceForm(data, territory=territory, new=True)
    hours = HoursFormSet(data, prefix=HOURS_PREFIX)
    if not forms_valid(form, hours):
        return _render_form(
            request, "manage/service_new.html", **page, form=form, hours=hours, preview=None
        )
    snapshot = snapshot_from_forms(form, hours, organization=organization)
    if previewing:
        return _render_form(
            request, "manage/service_new.html", **page, form=form, hours=hours,
            preview=hours_preview(snapshot["schedule"], today=timezone.localdate()),
            previewing=True,
        )  # fmt: skip
    revision = revision_submit(
        organization=organization,
        data=snapshot,
        author=request.user,
        note=form.cleaned_data["note"],
        publish=request.user.has_perm("editorial.publish_directly", organization),
    )
    _submitted_message(request, revision, new=True)
    return redirect("manage:organization", pk=organization.pk)


@staff_view("manage.access")
@require_http_methods(["GET", "POST"])
def service_close(request: HttpRequest, code: str) -> HttpResponse:
    """Closing is a change like any other (reviewed unless one may publish directly): the
    service leaves search and lists, its page says it is closed, its history stays."""
    territory = request_territory_or_404(request)
    service = _service_or_404(territory, code)
    if not request.user.has_perm("directory.change_service", service):
        raise PermissionDenied
    organization = service.organization
    closed = service.status == ServiceStatus.INACTIVE
    form = CloseForm(initial={"base_version": service.version})
    stale = False
    if request.method == "POST" and not closed:
        _refuse_other_organization(request, organization)
        form = CloseForm(request.POST)
        if form.is_valid():
            data = service_snapshot(service)
            data["service"]["status"] = ServiceStatus.INACTIVE.value
            try:
                revision = revision_submit(
                    organization=organization,
                    service=service,
                    data=data,
                    author=request.user,
                    base_version=form.cleaned_data["base_version"],
                    note=form.cleaned_data["reason"],
                    publish=request.user.has_perm("editorial.publish_directly", organization),
                )
            except StaleEdit as refused:
                again = request.POST.copy()
                again["base_version"] = str(refused.current.version)
                form, stale = CloseForm(again), True
                closed = refused.current.status == ServiceStatus.INACTIVE
            else:
                if revision.status == RevisionStatus.APPROVED:
                    messages.success(request, _("Closed: the service no longer appears in search."))
                else:
                    _submitted_message(request, revision, new=False)
                return redirect("manage:organization", pk=organization.pk)
    context = {
        "service": service,
        "organization": organization,
        "form": form,
        "closed": closed,
        "stale": stale,
        "pending": _pending(service),
        "publishes": request.user.has_perm("editorial.publish_directly", organization),
    }
    return render(request, "manage/service_close.html", context)


@staff_view("manage.access")
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    organization = _organization_or_404(territory, pk)
    if not request.user.has_perm("directory.change_organization", organization):
        raise PermissionDenied
    if request.method == "POST":
        _refuse_other_organization(request, organization)
        form = OrganizationForm(request.POST)
        if form.is_valid():
            organization_update(organization=organization, **form.cleaned_data)
            messages.success(request, _("Saved"))
            return redirect("manage:organization", pk=organization.pk)
    else:
        form = OrganizationForm(
            initial={
                "description": organization.description,
                "website": organization.website,
                "email": organization.email,
            }
        )
    return render(
        request, "manage/organization_edit.html", {"organization": organization, "form": form}
    )


urlpatterns = [
    path("services/<str:code>/edit/", service_edit, name="service_edit"),
    path("services/<str:code>/close/", service_close, name="service_close"),
    path("organizations/<int:pk>/services/new/", service_new, name="service_new"),
    path("organizations/<int:pk>/edit/", organization_edit, name="organization_edit"),
]

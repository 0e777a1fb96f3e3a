"""Back office: reviews (thin views; the work is in the domain apps' services and selectors).

Reviewers and administrators see the territory's changes waiting for review and decide on
them; editors see their own changes and what became of them. A revision of another territory
is not found (404); only reviewers may decide (403 for anyone else, nothing changed).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from pertutti.accounts.decorators import staff_view
from pertutti.directory.models import ServiceStatus
from pertutti.directory.snapshots import Snapshot, service_snapshot
from pertutti.editorial.diff import snapshot_diff
from pertutti.editorial.models import RevisionStatus, ServiceRevision, ServiceVersion
from pertutti.editorial.selectors import author_revisions, pending_revisions, revision_of
from pertutti.editorial.services import (
    EditorialError,
    StaleEdit,
    revision_approve,
    revision_return,
)
from pertutti.territories.selectors import request_territory_or_404

COMMENT_MAX = 4000


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment for the editor (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should change"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": gettext_lazy("Say what should change.")},
    )


def _name(revision: ServiceRevision) -> str:
    """The service's name as proposed (a new service has no other)."""
    return (revision.data.get("service") or {}).get("name", "")


def _outcome(revision: ServiceRevision) -> str:
    if revision.status == RevisionStatus.APPROVED and revision.reviewer_id is None:
        return _("Published without review")  # a trusted organisation, or a reviewer's own
    return str(RevisionStatus(revision.status).label)


@staff_view("manage.access")
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    reviewer = request.user.has_perm("editorial.review", territory)
    rows = pending_revisions(territory) if reviewer else author_revisions(territory, request.user)
    context = {
        "reviewer": reviewer,
        "rows": [(revision, _name(revision), _outcome(revision)) for revision in rows],
    }
    return render(request, "manage/review_list.html", context)


def _edit_link(revision: ServiceRevision) -> str:
    """The service form, prefilled with this revision ("edit and approve"), if there is one."""
    if revision.service is None:
        return ""
    try:
        url = reverse("manage:service_edit", args=[revision.service.code])
    except NoReverseMatch:  # the service form is not installed
        return ""
    return f"{url}?revision={revision.pk}"


def _before(revision: ServiceRevision, pending: bool) -> Snapshot | None:
    """What the change is compared with: for a pending one the service as published now (what
    approving would replace); once decided, the version it was made from. A new service has
    nothing before it: everything is new."""
    service = revision.service
    if service is None:
        return None
    if not pending:
        base = ServiceVersion.objects.filter(service=service, number=revision.base_version).first()
        if base is not None:
            return base.data
    return service_snapshot(service)


def _page(
    request: HttpRequest,
    revision: ServiceRevision,
    *,
    may_review: bool,
    approve_form: ApproveForm | None = None,
    return_form: ReturnForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    service = revision.service
    if service is not None:
        service.refresh_from_db()  # as it is now: the diff is against the published state
    pending = revision.status == RevisionStatus.PENDING
    changed_since = pending and service is not None and service.version != revision.base_version
    context: dict[str, Any] = {
        "revision": revision,
        "name": _name(revision),
        "service": service,
        "changes": snapshot_diff(_before(revision, pending), revision.data),
        # Approving as it is would undo the other change: refused, so not offered.
        "changed_since": changed_since,
        "closed": service is not None and service.status == ServiceStatus.INACTIVE,
        "may_review": may_review and pending,
        "approve_form": approve_form or ApproveForm(prefix="approve"),
        "return_form": return_form or ReturnForm(prefix="return"),
        "edit_link": _edit_link(revision) if may_review and pending else "",
        "outcome": _outcome(revision),
        "error": error,
    }
    return render(request, "manage/review_detail.html", context, status=status)


def _stale_message(exc: StaleEdit) -> str:
    if exc.current.status == ServiceStatus.INACTIVE:
        return _(
            "The service was closed after this change was proposed: nothing was published. "
            "The comparison below shows the service as it is now."
        )
    return _(
        "The service was changed after this change was proposed: nothing was published. "
        "The comparison below shows the service as it is now: send the change back, or edit "
        "it and approve it."
    )


@staff_view("manage.access")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    revision = revision_of(territory, pk)
    if revision is None:  # another territory's, or none at all
        raise Http404
    may_review = request.user.has_perm("editorial.review", territory)
    # The author may follow their own change; deciding is for reviewers only.
    if not may_review and revision.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "GET":
        return _page(request, revision, may_review=may_review)
    if not may_review:
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision == "approve":
        form: ApproveForm | ReturnForm = ApproveForm(request.POST, prefix="approve")
        forms_kw: dict[str, Any] = {"approve_form": form}
    elif decision == "return":
        form = ReturnForm(request.POST, prefix="return")
        forms_kw = {"return_form": form}
    else:
        error = _("Choose whether to approve the change or send it back.")
        return _page(request, revision, may_review=True, error=error, status=400)
    if not form.is_valid():
        return _page(request, revision, may_review=True, status=400, **forms_kw)
    comment = form.cleaned_data["comment"]
    try:
        if decision == "approve":
            revision_approve(revision=revision, reviewer=request.user, comment=comment)
            messages.success(request, _("Approved: the change is now public."))
        else:
            revision_return(revision=revision, reviewer=request.user, comment=comment)
            messages.success(request, _("Sent back to its author with your comment."))
    except StaleEdit as exc:
        return _page(
            request, revision, may_review=True, error=_stale_message(exc), status=409, **forms_kw
        )
    except EditorialError as exc:
        # The services' messages are English msgids (see editorial.services).
        revision.refresh_from_db()
        return _page(request, revision, may_review=True, error=_(str(exc)), status=409, **forms_kw)
    return redirect("manage:reviews")


urlpatterns = [
    path("reviews/", reviews, name="reviews"),
    path("reviews/<int:pk>/", review, name="review"),
]

"""Back office: reports from the public ("Something wrong here?").

Administrators and reviewers see every report of the territory; an editor those on their
organisations' services (`editorial.handle_report`, asked per report). Translators and
operators are refused (403); another territory's report is not found (404).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pertutti.accounts.decorators import staff_view
from pertutti.accounts.models import Role
from pertutti.accounts.roles import grants
from pertutti.editorial.models import ReportKind, ReportStatus
from pertutti.editorial.reports import (
    CLOSED,
    REPLY_MAX,
    ReportError,
    error_report_close,
    error_report_detail,
    error_reports,
)
from pertutti.territories.languages import language_name
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404

PAGE_SIZE = 50


class StatusFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *ReportStatus.choices],
    )


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=ReportStatus.choices, widget=forms.RadioSelect
    )
    reply_note = forms.CharField(
        label=gettext_lazy("Note (what was done, or why it is not a problem)"),
        required=False,
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


def _scope(request: HttpRequest, territory: Territory) -> set[int] | None:
    """None: every report (administrators, reviewers); else the editor's organisations."""
    if request.user.has_perm("editorial.handle_report", territory):
        return None
    mine = grants(request.user, territory)
    if not mine.has(Role.EDITOR):
        raise PermissionDenied
    return set(mine.organization_ids)


@staff_view()
def error_report_list(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    organization_ids = _scope(request, territory)
    # Open reports first thing: that is the work; "All" is one choice away.
    form = StatusFilter(request.GET or {"status": ReportStatus.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else ReportStatus.OPEN
    found = error_reports(territory, status=status, organization_ids=organization_ids)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # The rule, asked per report: an editor's list holds nothing the detail would refuse.
    rows = [
        (report, ReportKind(report.kind).label, ReportStatus(report.status).label)
        for report in page.object_list
        if request.user.has_perm("editorial.handle_report", report)
    ]
    context = {"form": form, "rows": rows, "page": page, "status": status}
    return render(request, "manage/error_reports.html", context)


@staff_view()
@require_http_methods(["GET", "HEAD", "POST"])
def error_report(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    _scope(request, territory)  # those who handle no report learn nothing of any (403)
    report = error_report_detail(territory, pk)
    if report is None:  # another territory's, or none at all
        raise Http404
    if not request.user.has_perm("editorial.handle_report", report):
        raise PermissionDenied
    if request.method == "POST":
        form = HandleForm(request.POST)
        if form.is_valid():
            status = form.cleaned_data["status"]
            try:
                error_report_close(
                    report=report,
                    status=status,
                    reply_note=form.cleaned_data["reply_note"],
                    user=request.user,
                )
            except ReportError as error:
                form.add_error(None, str(error))
            else:
                if status not in CLOSED:
                    messages.success(request, _("Report saved."))
                elif report.contact:  # as it was before closing
                    messages.success(
                        request, _("Report closed. The reader's contact has been erased.")
                    )
                else:
                    messages.success(request, _("Report closed."))
                return redirect("manage:error_report", pk=report.pk)
        status_code = 400
    else:
        form = HandleForm(initial={"status": report.status, "reply_note": report.reply_note})
        status_code = 200
    context = {
        "report": report,
        "form": form,
        "kind": ReportKind(report.kind).label,
        "status": ReportStatus(report.status).label,
        "page_language": language_name(report.language, request.LANGUAGE_CODE),
    }
    return render(request, "manage/error_report.html", context, status=status_code)


urlpatterns = [
    path("reports/errors/", error_report_list, name="error_reports"),
    path("reports/errors/<int:pk>/", error_report, name="error_report"),
]

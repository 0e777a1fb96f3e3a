"""Back office: the dashboard (what needs attention now, for each role) and the reports."""

from datetime import timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.decorators import staff_view
from pertutti.accounts.models import Role
from pertutti.accounts.roles import grants
from pertutti.accounts.selectors import target_languages
from pertutti.directory.selectors import (
    directory_counts,
    organizations_without_editor,
    services_to_verify,
)
from pertutti.importing.selectors import import_jobs_with_problems
from pertutti.search.selectors import unmet_needs
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404
from pertutti.translations.selectors import language_progress

LIST_LENGTH = 10  # a dashboard block shows this many items and links to the full page
RECENT = timedelta(days=30)


def _progress(territory: Territory, codes: list[str]) -> list[tuple[str, Any]]:
    return [(name, language_progress(territory, code)) for code, name in language_choices(codes)]


def _attention(request: HttpRequest, territory: Territory) -> dict[str, Any]:
    """One entry per block this person may see; each block links to the page that fixes it."""
    user = request.user
    mine = grants(user, territory)
    wide = user.is_superuser or mine.has(Role.ADMINISTRATOR, Role.REVIEWER, Role.OPERATOR)
    today = timezone.localdate()
    blocks: dict[str, Any] = {}
    if user.has_perm("importing.import_services", territory):
        blocks["imports"] = import_jobs_with_problems(territory=territory)
    if user.is_superuser or mine.has(Role.ADMINISTRATOR, Role.REVIEWER):
        waiting = _progress(territory, target_languages(territory))
        blocks["reviews"] = [(name, p) for name, p in waiting if p.awaiting_review]
    if mine.has(Role.TRANSLATOR):
        own = [code for code in target_languages(territory) if code in mine.languages]
        blocks["my_languages"] = _progress(territory, own)
    if user.has_perm("search.view_reports", territory):
        blocks["unmet"] = unmet_needs(territory, LIST_LENGTH, since=timezone.now() - RECENT)
    if user.has_perm("accounts.manage_people", territory):
        orphans = organizations_without_editor(territory)
        blocks["without_editor"] = {"count": orphans.count(), "items": orphans[:LIST_LENGTH]}
    if wide or mine.has(Role.EDITOR):
        # An editor sees only their organisations' services; the staff roles all of them.
        to_verify = services_to_verify(
            territory, today=today, organization_ids=None if wide else mine.organization_ids
        )
        blocks["to_verify"] = {"count": to_verify.count(), "items": to_verify[:LIST_LENGTH]}
    if wide:
        blocks["summary"] = directory_counts(territory)
    return blocks


@staff_view("manage.access")
def dashboard(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    return render(request, "manage/dashboard.html", {"blocks": _attention(request, territory)})


class ReportPeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("All time")),
            (30, _("Last 30 days")),
            (90, _("Last 90 days")),
            (365, _("Last 12 months")),
        ],
    )


@staff_view("search.view_reports")
def reports(request: HttpRequest) -> HttpResponse:
    """What people searched for and did not find (moved here from /staff/unmet-needs/)."""
    territory = request_territory_or_404(request)
    form = ReportPeriodForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else None
    since = timezone.now() - timedelta(days=days) if days else None
    rows = unmet_needs(territory, since=since)
    return render(request, "manage/reports.html", {"form": form, "rows": rows, "days": days})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reports/", reports, name="reports"),
]

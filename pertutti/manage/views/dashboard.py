"""Back office: the dashboard, what needs attention now for each role."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from pertutti.accounts.decorators import staff_view
from pertutti.accounts.models import Role
from pertutti.accounts.roles import grants
from pertutti.accounts.selectors import target_languages
from pertutti.directory.selectors import (
    directory_counts,
    organizations_without_editor,
    services_to_verify,
)
from pertutti.editorial.reports import open_report_count
from pertutti.editorial.selectors import (
    approved_revisions,
    pending_revision_count,
    returned_revisions,
)
from pertutti.importing.selectors import import_jobs_with_problems
from pertutti.search.selectors import unmet_needs
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404
from pertutti.translations.selectors import language_progress

LIST_LENGTH = 10  # a dashboard block shows this many items and links to the full page
RECENT = timedelta(days=30)
# An editor's outcomes: a change sent back stays until they send a new one (or 90 days pass);
# an approval is news for two weeks.
RETURNED_SHOWN = timedelta(days=90)
APPROVED_SHOWN = timedelta(days=14)


def _progress(territory: Territory, codes: list[str]) -> list[tuple[str, Any]]:
    return [(name, language_progress(territory, code)) for code, name in language_choices(codes)]


def _attention(request: HttpRequest, territory: Territory) -> dict[str, Any]:
    """One entry per block this person may see; each block links to the page that fixes it."""
    user = request.user
    mine = grants(user, territory)
    wide = user.is_superuser or mine.has(Role.ADMINISTRATOR, Role.REVIEWER, Role.OPERATOR)
    today = timezone.localdate()
    blocks: dict[str, Any] = {}
    if user.has_perm("editorial.review", territory):
        blocks["changes_to_review"] = pending_revision_count(territory)
    if mine.has(Role.EDITOR):
        now = timezone.now()
        blocks["my_changes"] = {
            "returned": returned_revisions(territory, user, since=now - RETURNED_SHOWN)[
                :LIST_LENGTH
            ],
            "approved": approved_revisions(territory, user, since=now - APPROVED_SHOWN)[
                :LIST_LENGTH
            ],
        }
    if user.is_superuser or mine.has(Role.ADMINISTRATOR, Role.REVIEWER, Role.EDITOR):
        # Reviewers handle every report; an editor those on their organisations' services.
        staff = user.is_superuser or mine.has(Role.ADMINISTRATOR, Role.REVIEWER)
        blocks["public_reports"] = open_report_count(
            territory, organization_ids=None if staff else set(mine.organization_ids)
        )
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


urlpatterns = [
    path("", dashboard, name="dashboard"),
]

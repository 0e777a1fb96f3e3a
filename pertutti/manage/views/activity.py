"""Back office: the activity log (who did what, when), for administrators."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.audit import audit_actors, audit_events
from pertutti.accounts.decorators import staff_view
from pertutti.accounts.models import AuditAction
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404

PAGE_SIZE = 50
# Never recorded (audit_record is told so), and never shown should one slip in.
SECRET_WORDS = ("password", "token", "secret", "otp", "recovery")
MAX_SUMMARY = 300


class ActivityFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False)
    person = forms.TypedChoiceField(label=_("Who"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Everything")), *AuditAction.choices]
        self.fields["person"].choices = [("", _("Everyone")), *audit_actors(territory=territory)]


def detail_summary(detail: dict[str, Any]) -> str:
    """A short text of an event's detail; keys that could name a secret are left out."""
    parts = []
    for key, value in detail.items():
        if any(word in key.lower() for word in SECRET_WORDS):
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        parts.append(f"{key}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


@staff_view("accounts.view_audit")
def activity(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    form = ActivityFilterForm(request.GET or None, territory=territory)
    action, person = "", None
    if form.is_valid():
        action, person = form.cleaned_data["action"], form.cleaned_data["person"]
    events = audit_events(territory=territory, actions=[action] if action else (), actor_id=person)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, detail_summary(event.detail)) for event in page.object_list]
    # The filter is kept in the pager's links.
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "manage/activity.html", context)


urlpatterns = [path("activity/", activity, name="activity")]

"""Back office: people — the list, invitations, a person's roles, deactivation.

Thin views: the forms parse, the accounts services decide and write. Every page needs
`accounts.manage_people` on the territory; a person or invitation of another territory is
not found here (404), so an id in a URL or form cannot reach outside it.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pertutti.accounts.decorators import staff_view
from pertutti.accounts.forms_people import InviteForm, RolesForm
from pertutti.accounts.invitations import invitation_expires_at
from pertutti.accounts.models import Invitation, Role
from pertutti.accounts.selectors import Person, invitation_of, people_of, person_of
from pertutti.accounts.services import (
    PeopleError,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    person_deactivate,
    person_reactivate,
    person_second_factor_reset,
    person_set_roles,
)
from pertutti.territories.languages import language_choices
from pertutti.territories.selectors import request_territory_or_404

PERM = "accounts.manage_people"


def _base_url(request: HttpRequest) -> str:
    """Where the link in the e-mail points: this site, as the browser reached it."""
    return request.build_absolute_uri("/")


def _person_or_404(request: HttpRequest, user_id: int) -> Person:
    person = person_of(request_territory_or_404(request), user_id)
    if person is None:
        raise Http404
    return person


def _invitation_or_404(request: HttpRequest, pk: int) -> Invitation:
    invitation = invitation_of(request_territory_or_404(request), pk)
    if invitation is None:
        raise Http404
    return invitation


def _add_error(form: RolesForm, error: PeopleError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@staff_view(PERM)
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    data = people_of(territory)
    invitations = [
        {
            "invitation": invitation,
            "roles": [Role(role).label for role in invitation.roles],
            "languages": [name for _code, name in language_choices(invitation.languages)],
            "organizations": [o.name for o in invitation.organizations.all()],
            "expires_at": invitation_expires_at(invitation),
        }
        for invitation in data.invitations
    ]
    context = {"people": data.people, "invitations": invitations, "now": timezone.now()}
    return render(request, "manage/people.html", context)


@staff_view(PERM)
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    form = InviteForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_send(
                territory=territory,
                email=data["email"],
                roles=data["roles"],
                languages=data["languages"],
                organizations=data["organizations"],
                language=data["language"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except PeopleError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("manage:people")
    return render(request, "manage/people_invite.html", {"form": form})


@staff_view(PERM)
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    found = _person_or_404(request, user_id)
    initial = {
        "roles": found.roles,
        "languages": found.languages,
        "organizations": found.organization_ids,
    }
    form = RolesForm(request.POST or None, territory=territory, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person_set_roles(
                territory=territory,
                user=found.user,
                roles=data["roles"],
                languages=data["languages"],
                organizations=data["organizations"],
                by=request.user,
            )
        except PeopleError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("manage:person", user_id=found.pk)
    return render(request, "manage/people_person.html", {"person": found, "form": form})


def _switch(request: HttpRequest, user_id: int, *, activate: bool) -> HttpResponse:
    territory = request_territory_or_404(request)
    found = _person_or_404(request, user_id)
    service = person_reactivate if activate else person_deactivate
    try:
        service(territory=territory, user=found.user, by=request.user)
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        done = _("Account reactivated.") if activate else _("Account deactivated.")
        messages.success(request, done)
    return redirect("manage:person", user_id=found.pk)


@staff_view(PERM)
@require_POST
def person_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _switch(request, user_id, activate=False)


@staff_view(PERM)
@require_POST
def person_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _switch(request, user_id, activate=True)


@staff_view(PERM)
@require_POST
def person_second_factor_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    found = _person_or_404(request, user_id)
    try:
        person_second_factor_reset(
            territory=request_territory_or_404(request), user=found.user, by=request.user
        )
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Second factor removed: %(name)s sets up a new one at the next sign-in.")
            % {"name": found.name},
        )
    return redirect("manage:person", user_id=found.pk)


@staff_view(PERM)
@require_POST
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    try:
        invitation_resend(invitation=invitation, by=request.user, base_url=_base_url(request))
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("manage:people")


@staff_view(PERM)
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
    return redirect("manage:people")


urlpatterns = [
    path("people/", people, name="people"),
    path("people/invite/", person_invite, name="person_invite"),
    path("people/<int:user_id>/", person, name="person"),
    path("people/<int:user_id>/deactivate/", person_deactivate_view, name="person_deactivate"),
    path("people/<int:user_id>/reactivate/", person_reactivate_view, name="person_reactivate"),
    path(
        "people/<int:user_id>/second-factor/reset/",
        person_second_factor_reset_view,
        name="person_second_factor_reset",
    ),
    path("people/invitations/<int:pk>/resend/", invitation_resend_view, name="invitation_resend"),
    path("people/invitations/<int:pk>/revoke/", invitation_revoke_view, name="invitation_revoke"),
]

"""Accepting an invitation: the one-time link lets the invited person choose a password."""

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pertutti.accounts.forms_people import AcceptInvitationForm
from pertutti.accounts.invitations import InvitationRefused
from pertutti.accounts.models import Invitation, Role
from pertutti.accounts.selectors import invitation_by_token
from pertutti.accounts.services import PeopleError, invitation_accept
from pertutti.territories.languages import language_choices

# Signed in by the model backend itself: the password was just set, not guessed.
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, refusal: InvitationRefused) -> HttpResponse:
    # A link that was never valid is "not found"; one that was, and is no more, is refused.
    status = 404 if refusal.reason == "invalid" else 400
    return render(
        request, "accounts/invitation_invalid.html", {"message": refusal.message}, status=status
    )


def _summary(invitation: Invitation) -> dict[str, object]:
    inviter = invitation.invited_by
    return {
        "invitation": invitation,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "roles": [Role(role).label for role in invitation.roles],
        "languages": [name for _, name in language_choices(list(invitation.languages))],
        "organizations": [o.name for o in invitation.organizations.all()],
    }


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_by_token(token)
    except InvitationRefused as refusal:
        return _refused(request, refusal)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
        except InvitationRefused as refusal:
            return _refused(request, refusal)
        except PeopleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, user, backend=BACKEND)
            return redirect("manage:dashboard")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, **_summary(invitation)}
    )


urlpatterns = [
    path("invitation/<str:token>/", invitation_accept_page, name="invitation_accept"),
]

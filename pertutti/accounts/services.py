"""Writes of people: invitations, roles, deactivation. Every change goes to the activity log.

Views call these and show a PeopleError's message; the rules (what roles need, which ids
belong to the territory) live here, so no form or script can skip them.
"""

import smtplib
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pertutti.accounts.audit import audit_record
from pertutti.accounts.invitations import (
    InvitationRefused,
    invitation_expires_at,
    invitation_from_token,
    invitation_token,
    new_nonce,
)
from pertutti.accounts.models import (
    AuditAction,
    Invitation,
    OrganizationMembership,
    Profile,
    Role,
    RoleAssignment,
)
from pertutti.accounts.roles import forget_grants
from pertutti.accounts.second_factor import second_factor_remove
from pertutti.accounts.selectors import interface_languages, target_languages, users_with_email
from pertutti.directory.models import Organization
from pertutti.territories.languages import language_name
from pertutti.territories.models import Territory


class PeopleError(ValueError):
    """A refused change, with a message for the person who asked and the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- shared checks --------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PeopleError(_("Enter a valid e-mail address."), field="email") from None
    return email


def _checked_grants(
    *,
    territory: Territory,
    roles: Iterable[str],
    languages: Iterable[str],
    organizations: Iterable[int | Organization],
) -> tuple[list[str], list[str], list[Organization]]:
    """Roles in their usual order, the translator's languages and the editor's organisations,
    or PeopleError. Languages without the translator role and organisations without the
    editor role are dropped: they would grant nothing."""
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise PeopleError(_("Choose at least one role."), field="roles")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise PeopleError(_("Unknown role."), field="roles")
    roles = [role for role in Role.values if role in roles]

    chosen_languages: list[str] = []
    if Role.TRANSLATOR in roles:
        allowed = target_languages(territory)
        wanted = set(languages)
        if wanted - set(allowed):
            raise PeopleError(
                _("A chosen language is not offered by this territory."), field="languages"
            )
        chosen_languages = [code for code in allowed if code in wanted]
        if not chosen_languages:
            raise PeopleError(_("A translator needs at least one language."), field="languages")

    chosen_organizations: list[Organization] = []
    if Role.EDITOR in roles:
        ids = set()
        for item in organizations:
            try:
                ids.add(item.pk if isinstance(item, Organization) else int(item))
            except (TypeError, ValueError):
                raise PeopleError(_("Unknown organisation."), field="organizations") from None
        # Only this territory's organisations: an id from elsewhere is refused, not ignored.
        chosen_organizations = list(
            Organization.objects.filter(territory=territory, pk__in=ids).order_by("name")
        )
        if len(chosen_organizations) != len(ids):
            raise PeopleError(_("Unknown organisation."), field="organizations")
        if not chosen_organizations:
            raise PeopleError(
                _("An organisation editor needs at least one organisation."),
                field="organizations",
            )
    return roles, chosen_languages, chosen_organizations


def _active_administrators(territory: Territory):
    return RoleAssignment.objects.filter(
        territory=territory, role=Role.ADMINISTRATOR, user__is_active=True
    )


def _is_last_administrator(territory: Territory, user: AbstractBaseUser) -> bool:
    admins = _active_administrators(territory)
    return admins.filter(user=user).exists() and not admins.exclude(user=user).exists()


def _holds_role(territory: Territory, user: AbstractBaseUser) -> bool:
    return RoleAssignment.objects.filter(territory=territory, user=user).exists()


# --- invitations ----------------------------------------------------------------------------


def _invitation_email(invitation: Invitation, *, base_url: str) -> None:
    """Sends the link, in the recipient's language (the link opens the site in it too)."""
    with translation.override(invitation.language):
        path = reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
        inviter = invitation.invited_by
        context = {
            "invitation": invitation,
            "territory": invitation.territory,
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "roles": [str(Role(role).label) for role in invitation.roles],
            "languages": [
                language_name(code, invitation.language) for code in invitation.languages
            ],
            "organizations": [o.name for o in invitation.organizations.all()],
            "link": base_url.rstrip("/") + path,
            "expires_at": timezone.localtime(invitation_expires_at(invitation)),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    try:
        # A subject is one line, whatever the template's whitespace.
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except (OSError, smtplib.SMTPException):
        # Raised inside the service's transaction: the invitation is not kept either.
        raise PeopleError(
            _("The e-mail could not be sent. Try again later, or check the e-mail settings.")
        ) from None


@transaction.atomic
def invitation_send(
    *,
    territory: Territory,
    email: str,
    roles: Sequence[str],
    languages: Sequence[str] = (),
    organizations: Iterable[int | Organization] = (),
    language: str = "it",
    invited_by: AbstractBaseUser | None,
    base_url: str,
) -> Invitation:
    """Invite `email` to the territory with these roles; sends the e-mail with the link."""
    email = _normalise_email(email)
    roles, languages, chosen = _checked_grants(
        territory=territory, roles=roles, languages=languages, organizations=organizations
    )
    if language not in interface_languages(territory):
        raise PeopleError(_("Choose a language for the e-mail."), field="language")
    existing = users_with_email(email).first()
    if existing is not None:
        if not existing.is_active:
            message = _(
                "This person's account is deactivated: reactivate it from their page instead."
            )
        elif _holds_role(territory, existing):
            message = _("This person is already a member: change their roles on their page.")
        else:
            message = _("An account with this e-mail address already exists.")
        raise PeopleError(message, field="email")
    if Invitation.objects.filter(
        territory=territory, email=email, accepted_at=None, revoked_at=None
    ).exists():
        raise PeopleError(
            _("An invitation to this address is already open: resend it from the list."),
            field="email",
        )
    invitation = Invitation.objects.create(
        territory=territory,
        email=email,
        roles=roles,
        languages=languages,
        language=language,
        nonce=new_nonce(),
        invited_by=invited_by,
        sent_at=timezone.now(),
    )
    invitation.organizations.set(chosen)
    audit_record(
        action=AuditAction.INVITATION_SENT,
        actor=invited_by,
        territory=territory,
        target=email,
        detail={
            "roles": roles,
            "languages": languages,
            "organizations": [o.pk for o in chosen],
            "language": language,
        },
    )
    _invitation_email(invitation, base_url=base_url)
    return invitation


def _open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise PeopleError(_("This invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise PeopleError(_("This invitation has been withdrawn."))


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by: AbstractBaseUser | None, base_url: str
) -> Invitation:
    """A new link (the earlier ones stop working) and seven more days."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _open(invitation)
    invitation.nonce = new_nonce()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["nonce", "sent_at"])
    audit_record(
        action=AuditAction.INVITATION_RESENT,
        actor=by,
        territory=invitation.territory,
        target=invitation.email,
    )
    _invitation_email(invitation, base_url=base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: AbstractBaseUser | None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditAction.INVITATION_REVOKED,
        actor=by,
        territory=invitation.territory,
        target=invitation.email,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, name: str) -> AbstractUser:
    """Create the account the invitation describes; raises InvitationRefused (link unusable)
    or django's ValidationError (password refused by the validators). Single use: the row is
    locked, so two submissions of the same link cannot both create an account."""
    invitation = invitation_from_token(
        token, queryset=Invitation.objects.select_for_update().select_related("territory")
    )
    if users_with_email(invitation.email).exists():
        raise InvitationRefused("account_exists")
    name = " ".join((name or "").split())[:150]
    if not name:
        raise PeopleError(_("Enter your name."), field="name")
    user_model = get_user_model()
    user = user_model(username=invitation.email, email=invitation.email, first_name=name)
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"language": invitation.language})
    territory = invitation.territory
    for role in invitation.roles:
        RoleAssignment.objects.create(
            user=user,
            territory=territory,
            role=role,
            languages=list(invitation.languages) if role == Role.TRANSLATOR else [],
        )
    if Role.EDITOR in invitation.roles:
        OrganizationMembership.objects.bulk_create(
            OrganizationMembership(user=user, organization=organization)
            for organization in invitation.organizations.filter(territory=territory)
        )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(
        action=AuditAction.INVITATION_ACCEPTED,
        actor=user,
        territory=territory,
        target=invitation.email,
        detail={"roles": list(invitation.roles)},
    )
    return user


# --- people ---------------------------------------------------------------------------------


@transaction.atomic
def person_set_roles(
    *,
    territory: Territory,
    user: AbstractBaseUser,
    roles: Sequence[str],
    languages: Sequence[str] = (),
    organizations: Iterable[int | Organization] = (),
    by: AbstractBaseUser | None,
) -> None:
    """Replace the person's roles and organisations in this territory (other territories'
    are left alone). At least one role: to remove someone, deactivate them."""
    if not _holds_role(territory, user):
        raise PeopleError(_("This person has no role in this territory."))
    roles, languages, chosen = _checked_grants(
        territory=territory, roles=roles, languages=languages, organizations=organizations
    )
    if Role.ADMINISTRATOR not in roles and _is_last_administrator(territory, user):
        raise PeopleError(
            _("This is the last administrator: give the role to someone else first."),
            field="roles",
        )
    before = RoleAssignment.objects.filter(territory=territory, user=user)
    before_roles = sorted(before.values_list("role", flat=True))
    before.delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=user,
            territory=territory,
            role=role,
            languages=languages if role == Role.TRANSLATOR else [],
        )
        for role in roles
    )
    OrganizationMembership.objects.filter(user=user, organization__territory=territory).delete()
    OrganizationMembership.objects.bulk_create(
        OrganizationMembership(user=user, organization=organization) for organization in chosen
    )
    forget_grants(user)
    audit_record(
        action=AuditAction.ROLES_CHANGED,
        actor=by,
        territory=territory,
        target=user.get_username(),
        detail={
            "before": before_roles,
            "roles": roles,
            "languages": languages,
            "organizations": [o.pk for o in chosen],
        },
    )


@transaction.atomic
def person_deactivate(
    *, territory: Territory, user: AbstractBaseUser, by: AbstractBaseUser | None
) -> None:
    """The account can no longer sign in, and its open sessions stop working (Django's
    backend refuses inactive users on every request). Nothing is deleted."""
    if not _holds_role(territory, user):
        raise PeopleError(_("This person has no role in this territory."))
    if by is not None and user.pk == by.pk:
        raise PeopleError(_("You cannot deactivate your own account."))
    if _is_last_administrator(territory, user):
        raise PeopleError(_("This is the last administrator: give the role to someone else first."))
    if not user.is_active:
        raise PeopleError(_("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    forget_grants(user)
    audit_record(
        action=AuditAction.DEACTIVATED, actor=by, territory=territory, target=user.get_username()
    )


@transaction.atomic
def person_reactivate(
    *, territory: Territory, user: AbstractBaseUser, by: AbstractBaseUser | None
) -> None:
    if not _holds_role(territory, user):
        raise PeopleError(_("This person has no role in this territory."))
    if user.is_active:
        raise PeopleError(_("This account is already active."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    forget_grants(user)
    audit_record(
        action=AuditAction.REACTIVATED, actor=by, territory=territory, target=user.get_username()
    )


@transaction.atomic
def person_second_factor_reset(
    *, territory: Territory, user: AbstractBaseUser, by: AbstractBaseUser
) -> None:
    """For a person who lost their phone and recovery codes: remove their authenticator and
    codes, and end their sessions. Where their role requires a second factor, the next
    sign-in asks them to set up a new one. Never one's own: that takes a current code."""

    if not _holds_role(territory, user):
        raise PeopleError(_("This person has no role in this territory."))
    if user.pk == by.pk:
        raise PeopleError(_("Change your own second factor from your account page."))
    if not second_factor_remove(user=user):
        raise PeopleError(_("This person has no second factor to reset."))
    # A session confirmed with the lost device must not outlive it.
    key = str(user.pk)
    stale = [s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == key]
    Session.objects.filter(pk__in=stale).delete()
    audit_record(
        action=AuditAction.SECOND_FACTOR,
        actor=by,
        territory=territory,
        target=user.get_username(),
        detail={"change": "reset_by_administrator"},
    )

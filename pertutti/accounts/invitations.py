"""Invitation links: a signed token of (invitation id, nonce), checked against the database.

The signature stops forged or edited links; the nonce, drawn again on every resend, voids
the earlier links; the expiry counts from `sent_at` (so a resend restarts the 7 days);
`accepted_at` and `revoked_at` make a link single-use and revocable. Nothing secret is
stored: a token is never written to the database or the activity log.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.models import Invitation

SALT = "pertutti.accounts.invitation"


class InvitationRefused(Exception):
    """A link that cannot be used; `reason` is one of the keys of MESSAGES."""

    MESSAGES = {
        "invalid": _("This invitation link is not valid. Check that you copied all of it."),
        "expired": _(
            "This invitation link has expired. Ask the person who invited you to send it again."
        ),
        "used": _("This invitation has already been accepted. Sign in with your password."),
        "revoked": _("This invitation has been withdrawn."),
        "account_exists": _(
            "An account with this e-mail address already exists. Sign in, or ask the project "
            "staff to reactivate it."
        ),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason])


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def invitation_token(invitation: Invitation) -> str:
    # No timestamp in the signature: expiry counts from `sent_at`, and a link that is the
    # same each time it is built can be compared (tests, a resent e-mail's old link).
    return signing.Signer(salt=SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def invitation_expires_at(invitation: Invitation) -> datetime:
    return invitation.sent_at + timedelta(days=settings.PERTUTTI_INVITATION_DAYS)


def invitation_from_token(
    token: str, *, queryset: QuerySet[Invitation] | None = None, now: datetime | None = None
) -> Invitation:
    """The open, unexpired invitation a link names, or InvitationRefused with the reason."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvitationRefused("invalid") from None
    queryset = queryset if queryset is not None else Invitation.objects.all()
    invitation = queryset.filter(pk=pk).first()
    # A resent invitation has a new nonce: the old link is as good as forged.
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce):
        raise InvitationRefused("invalid")
    if invitation.accepted_at is not None:
        raise InvitationRefused("used")
    if invitation.revoked_at is not None:
        raise InvitationRefused("revoked")
    if (now or timezone.now()) >= invitation_expires_at(invitation):
        raise InvitationRefused("expired")
    return invitation

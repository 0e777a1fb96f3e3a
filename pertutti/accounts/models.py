"""People, their roles in a territory, organisation membership, invitations, the audit log.

A person is a Django user. What they may do comes from RoleAssignment rows (one per role per
territory) and OrganizationMembership rows; `is_superuser` is kept for the deployment's
technical owner only. People are deactivated, never deleted: history keeps their names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pertutti.directory.models import Organization
from pertutti.territories.models import Territory


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Organisation editor")
    TRANSLATOR = "translator", _("Translator")
    OPERATOR = "operator", _("Front-desk operator")


# Roles whose sign-in must be confirmed by a second factor (TOTP or a recovery code).
SECOND_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})


class Profile(models.Model):
    """What a person chose for themselves: the language of the interface and of e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(max_length=10, default="it")
    # Translators: the weekly e-mail of new and outdated texts in their languages.
    translation_digest = models.BooleanField(default=True)
    translation_digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    # For translators: the target languages they translate (codes offered by the territory).
    languages = models.JSONField(default=list, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "territory", "role"], name="one_assignment_per_role"
            )
        ]
        indexes = [models.Index(fields=["territory", "role"])]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @{self.territory_id}"


class OrganizationMembership(models.Model):
    """An organisation editor acts for these organisations only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Invitation(models.Model):
    """An administrator's invitation: the link carries a signed token of (id, nonce).

    Resending draws a new nonce, which voids the earlier links; accepting or revoking
    ends it. Nothing secret is stored: the nonce only makes links distinct.
    """

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    roles = models.JSONField(default=list)
    languages = models.JSONField(default=list, blank=True)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="+")
    language = models.CharField(max_length=10, default="it", help_text="Of the e-mail and account.")
    nonce = models.CharField(max_length=32)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.email} ({', '.join(self.roles)})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKED_OUT = "locked_out", _("Sign-in locked after repeated failures")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
    SECOND_FACTOR = "second_factor", _("Second factor changed")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_RESENT = "invitation_resent", _("Invitation resent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ROLES_CHANGED = "roles_changed", _("Roles changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    REACTIVATED = "reactivated", _("Account reactivated")
    IMPORT_CHECKED = "import_checked", _("Spreadsheet checked")
    IMPORTED = "imported", _("Spreadsheet imported")
    EXPORTED = "exported", _("Data exported")
    SETTINGS_CHANGED = "settings_changed", _("Territory settings changed")


class AuditEvent(models.Model):
    """Who did what, when. Never the content of a password or token, never an IP address."""

    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Kept if the user goes.")
    action = models.CharField(max_length=24, choices=AuditAction.choices)
    target = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["territory", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

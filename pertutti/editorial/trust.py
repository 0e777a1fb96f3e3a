"""Trusted organisations: their editors' changes are published without review."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction
from pertutti.directory.models import Organization


@transaction.atomic
def organization_set_trusted(
    *, organization: Organization, trusted: bool, actor: AbstractBaseUser
) -> Organization:
    """Mark or unmark an organisation as trusted (administrators only), in the activity log.

    Setting what is already set changes and records nothing. Pending revisions stay pending
    either way: trust applies to changes made from now on.
    """
    if not actor.has_perm("directory.mark_trusted", organization.territory):
        raise PermissionDenied
    current = Organization.objects.select_for_update().get(pk=organization.pk)
    if current.trusted != trusted:
        current.trusted = trusted
        current.save(update_fields=["trusted"])
        audit_record(
            action=AuditAction.SETTINGS_CHANGED,
            actor=actor,
            territory=current.territory,
            target=current.name,
            detail={"organization": current.pk, "trusted": trusted},
        )
    organization.trusted = current.trusted
    return current

"""Demo accounts, one per role, for trying the back office under `make run` (debug only)."""

import base64
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.models import (
    SECOND_FACTOR_ROLES,
    OrganizationMembership,
    Profile,
    Role,
    RoleAssignment,
)
from pertutti.accounts.second_factor import new_recovery_codes
from pertutti.directory.models import Organization
from pertutti.territories.models import Territory

# (user name, role); the editor acts for the first organisations by name.
DEMO_PEOPLE = [
    ("amministratore", Role.ADMINISTRATOR),
    ("revisore", Role.REVIEWER),
    ("redattore", Role.EDITOR),
    ("traduttore", Role.TRANSLATOR),
    ("sportello", Role.OPERATOR),
]
EDITOR_ORGANIZATIONS = 2
PRINTED_RECOVERY_CODES = 5  # of the ten each person gets: enough to try, short on the console


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    totp_secret: str  # base32, for an authenticator app; "" when no second factor
    recovery_codes: list[str]


@transaction.atomic
def demo_accounts_create(*, territory: Territory) -> list[DemoAccount]:
    """Create (or reset) the demo accounts with fresh random passwords; idempotent."""
    User = get_user_model()
    targets = [c for c in territory.offered_languages if c != territory.source_language]
    organizations = list(
        Organization.objects.filter(territory=territory).order_by("name")[:EDITOR_ORGANIZATIONS]
    )
    accounts = []
    for username, role in DEMO_PEOPLE:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.invalid"}
        )
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_active = True
        user.save()
        Profile.objects.get_or_create(user=user, defaults={"language": "it"})
        RoleAssignment.objects.update_or_create(
            user=user,
            territory=territory,
            role=role,
            defaults={"languages": targets if role == Role.TRANSLATOR else []},
        )
        if role == Role.EDITOR:
            for organization in organizations:
                OrganizationMembership.objects.get_or_create(user=user, organization=organization)
        secret, codes = "", []
        if role in SECOND_FACTOR_ROLES:
            secret, codes = _second_factor(user)
        accounts.append(DemoAccount(username, role, password, secret, codes))
    return accounts


def _second_factor(user: object) -> tuple[str, list[str]]:
    TOTPDevice.objects.filter(user=user).delete()
    totp = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    codes = new_recovery_codes(user)[:PRINTED_RECOVERY_CODES]  # type: ignore[arg-type]
    return base64.b32encode(totp.bin_key).decode().rstrip("="), codes

"""The second factor: an authenticator app (TOTP) and single-use recovery codes, over django-otp.

A person has at most one confirmed TOTP device and one static device holding their recovery
codes. Every check goes through the device's own throttling (django-otp doubles the wait
after each wrong code), so guessing codes is slow even for someone who knows the password.
"""

import enum
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import SECOND_FACTOR_ROLES, AuditAction
from pertutti.accounts.roles import AnyUser, grants
from pertutti.territories.models import Territory

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too many wrong codes: wait before the next try


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    device: Device | None = None
    retry_at: datetime | None = None  # when THROTTLED

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED

    @property
    def used_recovery_code(self) -> bool:
        return self.accepted and isinstance(self.device, StaticDevice)


@dataclass(frozen=True)
class Provisioning:
    """What the setup page shows: the QR code of the otpauth:// URI and the secret as text."""

    qr_data_uri: str
    secret: str  # base32, in groups of four for typing by hand


def required_by_role(user: AnyUser, territory: Territory | None) -> bool:
    """Administrators, reviewers and the technical owner may not do without it."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(grants(user, territory).roles & SECOND_FACTOR_ROLES)


def authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The device being set up: kept unconfirmed until a first good code, so reloading the
    setup page shows the same secret the person may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def provisioning(device: TOTPDevice) -> Provisioning:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Provisioning(
        qr_data_uri=segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


def normalize_code(code: str) -> str:
    """People type codes with spaces or dashes, and recovery codes in capitals."""
    return "".join(ch for ch in code if ch not in " -\t").lower()


def _check(device: Device | None, code: str) -> CodeCheck:
    if device is None:
        return CodeCheck(Outcome.WRONG)
    with transaction.atomic():
        # Locked, so two parallel guesses cannot both pass the throttle.
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(Outcome.THROTTLED, device, (info or {}).get("locked_until"))
        # verify_token counts a wrong code itself (throttle_increment) and resets on success.
        if device.verify_token(code):
            return CodeCheck(Outcome.ACCEPTED, device)
    return CodeCheck(Outcome.WRONG, device)


def check_code(*, user: AbstractBaseUser, code: str) -> CodeCheck:
    """A six-digit code goes to the authenticator, anything else is tried as a recovery code
    (which is then used up)."""
    code = normalize_code(code)
    if not code or len(code) > 16:
        return CodeCheck(Outcome.WRONG)
    if code.isdigit():
        return _check(authenticator(user), code)
    return _check(StaticDevice.objects.filter(user=user, confirmed=True).first(), code)


def _record(
    *, user: AbstractBaseUser, actor: AbstractBaseUser, territory: Territory | None, change: str
) -> None:
    """The activity log of a change to `user`'s second factor (never the codes themselves)."""
    audit_record(
        action=AuditAction.SECOND_FACTOR,
        actor=actor,
        territory=territory,
        target=user.get_username(),
        detail={"change": change},
    )


def second_factor_remove(*, user: AbstractBaseUser) -> int:
    """Delete the authenticator and the recovery codes; returns how many devices went.
    Callers record why (the person turned it off, or an administrator reset it)."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    return removed + StaticDevice.objects.filter(user=user).delete()[0]


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the person's recovery codes with fresh ones (no audit: callers record why)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        # An all-digit code would be taken for an authenticator code (one in a million).
        if not code.isdigit() and code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_confirm(
    *, user: AbstractBaseUser, code: str, territory: Territory | None
) -> tuple[CodeCheck, list[str]]:
    """Confirm the device being set up with its first code; returns the new recovery codes
    (to be shown once) when the code was right."""
    device = pending_authenticator(user)
    result = _check(device, normalize_code(code))
    if not result.accepted:
        return result, []
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    codes = new_recovery_codes(user)
    _record(user=user, actor=user, territory=territory, change="enabled")
    return CodeCheck(Outcome.ACCEPTED, device), codes


@transaction.atomic
def recovery_codes_renew(*, user: AbstractBaseUser, territory: Territory | None) -> list[str]:
    """Replace every recovery code (the old ones stop working); returns the new ones."""
    codes = new_recovery_codes(user)
    _record(user=user, actor=user, territory=territory, change="recovery_codes_renewed")
    return codes


class DisableRefused(Exception):
    """The person's role requires a second factor."""


@transaction.atomic
def second_factor_disable(
    *, user: AbstractBaseUser, code: str, territory: Territory | None
) -> CodeCheck:
    """Remove the authenticator and the recovery codes, on a current code."""
    if required_by_role(user, territory):
        raise DisableRefused
    result = check_code(user=user, code=code)
    if result.accepted:
        second_factor_remove(user=user)
        _record(user=user, actor=user, territory=territory, change="disabled")
    return result

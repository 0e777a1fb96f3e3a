import base64

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.demo import demo_accounts_create
from pertutti.accounts.models import Role, RoleAssignment
from pertutti.accounts.roles import grants


def test_one_account_per_role_with_working_passwords(lodi, rf):
    accounts = demo_accounts_create(territory=lodi)
    assert {a.role for a in accounts} == set(Role.values)
    for account in accounts:
        user = authenticate(rf.get("/"), username=account.username, password=account.password)
        assert user is not None, account.username
        assert account.role in grants(user, lodi).roles


def test_second_factor_secret_matches_the_device(lodi):
    admin = next(a for a in demo_accounts_create(territory=lodi) if a.role == Role.ADMINISTRATOR)
    device = TOTPDevice.objects.get(user__username=admin.username)
    padded = admin.totp_secret + "=" * (-len(admin.totp_secret) % 8)
    key = base64.b32decode(padded)
    assert device.verify_token(TOTP(key).token())
    assert len(admin.recovery_codes) == 5


def test_running_again_changes_passwords_and_keeps_one_assignment(lodi):
    first = {a.username: a.password for a in demo_accounts_create(territory=lodi)}
    second = {a.username: a.password for a in demo_accounts_create(territory=lodi)}
    assert all(first[name] != second[name] for name in first)
    assert RoleAssignment.objects.filter(territory=lodi).count() == len(Role.values)


def test_refused_without_debug(lodi, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_accounts")

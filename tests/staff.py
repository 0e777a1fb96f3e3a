"""Helpers for tests of signed-in pages: people with roles, clients signed in (and verified)."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.models import OrganizationMembership, Role, RoleAssignment
from pertutti.directory.models import Organization
from pertutti.territories.models import Territory

PASSWORD = "correct horse battery staple"


def make_person(
    name: str,
    territory: Territory,
    *roles: str,
    languages: Iterable[str] = (),
    organizations: Iterable[Organization] = (),
    email: str = "",
):
    user = get_user_model().objects.create_user(
        name, email=email or f"{name}@example.org", password=PASSWORD
    )
    for role in roles:
        RoleAssignment.objects.create(
            user=user,
            territory=territory,
            role=role,
            languages=list(languages) if role == Role.TRANSLATOR else [],
        )
    for organization in organizations:
        OrganizationMembership.objects.create(user=user, organization=organization)
    return user


def sign_in(client: Client, user, *, verified: bool = True) -> Client:
    """Signed in without the sign-in page; `verified`: the second factor is confirmed,
    as django-otp records it in the session after a good code."""
    client.force_login(user)
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client

"""The sign-in page: redirects, throttling by django-axes, sign-out, headers and cookies."""

import runpy
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.test import Client, override_settings

from pertutti.accounts.models import AuditAction, AuditEvent, Profile, Role
from tests.staff import PASSWORD, make_person, sign_in

LOGIN = "/it/accounts/login/"
REPO = Path(__file__).resolve().parents[2]


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def wrong(client: Client, username: str = "olga", **extra: str):
    return client.post(LOGIN, {"username": username, "password": "not the password"}, **extra)


def test_the_page_is_generic_private_and_has_a_reset_link(client, lodi):
    response = client.get("/en/accounts/login/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in page and "Sign in to translate" not in page
    assert 'href="/en/accounts/password/reset/"' in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_right_password_signs_in_and_goes_to_the_back_office(client, lodi):
    user = make_person("olga", lodi, Role.OPERATOR)
    response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/it/manage/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).exists()


def test_back_office_opens_in_the_persons_language(client, lodi):
    user = make_person("olga", lodi, Role.OPERATOR)
    Profile.objects.create(user=user, language="ar")
    response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    assert response["Location"] == "/ar/manage/"


def test_next_to_this_site_is_followed(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    response = client.post(
        LOGIN, {"username": "olga", "password": PASSWORD, "next": "/it/accounts/profile/"}
    )
    assert response["Location"] == "/it/accounts/profile/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil/"]
)
def test_next_to_another_site_is_ignored(client, lodi, target):
    make_person("olga", lodi, Role.OPERATOR)
    page = client.get(LOGIN, {"next": target}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page
    response = client.post(LOGIN, {"username": "olga", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response["Location"] == "/it/manage/"


def test_administrator_goes_on_to_the_second_factor(client, lodi):
    make_person("ada", lodi, Role.ADMINISTRATOR)
    response = client.post(
        LOGIN, {"username": "ada", "password": PASSWORD, "next": "/it/manage/people/"}
    )
    assert response["Location"] == "/it/accounts/two-factor/?next=%2Fit%2Fmanage%2Fpeople%2F"


def test_wrong_password_is_refused_with_a_message_and_logged_without_address(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    response = wrong(client)
    assert response.status_code == 200 and not signed_in(client)
    assert 'role="alert"' in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.target == "olga" and "127.0.0.1" not in str(event.detail)


def test_fifty_wrong_passwords_stop_hashing_once_locked(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    limit = settings.AXES_FAILURE_LIMIT
    with mock.patch.object(
        ModelBackend, "authenticate", autospec=True, side_effect=ModelBackend.authenticate
    ) as backend:
        statuses = [wrong(client).status_code for _ in range(50)]
    # Every attempt up to the limit is checked; the one reaching it shows the lock page.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * (50 - limit + 1)
    assert backend.call_count == limit  # no password hashed after the lock
    # Refused attempts write nothing: the flood does not grow the attempt row.
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == limit
    assert attempt.post_data.count("username=") == limit
    # The lock is in the activity log once, with the account name and no address.
    (event,) = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert event.target == "olga" and event.detail == {}
    # The failure that reaches the limit and every refused try after it are that one event,
    # not a failed sign-in row each.
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == limit - 1

    with (
        mock.patch("django.contrib.auth.base_user.check_password") as check_password,
        mock.patch.object(ModelBackend, "authenticate") as backend_again,
    ):
        response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    assert response.status_code == 429 and not signed_in(client)
    check_password.assert_not_called()
    backend_again.assert_not_called()


def test_lock_page_is_clear_private_and_leads_to_a_reset(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/en/accounts/login/", {"username": "olga", "password": "not the password"}
        )
    page = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Sign-in locked</h1>" in page and "Try again in 15 minutes." in page
    assert 'href="/en/accounts/password/reset/"' in page
    assert "no-store" in response["Cache-Control"]


def test_the_right_password_works_again_once_the_lock_expires(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong(client)
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)
    # axes counts the failures whose attempt_time is within AXES_COOLOFF_TIME of now.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - (cool_off - timedelta(minutes=1)))
    assert client.post(LOGIN, {"username": "olga", "password": PASSWORD}).status_code == 429
    assert not signed_in(client)
    # Refused attempts during the lock are not counted, so it ends on time.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)
    assert not AccessAttempt.objects.exists()  # expired attempts (with addresses) are gone


def test_the_lock_is_per_account_whatever_the_client(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    for n in range(settings.AXES_FAILURE_LIMIT):
        wrong(client, REMOTE_ADDR=f"10.0.0.{n + 1}")
    response = client.post(
        LOGIN, {"username": "olga", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429 and not signed_in(client)


def test_the_lock_is_per_client_whatever_the_account(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    make_person("piero", lodi, Role.OPERATOR)
    for n in range(settings.AXES_FAILURE_LIMIT):
        wrong(client, username=f"nobody{n}", REMOTE_ADDR="10.0.0.1")
    # From that client even a right password of another account is refused...
    response = client.post(
        LOGIN, {"username": "olga", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429 and not signed_in(client)
    # ...while other clients sign in as usual.
    response = client.post(
        LOGIN, {"username": "piero", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302 and signed_in(client)


def test_the_client_address_is_remote_addr_not_a_forwarded_header(client, lodi):
    """With no proxy header named (PERTUTTI_CLIENT_ADDRESS_HEADER), the address axes locks is
    REMOTE_ADDR: a client cannot dodge the per-client lock by sending X-Forwarded-For."""
    assert settings.AXES_CLIENT_IP_CALLABLE == "pertutti.clients.client_address"
    assert settings.PERTUTTI_CLIENT_ADDRESS_HEADER == ""
    make_person("olga", lodi, Role.OPERATOR)
    for n in range(settings.AXES_FAILURE_LIMIT):
        wrong(
            client, username=f"nobody{n}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    response = client.post(
        LOGIN,
        {"username": "olga", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="5.6.7.8",
    )
    assert response.status_code == 429


def test_attempts_keep_no_password(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    wrong(client)
    attempt = AccessAttempt.objects.get()
    assert "not the password" not in attempt.post_data


def test_sign_out_is_post_only_and_goes_home(client, lodi):
    user = make_person("olga", lodi, Role.OPERATOR)
    sign_in(client, user, verified=False)
    assert client.get("/it/accounts/logout/").status_code == 405
    assert signed_in(client)
    response = client.post("/it/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/it/"
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=user).exists()


def test_posts_without_csrf_token_are_refused(lodi):
    user = make_person("olga", lodi, Role.OPERATOR)
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    assert response.status_code == 403 and not signed_in(client)
    sign_in(client, user, verified=False)
    assert client.post("/it/accounts/logout/").status_code == 403
    assert signed_in(client)


@override_settings(SESSION_COOKIE_SECURE=True)
def test_session_cookie_is_secure_httponly_and_lax(client, lodi):
    make_person("olga", lodi, Role.OPERATOR)
    client.post(LOGIN, {"username": "olga", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_make_session_cookies_secure(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.org")
    production = runpy.run_path(str(REPO / "pertutti" / "settings.py"))
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    assert runpy.run_path(str(REPO / "pertutti" / "settings.py"))["SESSION_COOKIE_SECURE"] is False

"""Changing a password (other sessions end) and resetting it by e-mail (no enumeration)."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from pertutti.accounts.models import AuditAction, AuditEvent, Profile, Role
from tests.staff import PASSWORD, make_person, sign_in

NEW = "a brand new passphrase 42"
CHANGE = "/it/accounts/password/"
RESET = "/it/accounts/password/reset/"


@pytest.fixture
def olga(lodi):
    return make_person("olga", lodi, Role.OPERATOR, email="olga@example.org")


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def private(response) -> bool:
    return "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- change ---------------------------------------------------------------------------------


def test_change_page_needs_sign_in(client, lodi):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/it/accounts/login/?next=")


def test_change_pages_render_privately(client, olga):
    sign_in(client, olga, verified=False)
    for url in (CHANGE, "/it/accounts/password/done/"):
        response = client.get(url)
        assert response.status_code == 200 and private(response), url


def test_change_keeps_this_session_and_ends_the_others(client, olga):
    other = sign_in(Client(), olga, verified=False)
    sign_in(client, olga, verified=False)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == "/it/accounts/password/done/"
    olga.refresh_from_db()
    assert olga.check_password(NEW)
    assert client.get("/it/accounts/profile/").status_code == 200
    # The other browser's session no longer matches the password: it is signed out.
    assert other.get("/it/accounts/profile/").status_code == 302
    assert not signed_in(other)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == olga and PASSWORD not in str(event.detail) and NEW not in event.target


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short pass1", "12"),  # shorter than 12 characters
        ("password1234", "comune"),  # in the common-password list (Italian page)
        ("123456789012", "numerica"),
    ],
)
def test_change_enforces_the_validators(client, olga, new, message):
    sign_in(client, olga, verified=False)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200 and message in response.content.decode()
    olga.refresh_from_db()
    assert olga.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_change_needs_the_current_password(client, olga):
    sign_in(client, olga, verified=False)
    response = client.post(
        CHANGE, {"old_password": "not it at all", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200 and 'id="id_old_password_error"' in response.content.decode()
    olga.refresh_from_db()
    assert olga.check_password(PASSWORD)


def test_administrator_must_confirm_the_second_factor_first(client, lodi):
    ada = make_person("ada", lodi, Role.ADMINISTRATOR)
    sign_in(client, ada, verified=False)
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/it/accounts/two-factor/?next=")


def test_change_without_csrf_token_is_refused(olga):
    client = sign_in(Client(enforce_csrf_checks=True), olga, verified=False)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 403
    olga.refresh_from_db()
    assert olga.check_password(PASSWORD)


# --- reset by e-mail ------------------------------------------------------------------------


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://\S+", message.body).group(0)


def test_reset_pages_render_privately(client, lodi):
    pages = (RESET, "/it/accounts/password/reset/sent/", "/it/accounts/password/reset/complete/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and private(response), url
    response = client.get("/it/accounts/password/reset/MQ/bad-token/")
    assert response.status_code == 200 and private(response)


def test_reset_mail_is_in_the_recipients_language_with_a_secure_link(client, olga):
    Profile.objects.create(user=olga, language="ar")
    response = client.post(RESET, {"email": "OLGA@example.org"}, secure=True)
    assert response.status_code == 302
    assert response["Location"] == "/it/accounts/password/reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["olga@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = reset_link()
    assert link.startswith("https://testserver/ar/accounts/password/reset/")
    assert "olga" in message.body and PASSWORD not in message.body
    assert "\n" not in message.subject and message.subject.strip()


def test_reset_mail_defaults_to_italian(client, olga):
    client.post("/en/accounts/password/reset/", {"email": "olga@example.org"})
    assert reset_link().startswith("http://testserver/it/accounts/password/reset/")


def test_unknown_address_gets_the_same_answer_and_no_mail(client, olga):
    known = client.post(RESET, {"email": "olga@example.org"})
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


def test_reset_link_sets_a_new_password_once(client, olga):
    other = sign_in(Client(), olga, verified=False)
    client.post(RESET, {"email": "olga@example.org"})
    link = reset_link()
    path = link.split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 302  # the token moves to the session, out of the URL
    form_url = response["Location"]
    assert "set-password" in form_url
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/it/accounts/password/reset/complete/"
    olga.refresh_from_db()
    assert olga.check_password(NEW)
    # Sessions elsewhere end with the old password.
    assert other.get("/it/accounts/profile/").status_code == 302
    assert not signed_in(other)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.actor == olga
    # The link works once.
    page = Client().get(path).content.decode()
    assert 'role="alert"' in page and "new_password1" not in page


def test_reset_enforces_the_validators(client, olga):
    client.post(RESET, {"email": "olga@example.org"})
    form_url = client.get(reset_link().split("testserver", 1)[1])["Location"]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200 and "12" in response.content.decode()
    olga.refresh_from_db()
    assert olga.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).exists()


def test_tampered_reset_link_changes_nothing(client, olga):
    client.post(RESET, {"email": "olga@example.org"})
    path = reset_link().split("testserver", 1)[1]
    tampered = path.replace("/reset/", "/reset/x", 1)
    for url in (tampered, path[:-3] + "zz/"):
        response = client.get(url)
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
        response = client.post(url, {"new_password1": NEW, "new_password2": NEW})
        assert response.status_code == 200
    olga.refresh_from_db()
    assert olga.check_password(PASSWORD)


def test_reset_ends_the_accounts_sign_in_lock(client, olga):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/it/accounts/login/",
            {"username": "olga", "password": "not it"},
            REMOTE_ADDR=f"10.0.0.{_ + 1}",
        )
    assert AccessAttempt.objects.filter(username="olga").exists()
    client.post(RESET, {"email": "olga@example.org"})
    form_url = client.get(reset_link().split("testserver", 1)[1])["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert not AccessAttempt.objects.filter(username="olga").exists()
    response = client.post("/it/accounts/login/", {"username": "olga", "password": NEW})
    assert response.status_code == 302 and signed_in(client)

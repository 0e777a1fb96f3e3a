"""Invitation links and the accept page: signed, single use, 7 days from sending, revocable;
the e-mail in the recipient's language; the account created exactly as the invitation says."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail, signing
from django.test import Client
from django.utils import timezone, translation

from pertutti.accounts.invitations import (
    SALT,
    InvitationRefused,
    invitation_expires_at,
    invitation_from_token,
    invitation_token,
)
from pertutti.accounts.models import (
    AuditAction,
    AuditEvent,
    Invitation,
    OrganizationMembership,
    Profile,
    Role,
    RoleAssignment,
)
from pertutti.accounts.services import invitation_resend, invitation_revoke, invitation_send
from pertutti.directory.models import Organization
from tests.staff import make_person

BASE = "https://example.org/"
GOOD_PASSWORD = "violet tangerine harbour 42"


@pytest.fixture
def admin(lodi):
    user = make_person("admin", lodi, Role.ADMINISTRATOR)
    user.first_name = "Anna <b>Rossi</b>"
    user.save()
    return user


@pytest.fixture
def caritas(lodi):
    return Organization.objects.create(territory=lodi, name="Caritas", kind="third_sector")


@pytest.fixture
def invitation(lodi, admin, caritas):
    return invitation_send(
        territory=lodi,
        email="new@example.org",
        roles=[Role.TRANSLATOR, Role.EDITOR],
        languages=["ar"],
        organizations=[caritas.pk],
        language="it",
        invited_by=admin,
        base_url=BASE,
    )


def url(invitation: Invitation, language: str = "it") -> str:
    return f"/{language}/accounts/invitation/{invitation_token(invitation)}/"


def accept(client: Client, path: str, **data: str):
    values = {"name": "Mario Bianchi", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    values.update(data)
    return client.post(path, values)


def nothing_created() -> None:
    assert not get_user_model().objects.filter(username="new@example.org").exists()
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.INVITATION_ACCEPTED).exists()


def never_cached(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


# --- the token ------------------------------------------------------------------------------


def test_a_token_names_its_invitation(invitation):
    assert invitation_from_token(invitation_token(invitation)) == invitation
    assert invitation.nonce not in invitation_token(invitation).split(":")[-1]


@pytest.mark.parametrize(
    "token", ["", "garbage", "eyJpIjoxLCJuIjoieCJ9:forged:signature", "a" * 500]
)
def test_forged_tokens_are_invalid(invitation, token):
    with pytest.raises(InvitationRefused) as refused:
        invitation_from_token(token)
    assert refused.value.reason == "invalid"


# --- the e-mail -----------------------------------------------------------------------------


def test_the_email_carries_the_link_and_what_was_granted(invitation):
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "\n" not in message.subject
    link = f"https://example.org/it/accounts/invitation/{invitation_token(invitation)}/"
    assert link in message.body
    # Plain text: names as written, not HTML-escaped.
    assert "Anna <b>Rossi</b>" in message.body
    assert "Caritas" in message.body
    assert "arabo" in message.body  # the language, named in Italian


ITALIAN_MONTHS = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre"
ITALIAN_MONTHS = [*ITALIAN_MONTHS.split(), "novembre", "dicembre"]


@pytest.mark.parametrize("language", ["it", "ar"])
def test_the_email_is_in_the_recipients_language(lodi, admin, language):
    invitation = invitation_send(
        territory=lodi,
        email="new@example.org",
        roles=[Role.TRANSLATOR],
        languages=["uk"],
        language=language,
        invited_by=admin,
        base_url=BASE,
    )
    message = mail.outbox[0]
    subject = {"it": "Invito a Lodi per tutti", "ar": "دعوة إلى Lodi per tutti"}[language]
    assert message.subject == subject
    # The link opens the site in that language.
    assert f"/{language}/accounts/invitation/{invitation_token(invitation)}/" in message.body
    # Dates and language names come out in the recipient's language (Django's and CLDR's
    # own catalogues, so this holds whatever our catalogue has translated yet).
    year = str(timezone.localtime(invitation_expires_at(invitation)).year)
    date_line = next(
        line for line in message.body.splitlines() if year in line and "http" not in line
    )
    if language == "it":
        assert "ucraino" in message.body
        assert any(month in date_line.lower() for month in ITALIAN_MONTHS)
    else:
        assert "الأوكرانية" in message.body
        assert re.search("[\u0600-\u06ff]", date_line)


# --- the accept page ------------------------------------------------------------------------


def test_the_page_says_who_invited_and_for_what(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    assert never_cached(response)
    html = response.content.decode()
    assert "Anna &lt;b&gt;Rossi&lt;/b&gt;" in html and "<b>Rossi" not in html
    assert "new@example.org" in html
    assert str(Role.TRANSLATOR.label) in html and "Caritas" in html
    assert 'name="password2"' in html


def test_accepting_creates_the_account_and_signs_in(client, invitation, lodi, caritas):
    response = accept(client, url(invitation, "ar"))
    assert response.status_code == 302
    assert response["Location"] == "/ar/manage/"
    user = get_user_model().objects.get(username="new@example.org")
    assert user.email == "new@example.org" and user.first_name == "Mario Bianchi"
    assert user.check_password(GOOD_PASSWORD) and user.is_active
    assert Profile.objects.get(user=user).language == "it"
    assert dict(
        RoleAssignment.objects.filter(user=user, territory=lodi).values_list("role", "languages")
    ) == {Role.EDITOR: [], Role.TRANSLATOR: ["ar"]}
    assert list(OrganizationMembership.objects.filter(user=user)) == [
        OrganizationMembership.objects.get(organization=caritas)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert int(client.session[SESSION_KEY]) == user.pk
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_ACCEPTED)
    assert event.actor == user and GOOD_PASSWORD not in str(event.detail)


def test_html_in_the_name_is_stored_as_text(client, invitation):
    accept(client, url(invitation), name="<script>alert(1)</script>")
    user = get_user_model().objects.get(username="new@example.org")
    assert user.first_name == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"password2": "something else entirely"}, "differ"),
        ({"password1": "short", "password2": "short"}, "at least 12"),
        ({"password1": "password1234", "password2": "password1234"}, "too common"),
        ({"password1": "new@example.org", "password2": "new@example.org"}, "too similar"),
        ({"name": "   "}, "required"),
    ],
)
def test_bad_name_or_password_creates_nothing(client, invitation, data, error):
    with translation.override("en"):
        response = accept(client, url(invitation, "en"), **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    nothing_created()


def test_a_link_works_once(client, invitation):
    path = url(invitation)
    assert accept(client, path).status_code == 302
    again = Client()
    response = again.get(path)
    assert response.status_code == 400
    assert never_cached(response)
    response = accept(again, path, name="Someone Else")
    assert response.status_code == 400
    assert get_user_model().objects.filter(username="new@example.org").count() == 1
    assert get_user_model().objects.get(username="new@example.org").first_name == "Mario Bianchi"


def test_an_expired_link_is_refused(client, invitation):
    invitation.sent_at -= timedelta(days=8)
    invitation.save()
    path = url(invitation, "en")
    response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert accept(client, path).status_code == 400
    nothing_created()


def test_six_days_is_still_fine(client, invitation):
    invitation.sent_at -= timedelta(days=6, hours=23)
    invitation.save()
    assert client.get(url(invitation)).status_code == 200


def test_a_tampered_link_is_refused(client, invitation):
    token = invitation_token(invitation)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    path = f"/en/accounts/invitation/{tampered}/"
    response = client.get(path)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert accept(client, path).status_code == 404
    nothing_created()


def test_a_token_cannot_be_pointed_at_another_invitation(client, invitation):
    other = Invitation.objects.create(
        territory=invitation.territory,
        email="x@example.org",
        roles=["operator"],
        nonce="other",
        sent_at=invitation.sent_at,
    )
    # The payload edited to name the other row: the signature no longer matches.
    _payload, rest = invitation_token(invitation).split(":", 1)
    edited = signing.b64_encode(
        json.dumps({"i": other.pk, "n": invitation.nonce}, separators=(",", ":")).encode()
    ).decode()
    assert client.get(f"/it/accounts/invitation/{edited}:{rest}/").status_code == 404
    # Even a validly signed (id, nonce) pair must match the row's own nonce.
    mixed = signing.dumps({"i": other.pk, "n": invitation.nonce}, salt=SALT)
    assert client.get(f"/it/accounts/invitation/{mixed}/").status_code == 404
    # And a token signed for another purpose (another salt) is not an invitation.
    elsewhere = signing.dumps({"i": other.pk, "n": other.nonce})
    assert client.get(f"/it/accounts/invitation/{elsewhere}/").status_code == 404
    nothing_created()


def test_a_revoked_link_is_refused(client, invitation, admin):
    invitation_revoke(invitation=invitation, by=admin)
    response = client.get(url(invitation, "en"))
    assert response.status_code == 400
    assert "withdrawn" in response.content.decode()
    assert accept(client, url(invitation)).status_code == 400
    nothing_created()


def test_resending_voids_the_earlier_link(client, invitation, admin):
    old = url(invitation)
    invitation_resend(invitation=invitation, by=admin, base_url=BASE)
    invitation.refresh_from_db()
    assert client.get(old).status_code == 404
    assert accept(client, old).status_code == 404
    nothing_created()
    assert accept(client, url(invitation)).status_code == 302


def test_an_account_that_exists_meanwhile_is_a_clear_error(client, invitation):
    existing = get_user_model().objects.create_user("new@example.org", email="new@example.org")
    existing.is_active = False
    existing.save()
    response = client.get(url(invitation, "en"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    response = accept(client, url(invitation, "en"))
    assert response.status_code == 400
    assert get_user_model().objects.filter(username="new@example.org").count() == 1
    assert not RoleAssignment.objects.filter(user=existing).exists()


def test_post_without_csrf_token_is_refused(invitation):
    client = Client(enforce_csrf_checks=True)
    response = accept(client, url(invitation))
    assert response.status_code == 403
    nothing_created()


def test_refusal_pages_are_translated(client, invitation):
    invitation.sent_at -= timedelta(days=8)
    invitation.save()
    english = client.get(url(invitation, "en")).content.decode()
    arabic = client.get(url(invitation, "ar")).content.decode()
    assert 'lang="ar"' in arabic and 'dir="rtl"' in arabic
    with translation.override("ar"):
        expected = str(InvitationRefused("expired").message)
    assert expected in arabic and "expired" in english

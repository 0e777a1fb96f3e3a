"""The person's own account page: name, language, links to password and second factor."""

import pytest
from django.test import Client

from pertutti.accounts.models import Profile, Role
from tests.staff import make_person, sign_in

PROFILE = "/it/accounts/profile/"


@pytest.fixture
def olga(lodi):
    return make_person("olga", lodi, Role.OPERATOR, email="olga@example.org")


def test_anonymous_is_sent_to_sign_in(client, lodi):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/it/accounts/login/?next=/it/accounts/profile/"


def test_unverified_administrator_is_sent_to_the_second_factor(client, lodi):
    sign_in(client, make_person("ada", lodi, Role.ADMINISTRATOR), verified=False)
    response = client.get(PROFILE)
    assert response["Location"] == "/it/accounts/two-factor/?next=/it/accounts/profile/"


def test_page_shows_the_account_privately(client, olga):
    sign_in(client, olga, verified=False)
    response = client.get("/en/accounts/profile/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "<h1>My account</h1>" in page
    assert "olga@example.org" in page and 'name="email"' not in page  # read-only
    assert 'href="/en/accounts/password/"' in page
    assert 'href="/en/accounts/two-factor/"' in page  # set it up (optional for her)
    assert '<option value="it" selected>' in page  # the default language
    assert Profile.objects.get(user=olga).language == "it"


def test_with_a_second_factor_it_offers_new_recovery_codes(client, lodi):
    ada = make_person("ada", lodi, Role.ADMINISTRATOR)
    sign_in(client, ada)
    page = client.get("/en/accounts/profile/").content.decode()
    assert 'action="/en/accounts/two-factor/recovery-codes/"' in page
    assert "two-factor/disable/" not in page  # required for administrators


def test_saving_name_and_language_reopens_the_page_in_that_language(client, olga):
    sign_in(client, olga, verified=False)
    response = client.post(
        PROFILE, {"first_name": " Olga ", "last_name": "Rossi", "language": "ar"}
    )
    assert response.status_code == 302 and response["Location"] == "/ar/accounts/profile/"
    olga.refresh_from_db()
    assert (olga.first_name, olga.last_name) == ("Olga", "Rossi")
    assert Profile.objects.get(user=olga).language == "ar"
    page = client.get(response["Location"]).content.decode()
    assert 'dir="rtl"' in page and 'role="status"' in page


def test_html_in_the_name_is_kept_as_text_and_shown_escaped(client, olga):
    sign_in(client, olga, verified=False)
    client.post(PROFILE, {"first_name": "<b>Olga</b>", "last_name": "", "language": "it"})
    olga.refresh_from_db()
    assert olga.first_name == "<b>Olga</b>"
    page = client.get(PROFILE).content.decode()
    assert "<b>Olga</b>" not in page and "&lt;b&gt;Olga&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": "Olga", "last_name": "", "language": "xx"},
        {"first_name": "Olga", "last_name": "", "language": ""},
        {"first_name": "O" * 151, "last_name": "", "language": "it"},
    ],
)
def test_bad_input_changes_nothing(client, olga, data):
    sign_in(client, olga, verified=False)
    response = client.post(PROFILE, data)
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    olga.refresh_from_db()
    assert olga.first_name == ""
    assert not Profile.objects.filter(user=olga).exclude(language="it").exists()


def test_email_and_user_name_cannot_be_changed_here(client, olga):
    sign_in(client, olga, verified=False)
    client.post(
        PROFILE,
        {"first_name": "", "last_name": "", "language": "it", "email": "x@evil.example"},
    )
    olga.refresh_from_db()
    assert olga.email == "olga@example.org" and olga.username == "olga"


def test_post_without_csrf_token_is_refused(olga):
    client = sign_in(Client(enforce_csrf_checks=True), olga, verified=False)
    response = client.post(PROFILE, {"first_name": "X", "last_name": "", "language": "en"})
    assert response.status_code == 403
    olga.refresh_from_db()
    assert olga.first_name == ""

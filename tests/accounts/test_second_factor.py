"""The second factor: setting up an authenticator, confirming a sign-in with a code or a
recovery code, throttling of wrong codes, recovery codes and turning it off."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts import second_factor
from pertutti.accounts.models import AuditAction, AuditEvent, Role
from tests.staff import make_person, sign_in

TWO_FACTOR = "/it/accounts/two-factor/"


@pytest.fixture
def ada(lodi):
    return make_person("ada", lodi, Role.ADMINISTRATOR)


@pytest.fixture
def olga(lodi):
    return make_person("olga", lodi, Role.OPERATOR)


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def verified_with(client: Client) -> str | None:
    return client.session.get(DEVICE_ID_SESSION_KEY)


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator and recovery codes, as the setup page leaves them."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = ["abcdefgh", "ijklmnop"]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return device, codes


def codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


# --- the gate -------------------------------------------------------------------------------


def test_administrator_is_sent_from_the_back_office_to_the_second_factor(client, ada):
    sign_in(client, ada, verified=False)
    response = client.get("/it/manage/")
    assert response.status_code == 302
    assert response["Location"] == "/it/accounts/two-factor/?next=/it/manage/"


def test_reviewer_needs_it_too_and_an_operator_does_not(client, lodi, olga):
    reviewer = make_person("rita", lodi, Role.REVIEWER)
    assert second_factor.required_by_role(reviewer, lodi)
    assert not second_factor.required_by_role(olga, lodi)
    sign_in(client, olga, verified=False)
    assert client.get("/it/accounts/profile/").status_code == 200


def test_anonymous_is_sent_to_sign_in(client, lodi):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith("/it/accounts/login/")


# --- setting it up --------------------------------------------------------------------------


def test_setup_page_shows_a_qr_code_and_the_secret(client, ada):
    sign_in(client, ada, verified=False)
    response = client.get(TWO_FACTOR, {"next": "/it/manage/"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'class="qr" src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=ada, confirmed=False)
    secret = second_factor.provisioning(device).secret
    assert secret in page and len(secret.replace(" ", "")) == 32
    assert '<input type="hidden" name="next" value="/it/manage/">' in page
    # Reloading shows the same secret (it may already be in the phone).
    assert secret in client.get(TWO_FACTOR).content.decode()
    assert TOTPDevice.objects.filter(user=ada).count() == 1


def test_confirming_setup_shows_ten_recovery_codes_once(client, ada):
    sign_in(client, ada, verified=False)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=ada)
    response = client.post(TWO_FACTOR, {"code": code_of(device), "next": "/it/manage/"})
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    codes = codes_on(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=ada).values_list("token", flat=True)) == set(
        codes
    )
    assert 'href="/it/manage/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert verified_with(client) == device.persistent_id
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR)
    assert event.actor == ada and event.detail == {"change": "enabled"}
    assert not any(code in str(event.detail) for code in codes)
    # Once set up, the page asks for a code: no second set of codes, no new secret.
    sign_in(second := Client(), ada, verified=False)
    page = second.get(TWO_FACTOR).content.decode()
    assert 'class="qr"' not in page and not codes_on(page)


def test_wrong_code_at_setup_confirms_nothing(client, ada):
    sign_in(client, ada, verified=False)
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": "000000"})
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=ada, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=ada).exists()
    assert verified_with(client) is None


# --- confirming a sign-in -------------------------------------------------------------------


def test_verify_with_the_authenticator_code(client, ada):
    device, _ = enrolled(ada)
    sign_in(client, ada, verified=False)
    page = client.get(TWO_FACTOR).content.decode()
    assert 'name="code"' in page and 'class="qr"' not in page
    response = client.post(TWO_FACTOR, {"code": code_of(device), "next": "/it/manage/people/"})
    assert response.status_code == 302 and response["Location"] == "/it/manage/people/"
    assert verified_with(client) == device.persistent_id
    # The same code cannot be used twice.
    sign_in(other := Client(), ada, verified=False)
    response = other.post(TWO_FACTOR, {"code": code_of(device)})
    assert response.status_code == 200 and verified_with(other) is None


def test_verify_with_a_recovery_code_uses_it_up(client, ada):
    _, codes = enrolled(ada)
    sign_in(client, ada, verified=False)
    response = client.post(TWO_FACTOR, {"code": codes[0].upper()})
    assert response.status_code == 302 and response["Location"] == "/it/manage/"
    assert verified_with(client) == StaticDevice.objects.get(user=ada).persistent_id
    assert list(StaticToken.objects.values_list("token", flat=True)) == codes[1:]
    sign_in(other := Client(), ada, verified=False)
    assert other.post(TWO_FACTOR, {"code": codes[0]}).status_code == 200
    assert verified_with(other) is None


def test_wrong_code_is_refused_with_a_message(client, ada):
    device, _ = enrolled(ada)
    sign_in(client, ada, verified=False)
    response = client.post("/en/accounts/two-factor/", {"code": "123456"})
    page = response.content.decode()
    assert response.status_code == 200 and "This code is not right." in page
    assert verified_with(client) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


@pytest.mark.parametrize("code", ["", "x" * 40, "<script>", "12345678901234567"])
def test_malformed_codes_are_refused(client, ada, code):
    enrolled(ada)
    sign_in(client, ada, verified=False)
    response = client.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200 and verified_with(client) is None
    assert "<script>" not in response.content.decode()


def test_after_repeated_wrong_codes_even_the_right_one_waits(client, ada):
    device, _ = enrolled(ada)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=8, throttling_failure_timestamp=timezone.now()
    )
    sign_in(client, ada, verified=False)
    response = client.post("/en/accounts/two-factor/", {"code": code_of(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert verified_with(client) is None
    # Once the wait (2**7 s here) is over, the right code passes.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=3)
    )
    response = client.post(TWO_FACTOR, {"code": code_of(device)})
    assert response.status_code == 302 and verified_with(client) == device.persistent_id


def test_next_to_another_site_is_ignored(client, ada):
    device, _ = enrolled(ada)
    sign_in(client, ada, verified=False)
    response = client.post(TWO_FACTOR, {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == "/it/manage/"


def test_verified_session_is_sent_on(client, ada):
    sign_in(client, ada)
    response = client.get(TWO_FACTOR, {"next": "/it/manage/"})
    assert response.status_code == 302 and response["Location"] == "/it/manage/"


def test_post_without_csrf_token_is_refused(ada):
    device, _ = enrolled(ada)
    client = sign_in(Client(enforce_csrf_checks=True), ada, verified=False)
    assert client.post(TWO_FACTOR, {"code": code_of(device)}).status_code == 403
    assert verified_with(client) is None


# --- recovery codes and turning it off ------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, ada):
    _, old = enrolled(ada)
    sign_in(client, ada)
    assert client.get("/it/accounts/two-factor/recovery-codes/").status_code == 405
    response = client.post("/it/accounts/two-factor/recovery-codes/")
    new = codes_on(response.content.decode())
    assert response.status_code == 200 and len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR).detail == {
        "change": "recovery_codes_renewed"
    }


def test_recovery_codes_need_a_verified_session(client, ada):
    _, old = enrolled(ada)
    sign_in(client, ada, verified=False)
    response = client.post("/it/accounts/two-factor/recovery-codes/")
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


def test_an_operator_may_set_it_up_and_turn_it_off_with_a_code(client, olga):
    sign_in(client, olga, verified=False)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=olga)
    client.post(TWO_FACTOR, {"code": code_of(device)})
    device.refresh_from_db()
    assert device.confirmed
    # Now she is asked for it at every sign-in, like an administrator.
    sign_in(other := Client(), olga, verified=False)
    assert other.get("/it/accounts/profile/").status_code == 302

    assert client.get("/it/accounts/two-factor/disable/").status_code == 200
    response = client.post("/it/accounts/two-factor/disable/", {"code": "000000"})
    assert response.status_code == 200 and TOTPDevice.objects.filter(user=olga).exists()
    code = StaticToken.objects.filter(device__user=olga).first().token
    TOTPDevice.objects.filter(user=olga).update(throttling_failure_count=0)
    response = client.post("/it/accounts/two-factor/disable/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/it/accounts/profile/"
    assert not TOTPDevice.objects.filter(user=olga).exists()
    assert not StaticDevice.objects.filter(user=olga).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, detail={"change": "disabled"}
    ).exists()
    assert other.get("/it/accounts/profile/").status_code == 200


def test_an_administrator_may_not_turn_it_off(client, ada):
    sign_in(client, ada)
    device = TOTPDevice.objects.get(user=ada)
    page = client.get("/it/accounts/two-factor/disable/").content.decode()
    assert 'name="code"' not in page
    response = client.post("/it/accounts/two-factor/disable/", {"code": code_of(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=ada, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR).exists()

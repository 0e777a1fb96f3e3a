"""Back office people pages: who may open and use them, and what they refuse.

Only administrators (and the technical owner) manage people; a person or invitation of
another territory is not found; writes are POST only and need the CSRF token."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.models import (
    AuditEvent,
    Invitation,
    OrganizationMembership,
    Role,
    RoleAssignment,
)
from pertutti.accounts.services import invitation_send
from pertutti.directory.models import Organization
from pertutti.territories.models import Territory
from tests.staff import PASSWORD, make_person, sign_in

BASE = "https://example.org/"


def other_territory(lodi: Territory) -> Territory:
    fields = {
        f.name: getattr(lodi, f.name) for f in Territory._meta.concrete_fields if f.name != "id"
    }
    fields.update(slug="cremona", name="Cremona per tutti")
    return Territory.objects.create(**fields)


@pytest.fixture
def cremona(lodi):
    return other_territory(lodi)


@pytest.fixture
def caritas(lodi):
    return Organization.objects.create(territory=lodi, name="Caritas", kind="third_sector")


@pytest.fixture
def admin(lodi):
    return make_person("admin", lodi, Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(admin):
    return sign_in(Client(), admin)


@pytest.fixture
def operator(lodi):
    user = make_person("operator", lodi, Role.OPERATOR)
    user.first_name = "<script>alert(1)</script>"
    user.save()
    return user


@pytest.fixture
def invitation(lodi, admin):
    return invitation_send(
        territory=lodi,
        email="new@example.org",
        roles=[Role.OPERATOR],
        invited_by=admin,
        base_url=BASE,
    )


def person_for(who: str, lodi: Territory, caritas: Organization):
    """A signed-in client for each kind of visitor."""
    if who == "anonymous":
        return Client()
    if who == "superuser":
        user = get_user_model().objects.create_superuser("owner", password=PASSWORD)
    elif who == "other_administrator":
        user = make_person("far", other_territory(lodi), Role.ADMINISTRATOR)
    elif who == Role.TRANSLATOR:
        user = make_person(f"as-{who}", lodi, who, languages=["ar"])
    elif who == Role.EDITOR:
        user = make_person(f"as-{who}", lodi, who, organizations=[caritas])
    else:
        user = make_person(f"as-{who}", lodi, who)
    return sign_in(Client(), user)


def page_urls(operator, invitation) -> list[tuple[str, str]]:
    pk, user_id = invitation.pk, operator.pk
    return [
        ("get", "/it/manage/people/"),
        ("get", "/it/manage/people/invite/"),
        ("get", f"/it/manage/people/{user_id}/"),
        ("post", "/it/manage/people/invite/"),
        ("post", f"/it/manage/people/{user_id}/"),
        ("post", f"/it/manage/people/{user_id}/deactivate/"),
        ("post", f"/it/manage/people/{user_id}/reactivate/"),
        ("post", f"/it/manage/people/{user_id}/second-factor/reset/"),
        ("post", f"/it/manage/people/invitations/{pk}/resend/"),
        ("post", f"/it/manage/people/invitations/{pk}/revoke/"),
    ]


def state() -> tuple:
    """Everything the people pages could change."""
    return (
        list(get_user_model().objects.order_by("pk").values_list("pk", "is_active")),
        list(RoleAssignment.objects.order_by("pk").values_list("user_id", "role", "languages")),
        list(OrganizationMembership.objects.values_list("user_id", "organization_id")),
        list(Invitation.objects.order_by("pk").values_list("nonce", "revoked_at", "email")),
        len(mail.outbox),
        list(TOTPDevice.objects.order_by("pk").values_list("pk", flat=True)),
    )


# --- who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "login"),
        (Role.REVIEWER, 403),
        (Role.EDITOR, 403),
        (Role.TRANSLATOR, 403),
        (Role.OPERATOR, 403),
        ("other_administrator", 403),
        (Role.ADMINISTRATOR, "ok"),
        ("superuser", "ok"),
    ],
)
def test_each_page_per_role(lodi, caritas, operator, invitation, who, expected):
    client = person_for(who, lodi, caritas)
    before = state()
    for method, url in page_urls(operator, invitation):
        response = getattr(client, method)(url, {})
        where = f"{who} {method} {url}"
        if expected == "login":
            assert response.status_code == 302, where
            assert response["Location"].startswith("/it/accounts/login/"), where
        elif expected == 403:
            assert response.status_code == 403, where
        else:
            # Empty forms are redisplayed, and the writes answer with a redirect.
            assert response.status_code in (200, 302), where
        if expected == "ok":
            assert "no-store" in response.get("Cache-Control", ""), where
        else:
            assert state() == before, where


def test_writes_are_post_only(admin_client, operator, invitation):
    before = state()
    for method, url in page_urls(operator, invitation):
        if method == "post" and "/invite/" not in url and not url.endswith(f"/{operator.pk}/"):
            assert admin_client.get(url).status_code == 405, url
    assert state() == before


def test_post_without_csrf_token_is_refused(admin, operator, invitation, caritas):
    client = sign_in(Client(enforce_csrf_checks=True), admin)
    before = state()
    for method, url in page_urls(operator, invitation):
        if method == "post":
            response = client.post(url, {"email": "x@example.org", "roles": ["operator"]})
            assert response.status_code == 403, url
    assert state() == before


# --- another territory's ids ----------------------------------------------------------------


def test_a_person_of_another_territory_is_not_found(admin_client, cremona):
    stranger = make_person("stranger", cremona, Role.OPERATOR)
    nobody = get_user_model().objects.create_user("nobody")
    before = state()
    for user in (stranger, nobody):
        assert admin_client.get(f"/it/manage/people/{user.pk}/").status_code == 404
        for suffix in ("", "deactivate/", "reactivate/"):
            response = admin_client.post(
                f"/it/manage/people/{user.pk}/{suffix}", {"roles": ["administrator"]}
            )
            assert response.status_code == 404
    assert admin_client.get("/it/manage/people/999999/").status_code == 404
    assert state() == before


def test_an_invitation_of_another_territory_is_not_found(admin_client, cremona):
    far_admin = make_person("far", cremona, Role.ADMINISTRATOR)
    theirs = invitation_send(
        territory=cremona,
        email="invited@example.org",
        roles=[Role.OPERATOR],
        invited_by=far_admin,
        base_url=BASE,
    )
    before = state()
    for action in ("resend", "revoke"):
        response = admin_client.post(f"/it/manage/people/invitations/{theirs.pk}/{action}/")
        assert response.status_code == 404
    assert state() == before


def test_an_organisation_of_another_territory_is_refused(admin_client, operator, cremona):
    theirs = Organization.objects.create(territory=cremona, name="Far", kind="third_sector")
    before = state()
    response = admin_client.post(
        "/it/manage/people/invite/",
        {"email": "x@example.org", "roles": ["editor"], "organizations": [theirs.pk]},
    )
    assert response.status_code == 200
    response = admin_client.post(
        f"/it/manage/people/{operator.pk}/", {"roles": ["editor"], "organizations": [theirs.pk]}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert state() == before


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_people_and_invitations_escaped(admin_client, operator, invitation):
    response = admin_client.get("/en/manage/people/")
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "new@example.org" in html
    assert f'/en/manage/people/invitations/{invitation.pk}/resend/"' in html
    assert 'class="table-scroll"' in html


def people_page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/it/manage/people/").status_code == 200
    return len(captured)


def test_the_list_costs_the_same_for_1_and_20_people(admin, admin_client, lodi, caritas):
    def add(n: int) -> None:
        make_person(f"p{n}", lodi, Role.EDITOR, Role.TRANSLATOR, organizations=[caritas])
        invitation_send(
            territory=lodi,
            email=f"i{n}@example.org",
            roles=[Role.EDITOR],
            organizations=[caritas],
            invited_by=admin,
            base_url=BASE,
        )

    add(0)
    people_page_queries(admin_client)  # warm what is cached across requests
    one = people_page_queries(admin_client)
    for n in range(1, 20):
        add(n)
    assert people_page_queries(admin_client) == one


# --- inviting -------------------------------------------------------------------------------


def test_inviting_a_translator_for_arabic(admin_client, lodi):
    page = admin_client.get("/it/manage/people/invite/").content.decode()
    assert 'value="ar"' in page and "arabo" in page  # target languages, named in Italian
    assert 'value="it"' not in page.split('name="language"')[0]  # not the source language
    response = admin_client.post(
        "/it/manage/people/invite/",
        {"email": "Tr@Example.org", "roles": ["translator"], "languages": ["ar"], "language": "ar"},
    )
    assert response.status_code == 302 and response["Location"] == "/it/manage/people/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.roles, invitation.languages, invitation.language) == (
        "tr@example.org",
        ["translator"],
        ["ar"],
        "ar",
    )
    assert len(mail.outbox) == 1
    # The link points at this site, as the browser reached it, in the recipient's language.
    assert "http://testserver/ar/accounts/invitation/" in mail.outbox[0].body


def test_inviting_an_editor_with_their_organisation(admin_client, caritas):
    response = admin_client.post(
        "/it/manage/people/invite/",
        {
            "email": "ed@example.org",
            "roles": ["editor"],
            "organizations": [caritas.pk],
            "language": "it",
        },
    )
    assert response.status_code == 302
    assert list(Invitation.objects.get().organizations.all()) == [caritas]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "t@example.org", "roles": ["translator"]}, "at least one language"),
        ({"email": "e@example.org", "roles": ["editor"]}, "at least one organisation"),
        ({"email": "<b>x</b>@example.org", "roles": ["operator"]}, "valid email"),
        ({"email": "x@example.org", "roles": []}, "required"),
        ({"email": "x@example.org", "roles": ["god"]}, "not one of the available"),
        ({"email": "x@example.org", "roles": ["translator"], "languages": ["xx"]}, "valid"),
    ],
)
def test_bad_invitations_are_explained(admin_client, data, message):
    data = {"language": "it", **data}
    before = state()
    response = admin_client.post("/en/manage/people/invite/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<b>x</b>" not in html  # the typed address comes back escaped
    assert state() == before


def test_a_member_is_not_invited_again(admin_client, operator):
    before = state()
    response = admin_client.post(
        "/en/manage/people/invite/",
        {"email": operator.email.upper(), "roles": ["operator"], "language": "it"},
    )
    assert "already a member" in response.content.decode()
    assert state() == before


def test_an_editor_cannot_invite(lodi, caritas):
    client = person_for(Role.EDITOR, lodi, caritas)
    response = client.post(
        "/it/manage/people/invite/",
        {"email": "x@example.org", "roles": ["administrator"], "language": "it"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists() and mail.outbox == []


# --- a person -------------------------------------------------------------------------------


def test_changing_roles(admin_client, operator, caritas, lodi):
    page = admin_client.get(f"/en/manage/people/{operator.pk}/").content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert re.search(r'value="operator"[^>]*checked', page)  # the current roles are ticked
    assert not re.search(r'value="editor"[^>]*checked', page)
    response = admin_client.post(
        f"/en/manage/people/{operator.pk}/",
        {"roles": ["editor", "translator"], "languages": ["uk"], "organizations": [caritas.pk]},
    )
    assert response.status_code == 302
    assert dict(
        RoleAssignment.objects.filter(user=operator, territory=lodi).values_list(
            "role", "languages"
        )
    ) == {"editor": [], "translator": ["uk"]}
    assert OrganizationMembership.objects.filter(user=operator, organization=caritas).exists()


def test_the_last_administrator_cannot_drop_the_role(admin, admin_client):
    before = state()
    response = admin_client.post(f"/en/manage/people/{admin.pk}/", {"roles": ["operator"]})
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert state() == before


def test_deactivating_ends_the_persons_sessions(admin_client, lodi, caritas):
    operator = make_person("desk", lodi, Role.OPERATOR)
    their_client = sign_in(Client(), operator)
    assert their_client.get("/it/manage/").status_code == 200
    response = admin_client.post(f"/it/manage/people/{operator.pk}/deactivate/")
    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_active
    # Their open session no longer signs them in.
    response = their_client.get("/it/manage/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ModelBackend().authenticate(None, username="desk", password=PASSWORD) is None
    # Still listed, as deactivated; reactivation gives the account back.
    assert "desk" in admin_client.get("/en/manage/people/").content.decode()
    admin_client.post(f"/it/manage/people/{operator.pk}/reactivate/")
    operator.refresh_from_db()
    assert operator.is_active
    assert get_user_model().objects.filter(pk=operator.pk).exists()


def test_an_administrator_cannot_deactivate_themselves(admin, admin_client):
    response = admin_client.post(f"/en/manage/people/{admin.pk}/deactivate/", follow=True)
    assert "your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


# --- invitations ----------------------------------------------------------------------------


def test_resend_and_revoke(admin_client, invitation):
    nonce = invitation.nonce
    response = admin_client.post(f"/it/manage/people/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.nonce != nonce and len(mail.outbox) == 2
    admin_client.post(f"/it/manage/people/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Once withdrawn, it is no longer listed, and cannot be sent again.
    listed = admin_client.get("/it/manage/people/").content.decode()
    assert f"/invitations/{invitation.pk}/resend/" not in listed
    response = admin_client.post(
        f"/en/manage/people/invitations/{invitation.pk}/resend/", follow=True
    )
    assert "withdrawn" in response.content.decode()
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(target="new@example.org").count() == 3


# --- a lost second factor ----------------------------------------------------------------------


def test_an_administrator_resets_a_lost_second_factor(admin, admin_client, lodi):
    reviewer = make_person("rita", lodi, Role.REVIEWER)
    phone = sign_in(Client(), reviewer)  # a session confirmed with the phone now lost
    StaticDevice.objects.create(user=reviewer, name="recovery codes", confirmed=True)
    page = admin_client.get(f"/en/manage/people/{reviewer.pk}/").content.decode()
    assert "Reset the second factor" in page
    response = admin_client.post(f"/en/manage/people/{reviewer.pk}/second-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    event = AuditEvent.objects.get(detail__change="reset_by_administrator")
    assert (event.actor, event.target) == (admin, "rita")
    # The old session ended; signing in again leads to setting up a new authenticator.
    assert phone.get("/en/manage/").status_code == 302
    again = sign_in(Client(), reviewer, verified=False)
    response = again.get("/en/manage/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    # The administrator's own session is untouched.
    assert admin_client.get("/en/manage/").status_code == 200


def test_no_reset_of_ones_own_or_of_nothing(admin, admin_client, operator):
    before = state()
    response = admin_client.post(f"/en/manage/people/{admin.pk}/second-factor/reset/", follow=True)
    assert "from your account page" in response.content.decode()
    response = admin_client.post(
        f"/en/manage/people/{operator.pk}/second-factor/reset/", follow=True
    )
    assert "no second factor to reset" in response.content.decode()
    assert state() == before

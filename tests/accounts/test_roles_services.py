"""People services: invitations sent with checked roles, roles replaced, accounts deactivated;
and the people list read in a fixed number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.accounts.models import (
    AuditAction,
    AuditEvent,
    Invitation,
    OrganizationMembership,
    Role,
    RoleAssignment,
)
from pertutti.accounts.selectors import people_of, person_of
from pertutti.accounts.services import (
    PeopleError,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    person_deactivate,
    person_reactivate,
    person_set_roles,
)
from pertutti.directory.models import Organization
from pertutti.territories.models import Territory
from tests.staff import make_person

# The services' messages are read as their English msgids.
pytestmark = pytest.mark.usefixtures("english")

BASE = "https://example.org/"


def other_territory(lodi: Territory, slug: str = "cremona") -> Territory:
    fields = {
        f.name: getattr(lodi, f.name) for f in Territory._meta.concrete_fields if f.name != "id"
    }
    fields.update(slug=slug, name=f"{slug.title()} per tutti")
    return Territory.objects.create(**fields)


def organization(territory: Territory, name: str) -> Organization:
    return Organization.objects.create(territory=territory, name=name, kind="third_sector")


@pytest.fixture
def admin(lodi):
    return make_person("admin", lodi, Role.ADMINISTRATOR)


def send(lodi, admin, **overrides):
    values = dict(
        territory=lodi,
        email="new@example.org",
        roles=[Role.OPERATOR],
        languages=[],
        organizations=[],
        language="it",
        invited_by=admin,
        base_url=BASE,
    )
    values.update(overrides)
    return invitation_send(**values)


def nothing_sent() -> None:
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=AuditAction.INVITATION_SENT).exists()


# --- invitation_send ------------------------------------------------------------------------


def test_invitation_send_stores_checked_grants_and_records_it(lodi, admin):
    caritas = organization(lodi, "Caritas")
    invitation = send(
        lodi,
        admin,
        email="  New.Person@Example.org ",
        roles=[Role.TRANSLATOR, Role.EDITOR],
        languages=["ar", "uk"],
        organizations=[caritas.pk],
        language="ar",
    )
    assert invitation.email == "new.person@example.org"
    assert invitation.roles == [Role.EDITOR, Role.TRANSLATOR]  # usual order
    assert invitation.languages == ["ar", "uk"]  # the territory's menu order
    assert list(invitation.organizations.all()) == [caritas]
    assert invitation.language == "ar"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@example.org"]
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_SENT)
    assert event.actor == admin and event.target == "new.person@example.org"
    assert event.detail["roles"] == [Role.EDITOR, Role.TRANSLATOR]
    # The token is never written to the log.
    assert "invitation/" not in str(event.detail)


def test_languages_and_organisations_without_their_role_are_dropped(lodi, admin):
    invitation = send(
        lodi, admin, languages=["ar"], organizations=[organization(lodi, "Caritas").pk]
    )
    assert invitation.languages == []
    assert invitation.organizations.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": ["superhero"]}, "roles"),
        ({"roles": [Role.TRANSLATOR], "languages": []}, "languages"),
        ({"roles": [Role.TRANSLATOR], "languages": ["it"]}, "languages"),  # the source language
        ({"roles": [Role.TRANSLATOR], "languages": ["xx"]}, "languages"),
        ({"roles": [Role.EDITOR], "organizations": []}, "organizations"),
        ({"roles": [Role.EDITOR], "organizations": [999999]}, "organizations"),
        ({"roles": [Role.EDITOR], "organizations": ["1; DROP"]}, "organizations"),
        ({"email": "not an address"}, "email"),
        ({"email": "<b>x</b>@example.org"}, "email"),
        ({"language": "xx"}, "language"),
    ],
)
def test_invitation_send_refuses_bad_grants(lodi, admin, overrides, field):
    with pytest.raises(PeopleError) as error:
        send(lodi, admin, **overrides)
    assert error.value.field == field
    assert error.value.message
    nothing_sent()


def test_an_organisation_of_another_territory_is_refused(lodi, admin):
    ours = organization(lodi, "Caritas")
    theirs = organization(other_territory(lodi), "Caritas Cremona")
    with pytest.raises(PeopleError) as error:
        send(lodi, admin, roles=[Role.EDITOR], organizations=[ours.pk, theirs.pk])
    assert error.value.field == "organizations"
    nothing_sent()


def test_an_active_member_or_existing_account_is_not_invited(lodi, admin):
    member = make_person("member", lodi, Role.OPERATOR, email="member@example.org")
    with pytest.raises(PeopleError, match="already a member"):
        send(lodi, admin, email="MEMBER@example.org")
    member.is_active = False
    member.save()
    with pytest.raises(PeopleError, match="deactivated"):
        send(lodi, admin, email="member@example.org")
    get_user_model().objects.create_user("owner@example.org", email="owner@example.org")
    with pytest.raises(PeopleError, match="already exists"):
        send(lodi, admin, email="owner@example.org")
    nothing_sent()


def test_a_second_open_invitation_to_the_same_address_is_refused(lodi, admin):
    send(lodi, admin)
    with pytest.raises(PeopleError, match="already open"):
        send(lodi, admin, email="NEW@example.org")
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_nothing(lodi, admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 1
    with pytest.raises(PeopleError, match="could not be sent"):
        send(lodi, admin)
    assert Invitation.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.INVITATION_SENT).exists()


# --- resend, revoke -------------------------------------------------------------------------


def test_resend_draws_a_new_nonce_and_restarts_the_clock(lodi, admin):
    invitation = send(lodi, admin)
    old_nonce, old_sent = invitation.nonce, invitation.sent_at
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=old_sent.replace(year=2000))
    invitation_resend(invitation=invitation, by=admin, base_url=BASE)
    invitation.refresh_from_db()
    assert invitation.nonce != old_nonce
    assert invitation.sent_at >= old_sent
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_RESENT).count() == 1


def test_revoke_ends_it_and_a_revoked_one_cannot_be_resent(lodi, admin):
    invitation = send(lodi, admin)
    invitation_revoke(invitation=invitation, by=admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    with pytest.raises(PeopleError):
        invitation_resend(invitation=invitation, by=admin, base_url=BASE)
    with pytest.raises(PeopleError):
        invitation_revoke(invitation=invitation, by=admin)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).count() == 1


# --- person_set_roles -----------------------------------------------------------------------


def test_set_roles_replaces_this_territory_only(lodi, admin):
    elsewhere = other_territory(lodi)
    ours, theirs = organization(lodi, "Caritas"), organization(elsewhere, "Caritas Cremona")
    person = make_person("p", lodi, Role.EDITOR, organizations=[ours])
    RoleAssignment.objects.create(user=person, territory=elsewhere, role=Role.EDITOR)
    OrganizationMembership.objects.create(user=person, organization=theirs)
    person_set_roles(
        territory=lodi, user=person, roles=[Role.TRANSLATOR], languages=["ar"], by=admin
    )
    assert list(
        RoleAssignment.objects.filter(user=person, territory=lodi).values_list("role", "languages")
    ) == [(Role.TRANSLATOR, ["ar"])]
    # The other territory's role and membership are untouched.
    assert RoleAssignment.objects.filter(user=person, territory=elsewhere).exists()
    assert list(OrganizationMembership.objects.filter(user=person)) == [
        OrganizationMembership.objects.get(organization=theirs)
    ]
    event = AuditEvent.objects.get(action=AuditAction.ROLES_CHANGED)
    assert event.detail["before"] == [Role.EDITOR] and event.detail["roles"] == [Role.TRANSLATOR]


def test_set_roles_refuses_forged_organisations_and_changes_nothing(lodi, admin):
    theirs = organization(other_territory(lodi), "Caritas Cremona")
    person = make_person("p", lodi, Role.OPERATOR)
    with pytest.raises(PeopleError):
        person_set_roles(
            territory=lodi, user=person, roles=[Role.EDITOR], organizations=[theirs.pk], by=admin
        )
    assert list(RoleAssignment.objects.filter(user=person).values_list("role", flat=True)) == [
        Role.OPERATOR
    ]
    assert not OrganizationMembership.objects.filter(user=person).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ROLES_CHANGED).exists()


def test_set_roles_needs_a_person_of_the_territory(lodi, admin):
    stranger = make_person("stranger", other_territory(lodi), Role.ADMINISTRATOR)
    with pytest.raises(PeopleError):
        person_set_roles(territory=lodi, user=stranger, roles=[Role.OPERATOR], by=admin)
    assert not RoleAssignment.objects.filter(user=stranger, territory=lodi).exists()


def test_the_last_administrator_keeps_the_role(lodi, admin):
    with pytest.raises(PeopleError, match="last administrator"):
        person_set_roles(territory=lodi, user=admin, roles=[Role.OPERATOR], by=admin)
    assert RoleAssignment.objects.filter(user=admin, role=Role.ADMINISTRATOR).exists()
    # With a second administrator, the first may step down.
    make_person("second", lodi, Role.ADMINISTRATOR)
    person_set_roles(territory=lodi, user=admin, roles=[Role.OPERATOR], by=admin)
    assert not RoleAssignment.objects.filter(user=admin, role=Role.ADMINISTRATOR).exists()


def test_a_deactivated_administrator_does_not_count(lodi, admin):
    second = make_person("second", lodi, Role.ADMINISTRATOR)
    second.is_active = False
    second.save()
    with pytest.raises(PeopleError, match="last administrator"):
        person_set_roles(territory=lodi, user=admin, roles=[Role.OPERATOR], by=admin)


# --- deactivate, reactivate -----------------------------------------------------------------


def test_deactivate_and_reactivate_keep_the_account(lodi, admin):
    person = make_person("p", lodi, Role.TRANSLATOR, languages=["ar"])
    person_deactivate(territory=lodi, user=person, by=admin)
    person.refresh_from_db()
    assert not person.is_active
    assert RoleAssignment.objects.filter(user=person).exists()  # history and roles kept
    with pytest.raises(PeopleError):
        person_deactivate(territory=lodi, user=person, by=admin)
    person_reactivate(territory=lodi, user=person, by=admin)
    person.refresh_from_db()
    assert person.is_active
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.DEACTIVATED, AuditAction.REACTIVATED} <= actions


def test_nobody_deactivates_themselves_or_the_last_administrator(lodi, admin):
    with pytest.raises(PeopleError, match="your own"):
        person_deactivate(territory=lodi, user=admin, by=admin)
    owner = get_user_model().objects.create_superuser("owner", password="x" * 20)
    with pytest.raises(PeopleError, match="last administrator"):
        person_deactivate(territory=lodi, user=admin, by=owner)
    admin.refresh_from_db()
    assert admin.is_active


# --- people_of ------------------------------------------------------------------------------


def add_people(lodi, admin, organizations, start: int, stop: int) -> None:
    """People of every kind of role, and as many open invitations."""
    for n in range(start, stop):
        kind = n % 3
        if kind == 0:
            make_person(f"t{n}", lodi, Role.TRANSLATOR, Role.REVIEWER, languages=["ar", "uk"])
        elif kind == 1:
            make_person(f"e{n}", lodi, Role.EDITOR, organizations=organizations)
        else:
            make_person(f"o{n}", lodi, Role.OPERATOR)
        send(
            lodi,
            admin,
            email=f"i{n}@example.org",
            roles=[Role.EDITOR],
            organizations=[o.pk for o in organizations],
        )


def queries_for_people(lodi) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = people_of(lodi)
        # Everything the page shows, read from what was loaded.
        shown = [
            (p.roles, p.language_names, p.last_login, p.name, [o.name for o in p.organizations])
            for p in result.people
        ]
        shown += [
            (i.invited_by, [o.name for o in i.organizations.all()]) for i in result.invitations
        ]
    assert shown
    return len(captured)


def test_people_of_costs_the_same_for_1_and_20_people(lodi, admin):
    organizations = [organization(lodi, f"Org {n}") for n in range(3)]
    add_people(lodi, admin, organizations, 0, 1)
    one = queries_for_people(lodi)
    add_people(lodi, admin, organizations, 1, 20)
    assert len(people_of(lodi).people) == 21  # and the administrator
    assert queries_for_people(lodi) == one <= 5


def test_people_of_shows_roles_languages_organisations_and_open_invitations(lodi, admin):
    caritas = organization(lodi, "Caritas")
    make_person("t", lodi, Role.TRANSLATOR, languages=["uk", "ar"])
    make_person("e", lodi, Role.EDITOR, organizations=[caritas])
    make_person("stranger", other_territory(lodi), Role.ADMINISTRATOR)
    get_user_model().objects.create_user("no-role")
    open_one = send(lodi, admin, email="open@example.org")
    invitation_revoke(invitation=send(lodi, admin, email="gone@example.org"), by=admin)
    result = people_of(lodi)
    by_name = {p.user.username: p for p in result.people}
    assert set(by_name) == {"admin", "t", "e"}
    assert by_name["t"].roles == [Role.TRANSLATOR] and by_name["t"].languages == ["ar", "uk"]
    assert by_name["e"].organizations == [caritas]
    assert result.invitations == [open_one]
    assert person_of(lodi, by_name["t"].pk).roles == [Role.TRANSLATOR]
    stranger = get_user_model().objects.get(username="stranger")
    assert person_of(lodi, stranger.pk) is None

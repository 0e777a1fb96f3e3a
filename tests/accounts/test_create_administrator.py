"""`manage.py create_administrator`: the first administrator, with a one-time link to choose
a password (the password-reset page), never a password on the console."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from pertutti.accounts.models import AuditAction, AuditEvent, Profile, Role, RoleAssignment

NEW_PASSWORD = "a long and new passphrase"


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_administrator", *args, stdout=out)
    return out.getvalue()


def link_of(output: str) -> str:
    return re.search(r"^(\S*/accounts/password/reset/\S+/\S+/)$", output, re.M).group(1)


def choose_password(client, link: str):
    path = re.sub(r"^https?://[^/]+", "", link)
    response = client.get(path)  # Django moves the token into the session, then redirects
    assert response.status_code == 302
    form = response["Location"]
    assert client.get(form).context["validlink"]
    return client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_creates_an_administrator_who_chooses_a_password_through_the_link(client, lodi):
    output = run("Ada@Example.org", "--language", "ar")

    user = get_user_model().objects.get(username="ada@example.org")
    assert "Created ada@example.org, administrator of" in output
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=user, territory=lodi, role=Role.ADMINISTRATOR
    ).exists()
    assert Profile.objects.get(user=user).language == "ar"
    link = link_of(output)
    assert "/ar/accounts/password/reset/" in link  # in the person's language

    response = choose_password(client, link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.has_perm("accounts.manage_people", lodi)
    event = AuditEvent.objects.get(action=AuditAction.ROLES_CHANGED)
    assert (event.actor_name, event.target) == ("manage.py create_administrator", "ada@example.org")


def test_the_link_works_once(client, lodi):
    link = link_of(run("ada@example.org"))
    choose_password(client, link)
    client.logout()
    response = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert response.context["validlink"] is False


def test_again_for_the_same_address_gives_the_role_back_and_a_new_link(lodi):
    run("ada@example.org")
    user = get_user_model().objects.get()
    RoleAssignment.objects.all().delete()
    user.is_active = False
    user.save()

    output = run("ADA@example.org")

    assert get_user_model().objects.count() == 1
    user.refresh_from_db()
    assert user.is_active and "(reactivated)" in output
    assert RoleAssignment.objects.filter(user=user, role=Role.ADMINISTRATOR).count() == 1
    assert link_of(output)
    # Once more: nothing to change, a link all the same.
    assert link_of(run("ada@example.org")) and RoleAssignment.objects.count() == 1


def test_an_existing_person_keeps_their_password_until_they_use_the_link(lodi):
    get_user_model().objects.create_user("tina@example.org", "tina@example.org", "old pass phrase!")
    run("tina@example.org")
    user = get_user_model().objects.get()
    assert user.check_password("old pass phrase!")
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {Role.ADMINISTRATOR}


def test_the_link_names_the_site(lodi, settings):
    settings.DEBUG = True  # make run
    assert link_of(run("ada@example.org")).startswith("http://127.0.0.1:8000/it/accounts/")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [".example.org", "servizi.example.org"]
    assert link_of(run("ada@example.org")).startswith("https://servizi.example.org/it/accounts/")
    assert link_of(run("ada@example.org", "--site", "https://other.example/")).startswith(
        "https://other.example/it/accounts/"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["not-an-address"], "is not an e-mail address"),
        (["ada@example.org", "--territory", "atlantis"], "territory 'atlantis' is not loaded"),
        (["ada@example.org", "--language", "xx"], "'xx' is not a language"),
    ],
)
def test_bad_input_creates_nothing(lodi, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not get_user_model().objects.exists() and not AuditEvent.objects.exists()

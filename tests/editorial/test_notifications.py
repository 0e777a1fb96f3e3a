"""E-mails of the review loop: who is told of what, in their own language, as plain text, and
only after the commit (a failing mail server does not undo an approval)."""

import copy
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from pertutti.accounts.models import Profile, Role
from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.models import RevisionStatus
from pertutti.editorial.notifications import revision_notify
from pertutti.editorial.services import (
    revision_approve,
    revision_listeners,
    revision_return,
    revision_submit,
)
from tests.manage.cast import organization, other_territory, service
from tests.staff import make_person

SCRIPT = "<script>alert('x')</script> & \"quotes\""


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def loop(lodi):
    caritas = organization(lodi, "Caritas Lodigiana")
    mensa = service(caritas, name="Mensa")
    people = {
        "editor": make_person("editor", lodi, Role.EDITOR, organizations=[caritas]),
        "reviewer": make_person("reviewer", lodi, Role.REVIEWER),
        "administrator": make_person("administrator", lodi, Role.ADMINISTRATOR),
        "both": make_person("both", lodi, Role.ADMINISTRATOR, Role.REVIEWER),
        "gone": make_person("gone", lodi, Role.REVIEWER),
        "mute": make_person("mute", lodi, Role.REVIEWER, email=""),
        "translator": make_person("translator", lodi, Role.TRANSLATOR, languages=["ar"]),
        "operator": make_person("operator", lodi, Role.OPERATOR),
        "stranger": make_person("stranger", other_territory(lodi), Role.ADMINISTRATOR),
    }
    people["gone"].is_active = False
    people["gone"].save()
    people["mute"].email = ""
    people["mute"].save()
    Profile.objects.create(user=people["reviewer"], language="en")
    Profile.objects.create(user=people["editor"], language="en")
    return {"service": mensa, "organization": caritas, **people}


def submit(loop, *, note="", name="Mensa serale", **kwargs):
    data = copy.deepcopy(service_snapshot(loop["service"]))
    data["service"]["name"] = name
    return revision_submit(
        organization=loop["organization"],
        service=loop["service"],
        data=data,
        author=loop["editor"],
        base_version=loop["service"].version,
        note=note,
        **kwargs,
    )


def by_recipient() -> dict[str, mail.EmailMessage]:
    return {message.to[0]: message for message in mail.outbox}


def test_the_listener_is_registered():
    assert revision_notify in revision_listeners


def test_a_change_to_review_goes_to_reviewers_and_administrators(
    loop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision = submit(loop, note=SCRIPT)
    sent = by_recipient()
    # Active, with an address, in Lodi; one e-mail for a person with both roles.
    assert set(sent) == {
        "reviewer@example.org", "administrator@example.org", "both@example.org"
    }  # fmt: skip
    english = sent["reviewer@example.org"]
    assert english.subject == "Change to review: Mensa serale"
    assert f"http://127.0.0.1:8000/en/manage/reviews/{revision.pk}/" in english.body
    assert "What changes: Name" in english.body
    assert SCRIPT in english.body and "&lt;" not in english.body  # plain text, as typed
    italian = sent["administrator@example.org"]  # no profile: the default language
    assert italian.body.startswith("Buongiorno,")
    assert f"/it/manage/reviews/{revision.pk}/" in italian.body
    assert "Nome" in italian.body  # the field labels in Italian


def test_the_outcome_goes_to_the_author(loop, django_capture_on_commit_callbacks):
    revision = submit(loop)  # callbacks not run: nobody told yet
    with django_capture_on_commit_callbacks(execute=True):
        revision_return(revision=revision, reviewer=loop["reviewer"], comment=SCRIPT)
    [returned] = mail.outbox
    assert returned.to == ["editor@example.org"]
    assert returned.subject == "Your change was sent back: Mensa serale"
    assert SCRIPT in returned.body and "&amp;" not in returned.body
    assert "reviewer sent your change back" in returned.body

    again = submit(loop, name="Mensa della sera")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revision_approve(revision=again, reviewer=loop["both"], comment="Bene così")
    [approved] = mail.outbox
    assert approved.to == ["editor@example.org"]
    assert approved.subject == "Your change was approved: Mensa della sera"
    assert "Bene così" in approved.body
    assert f"/en/manage/reviews/{again.pk}/" in approved.body


def test_a_trusted_publication_tells_its_author(loop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(loop, publish=True)
    [published] = mail.outbox
    assert published.to == ["editor@example.org"]
    assert published.subject == "Your change is public: Mensa serale"


def test_an_author_without_address_or_account_gets_nothing(
    loop, django_capture_on_commit_callbacks
):
    revision = submit(loop)
    loop["editor"].is_active = False
    loop["editor"].save()
    with django_capture_on_commit_callbacks(execute=True):
        revision_return(revision=revision, reviewer=loop["reviewer"], comment="No")
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_approval(
    loop, settings, caplog, django_capture_on_commit_callbacks
):
    revision = submit(loop)
    settings.EMAIL_BACKEND = "tests.editorial.test_notifications.FailingBackend"
    with (
        caplog.at_level(logging.ERROR, logger="pertutti.editorial.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        revision_approve(revision=revision, reviewer=loop["reviewer"])
    assert callbacks  # the e-mail was left for after the commit
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert Service.objects.get(pk=loop["service"].pk).name == "Mensa serale"
    assert "e-mail to user" in caplog.text and "the mail server is down" in caplog.text


def test_a_failure_for_one_reviewer_does_not_stop_the_others(loop, monkeypatch, caplog):
    from pertutti.editorial import notifications

    revision = submit(loop)
    real = notifications.revision_email

    def flaky(revision, event, recipient):
        if recipient.username == "administrator":
            raise OSError("refused")
        real(revision, event, recipient)

    monkeypatch.setattr(notifications, "revision_email", flaky)
    with caplog.at_level(logging.ERROR, logger="pertutti.editorial.notifications"):
        revision_notify(revision, "submitted")
    assert set(by_recipient()) == {"reviewer@example.org", "both@example.org"}
    assert "refused" in caplog.text


def test_a_new_service_to_review(loop, django_capture_on_commit_callbacks):
    data = copy.deepcopy(service_snapshot(loop["service"]))
    data["service"]["name"] = "Sportello nuovo\nSubject: injected"
    with django_capture_on_commit_callbacks(execute=True):
        revision_submit(organization=loop["organization"], data=data, author=loop["editor"])
    english = by_recipient()["reviewer@example.org"]
    # One line, whatever the name holds: no header can be smuggled in.
    assert english.subject == "New service to review: Sportello nuovo Subject: injected"

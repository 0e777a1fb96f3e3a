"""Reports from the public, the domain side: what a report keeps, who is e-mailed (after the
commit, in their language, as plain text), closing erases the contact, and the rate limit
counts under a keyed hash of address and hour that expires with the hour."""

import smtplib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache

from pertutti import ratelimits
from pertutti.accounts.models import Profile, Role
from pertutti.clients import client_address
from pertutti.editorial import reports
from pertutti.editorial.models import ErrorReport, ReportKind, ReportStatus
from pertutti.editorial.reports import (
    ReportError,
    error_report_close,
    error_report_submit,
    open_report_count,
    report_rate_exceeded,
    report_rate_record,
)
from tests.manage.cast import organization, other_territory, service
from tests.staff import make_person

HALF_PAST_TEN = datetime(2025, 5, 12, 10, 30, tzinfo=ZoneInfo("Europe/Rome"))
SCRIPT = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture
def clock(monkeypatch):
    """A settable clock: the rate limit's hour comes from timezone.now()."""
    now = {"value": HALF_PAST_TEN}
    monkeypatch.setattr("django.utils.timezone.now", lambda: now["value"])
    return now


@pytest.fixture
def world(lodi):
    caritas = organization(lodi, "Caritas Lodigiana")
    comune = organization(lodi, "Comune di Lodi", kind="municipality")
    other = other_territory(lodi)
    people = {
        "editor": make_person("editor", lodi, Role.EDITOR, organizations=[caritas]),
        "other_editor": make_person("other_editor", lodi, Role.EDITOR, organizations=[comune]),
        "reviewer": make_person("reviewer", lodi, Role.REVIEWER),
        "administrator": make_person("administrator", lodi, Role.ADMINISTRATOR),
        "translator": make_person("translator", lodi, Role.TRANSLATOR, languages=["ar"]),
        "operator": make_person("operator", lodi, Role.OPERATOR),
        "stranger": make_person("stranger", other, Role.ADMINISTRATOR, Role.REVIEWER),
        "gone": make_person("gone", lodi, Role.REVIEWER),
        "no_mail": make_person("no_mail", lodi, Role.REVIEWER),
    }
    people["gone"].is_active = False
    people["gone"].save()
    people["no_mail"].email = ""
    people["no_mail"].save()
    Profile.objects.create(user=people["editor"], language="en")
    return {"service": service(caritas, code="CAR-001", name="Mensa"), "people": people}


def submit(world, django_capture_on_commit_callbacks, **fields):
    values = {"kind": ReportKind.HOURS, "text": "Chiude alle 12", "language": "ar"}
    values.update(fields)
    with django_capture_on_commit_callbacks(execute=True):
        return error_report_submit(service=world["service"], **values)


def test_a_report_keeps_what_the_reader_sent_and_nothing_else(
    world, django_capture_on_commit_callbacks
):
    report = submit(world, django_capture_on_commit_callbacks, contact="+39 0371 123456")
    report.refresh_from_db()
    assert (report.service, report.territory) == (world["service"], world["service"].territory)
    assert (report.kind, report.text, report.contact, report.language) == (
        "hours", "Chiude alle 12", "+39 0371 123456", "ar",
    )  # fmt: skip
    assert report.status == ReportStatus.OPEN and report.created_at is not None
    assert report.closed_at is None and report.handled_by is None and report.reply_note == ""
    # The model itself has no place for an address or a browser's name.
    names = {f.name for f in ErrorReport._meta.get_fields()}
    assert not names & {"ip", "ip_address", "address", "user_agent", "session", "user"}


def test_the_organisations_editors_and_the_reviewers_are_e_mailed(
    world, django_capture_on_commit_callbacks
):
    report = submit(world, django_capture_on_commit_callbacks, contact="me@example.org")
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == ["administrator@example.org", "editor@example.org", "reviewer@example.org"]
    by_address = {message.to[0]: message for message in mail.outbox}
    english = by_address["editor@example.org"]
    # In the recipient's language, with a link to the report in the back office.
    assert english.subject == "Report from the public on CAR-001 Mensa"
    assert "The opening hours are wrong" in english.body
    assert f"/en/manage/reports/errors/{report.pk}/" in english.body
    assert "Sent from the page in Arabic." in english.body
    assert f"/it/manage/reports/errors/{report.pk}/" in by_address["reviewer@example.org"].body
    # The contact stays in the back office, where closing erases it: never in a mailbox.
    assert all("me@example.org" not in message.body for message in mail.outbox)


def test_e_mails_leave_after_the_commit_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        error_report_submit(service=world["service"], kind=ReportKind.PHONE, text="", language="it")
    assert mail.outbox == [] and len(callbacks) == 1


def test_html_is_kept_as_text_and_sent_as_text(world, django_capture_on_commit_callbacks):
    report = submit(world, django_capture_on_commit_callbacks, text=SCRIPT)
    report.refresh_from_db()
    assert report.text == SCRIPT
    body = mail.outbox[0].body
    assert SCRIPT in body and "&lt;" not in body and "&amp;" not in body


def test_a_failing_mail_server_is_logged_and_the_report_kept(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    sent = []

    def flaky(subject, body, sender, to):
        if to == ["reviewer@example.org"]:
            raise smtplib.SMTPException("down")
        sent.append(to[0])

    monkeypatch.setattr(reports, "send_mail", flaky)
    report = submit(world, django_capture_on_commit_callbacks)
    assert ErrorReport.objects.filter(pk=report.pk).exists()
    assert sorted(sent) == ["administrator@example.org", "editor@example.org"]
    assert f"error report {report.pk}: e-mail to user" in caplog.text


def test_a_report_too_long_is_refused_by_the_service_too(world):
    with pytest.raises(ReportError):
        error_report_submit(
            service=world["service"], kind=ReportKind.OTHER, text="x" * 100_000, language="it"
        )
    with pytest.raises(ReportError):
        error_report_submit(service=world["service"], kind="bogus", text="", language="it")
    assert not ErrorReport.objects.exists()


def test_closing_erases_the_contact_for_good(world, django_capture_on_commit_callbacks):
    report = submit(world, django_capture_on_commit_callbacks, contact="me@example.org")
    reviewer = world["people"]["reviewer"]
    kept = error_report_close(
        report=report, status=ReportStatus.OPEN, reply_note="Chiamato l'ente", user=reviewer
    )
    assert kept.contact == "me@example.org" and kept.closed_at is None
    closed = error_report_close(
        report=report, status=ReportStatus.FIXED, reply_note="Orari corretti", user=reviewer
    )
    closed.refresh_from_db()
    assert closed.contact == "" and closed.closed_at is not None
    assert (closed.status, closed.reply_note, closed.handled_by) == ("fixed", "Orari corretti",
                                                                      reviewer)  # fmt: skip
    reopened = error_report_close(report=report, status=ReportStatus.OPEN, reply_note="",
                                  user=reviewer)  # fmt: skip
    assert reopened.contact == "" and reopened.closed_at is None


def test_not_a_problem_closes_too(world, django_capture_on_commit_callbacks):
    report = submit(world, django_capture_on_commit_callbacks, contact="333 1234567")
    closed = error_report_close(
        report=report,
        status=ReportStatus.NOT_A_PROBLEM,
        reply_note="",
        user=world["people"]["editor"],
    )
    assert closed.contact == "" and closed.closed_at is not None


def test_a_bad_status_changes_nothing(world, django_capture_on_commit_callbacks):
    report = submit(world, django_capture_on_commit_callbacks, contact="me@example.org")
    with pytest.raises(ReportError):
        error_report_close(
            report=report, status="gone", reply_note="", user=world["people"]["reviewer"]
        )
    report.refresh_from_db()
    assert report.status == "open" and report.contact == "me@example.org"


def test_open_reports_are_counted_for_the_dashboard(world, django_capture_on_commit_callbacks):
    submit(world, django_capture_on_commit_callbacks)
    territory = world["service"].territory
    assert open_report_count(territory) == 1
    assert open_report_count(territory, organization_ids={world["service"].organization_id}) == 1
    assert open_report_count(territory, organization_ids=set()) == 0


# --- the rate limit ---------------------------------------------------------------------------


def test_five_reports_an_hour_per_client(clock, settings):
    settings.PERTUTTI_REPORTS_PER_HOUR = 5
    assert all(report_rate_record("203.0.113.7") for _ in range(5))
    assert report_rate_exceeded("203.0.113.7")
    assert not report_rate_record("203.0.113.7")
    assert not report_rate_exceeded("198.51.100.1")  # another client
    clock["value"] = HALF_PAST_TEN.replace(hour=11)  # the next hour starts again
    assert not report_rate_exceeded("203.0.113.7")


def test_the_address_is_not_kept_and_its_hash_expires_within_the_hour(clock, monkeypatch):
    added = []
    real_add = cache.add

    def spy(key, value, timeout):
        added.append((key, timeout))
        return real_add(key, value, timeout)

    monkeypatch.setattr(ratelimits.cache, "add", spy)
    report_rate_record("203.0.113.7")
    [(key, timeout)] = added[:1]
    assert timeout == 3600
    assert "203.0.113.7" not in key
    clock["value"] = HALF_PAST_TEN.replace(hour=11)
    report_rate_record("203.0.113.7")
    assert added[-1][0] != key  # unrelated keys from hour to hour


def test_the_client_address_comes_from_the_proxy_header_when_named(settings, rf):
    request = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_address(request) == "127.0.0.1"
    settings.PERTUTTI_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    assert client_address(request) == "203.0.113.7"
    forged = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="6.6.6.6, 203.0.113.7")
    assert client_address(forged) == "203.0.113.7"  # the nearest proxy's
    assert client_address(rf.post("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"

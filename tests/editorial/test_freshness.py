"""Freshness: calendar months, the public notice's threshold, and the monthly reminders to
organisations' editors, with a fixed clock (nothing sent twice in a month)."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from pertutti.accounts.models import Role
from pertutti.accounts.profiles import profile_of
from pertutti.directory.models import ServiceStatus
from pertutti.editorial.freshness import (
    freshness_reminders_send,
    is_out_of_date,
    months_before,
)
from pertutti.editorial.models import FreshnessReminder
from tests.manage.cast import organization, other_territory, service
from tests.staff import make_person

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2025, 5, 12, 8, 0, tzinfo=ROME)  # a daily cron job, at eight


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 5, 12), 6, date(2024, 11, 12)),
        (date(2025, 5, 12), 12, date(2024, 5, 12)),
        (date(2025, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 15), 1, date(2024, 12, 15)),
    ],
)
def test_months_are_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


def test_out_of_date_at_twelve_months_not_before():
    today = date(2025, 5, 12)
    assert is_out_of_date(None, today)
    assert is_out_of_date(date(2024, 5, 12), today)
    assert is_out_of_date(date(2020, 1, 1), today)
    assert not is_out_of_date(date(2024, 5, 13), today)
    assert not is_out_of_date(today, today)


@pytest.fixture
def network(lodi):
    """Caritas: two services due (never verified; 7 months), one fresh, one closed and old.
    Comune: one due, no editor. Arci: nothing due."""
    caritas = organization(lodi, "Caritas Lodigiana")
    comune = organization(lodi, "Comune di Lodi", kind="municipality")
    arci = organization(lodi, "Arci")
    service(caritas, code="CAR-001", name="Mensa", assured_date=None)
    service(caritas, code="CAR-002", name="Docce", assured_date=date(2024, 10, 1))
    service(caritas, code="CAR-003", name="Ascolto", assured_date=date(2025, 4, 1))
    service(
        caritas,
        code="CAR-004",
        name="Chiuso",
        assured_date=date(2019, 1, 1),
        status=ServiceStatus.INACTIVE,
    )
    service(comune, code="COM-001", name="Anagrafe", assured_date=date(2023, 1, 1))
    service(arci, code="ARC-001", name="Circolo", assured_date=date(2025, 5, 1))
    anna = make_person("anna", lodi, Role.EDITOR, organizations=[caritas])
    profile = profile_of(anna)
    profile.language = "en"
    profile.save()
    make_person("bruno", lodi, Role.EDITOR, organizations=[caritas])  # Italian (no choice)
    gone = make_person("gone", lodi, Role.EDITOR, organizations=[caritas])
    gone.is_active = False
    gone.save()
    make_person("member", lodi, Role.TRANSLATOR, organizations=[caritas])  # not an editor
    noaddress = make_person("noaddress", lodi, Role.EDITOR, organizations=[caritas])
    noaddress.email = ""
    noaddress.save()
    make_person("arci", lodi, Role.EDITOR, organizations=[arci])
    return {"caritas": caritas, "comune": comune, "arci": arci}


def send(lodi, now=NOW, months=6):
    return freshness_reminders_send(territories=[lodi], months=months, now=now)


def test_active_editors_get_their_organisations_services_over_the_threshold(
    lodi, network, mailoutbox
):
    summary = send(lodi)
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "bruno@example.org"]
    for message in mailoutbox:
        assert "CAR-001" in message.body and "CAR-002" in message.body
        assert "CAR-003" not in message.body  # verified last month
        assert "CAR-004" not in message.body  # closed
        assert "COM-001" not in message.body and "ARC-001" not in message.body
        assert "http://testserver" not in message.body
    (reminder,) = FreshnessReminder.objects.all()
    assert reminder.organization == network["caritas"]
    assert (reminder.services, reminder.recipients, reminder.sent_at) == (2, 2, NOW)
    assert (summary.organizations, summary.emails, summary.services) == (1, 2, 2)
    assert summary.without_editor == 1  # the Comune: nobody to tell


def test_each_editor_reads_it_in_their_language_with_links(lodi, network, mailoutbox, settings):
    settings.PERTUTTI_SITE_URL = "https://lodi.example.org/"
    send(lodi)
    by_address = {m.to[0]: m for m in mailoutbox}
    english = by_address["anna@example.org"]
    assert english.subject == "Caritas Lodigiana: 2 services to verify"
    assert "Never verified" in english.body
    assert "Last verified on October 1, 2024" in english.body
    assert "https://lodi.example.org/en/manage/services/CAR-001/" in english.body
    assert "Still correct" in english.body
    italian = by_address["bruno@example.org"]
    assert "https://lodi.example.org/it/manage/services/CAR-002/" in italian.body
    assert "1 ottobre 2024" in italian.body  # the date in Italian, as CLDR writes it


def test_nothing_is_sent_twice_in_a_month_and_again_after_a_month(lodi, network, mailoutbox):
    send(lodi)
    assert len(mailoutbox) == 2
    for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=30, hours=-1)):
        summary = send(lodi, now=NOW + later)
        assert summary.emails == 0 and summary.reminded_recently == 1
    assert len(mailoutbox) == 2 and FreshnessReminder.objects.count() == 1
    # The same day of the next month, even if the job runs a little earlier than last time.
    summary = send(lodi, now=datetime(2025, 6, 12, 7, 55, tzinfo=ROME))
    assert summary.emails == 2 and len(mailoutbox) == 4
    assert FreshnessReminder.objects.count() == 2


def test_services_verified_meanwhile_are_not_listed_again(lodi, network, mailoutbox):
    send(lodi)
    network["caritas"].services.filter(code="CAR-001").update(assured_date=date(2025, 6, 1))
    send(lodi, now=datetime(2025, 6, 12, 8, 0, tzinfo=ROME))
    latest = mailoutbox[-1].body
    assert "CAR-002" in latest and "CAR-001" not in latest


def test_an_organisation_with_all_services_verified_gets_nothing(lodi, network, mailoutbox):
    network["caritas"].services.update(assured_date=date(2025, 5, 1))
    summary = send(lodi)
    assert mailoutbox == [] and summary.organizations == 0
    assert not FreshnessReminder.objects.exists()


def test_the_threshold_is_configurable(lodi, network, mailoutbox):
    send(lodi, months=12)  # CAR-002 (7 months) is not due yet; CAR-001 never verified is
    bodies = [m.body for m in mailoutbox]
    assert bodies and all("CAR-001" in b and "CAR-002" not in b for b in bodies)


def test_a_failing_mail_server_records_no_reminder(lodi, network, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("pertutti.editorial.freshness.send_mail", refuse)
    summary = send(lodi)
    assert summary.emails == 0 and len(summary.failed) == 2
    assert not FreshnessReminder.objects.exists()  # tried again tomorrow


def test_names_with_markup_stay_plain_text(lodi, mailoutbox):
    org = organization(lodi, "<b>Ente</b>")
    service(org, code="X-1", name="<script>alert(1)</script>", assured_date=None)
    make_person("ed", lodi, Role.EDITOR, organizations=[org])
    send(lodi)
    (message,) = mailoutbox
    assert "<script>alert(1)</script>" in message.body  # plain text: shown as typed
    assert "&lt;" not in message.body and "&lt;" not in message.subject
    assert message.content_subtype == "plain" and not message.alternatives


def test_the_command_prints_a_summary_and_uses_the_setting(
    lodi, network, mailoutbox, settings, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    settings.PERTUTTI_FRESHNESS_REMINDER_MONTHS = 6
    out = StringIO()
    call_command("send_freshness_reminders", stdout=out)
    text = out.getvalue()
    assert "Services not verified for 6 months:" in text
    assert "1 organisations reminded (2 e-mails, 2 services to verify)" in text
    assert "1 with services to verify but no active editor" in text
    out = StringIO()
    call_command("send_freshness_reminders", "--territory", "lodi", stdout=out)
    assert "1 already reminded in the last month" in out.getvalue()
    assert len(mailoutbox) == 2


def test_the_command_reaches_one_territory_only(lodi, network, mailoutbox, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    other = other_territory(lodi)
    foreign = organization(other, "Caritas Cremonese")
    service(foreign, code="CR-1", assured_date=None)
    make_person("cremona", other, Role.EDITOR, organizations=[foreign])
    call_command("send_freshness_reminders", "--territory", "cremona", stdout=StringIO())
    assert [m.to for m in mailoutbox] == [["cremona@example.org"]]
    call_command("send_freshness_reminders", stdout=StringIO())  # all: Lodi's now
    assert len(mailoutbox) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--months", "0"], "at least 1"), (["--territory", "atlantide"], "unknown territory")],
)
def test_the_command_refuses_bad_options(lodi, args, message, mailoutbox):
    with pytest.raises(CommandError, match=message):
        call_command("send_freshness_reminders", *args, stdout=StringIO())
    assert mailoutbox == []

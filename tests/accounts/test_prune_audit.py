"""`manage.py prune_audit`: the activity log keeps 12 months (or --days), no more."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from pertutti.accounts import audit
from pertutti.accounts.models import AuditAction, AuditEvent

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(audit.timezone, "now", lambda: NOW)


def event_aged(lodi, days: float) -> AuditEvent:
    return AuditEvent.objects.create(
        territory=lodi,
        action=AuditAction.SIGN_IN,
        actor_name=f"{days} days",
        created_at=NOW - timedelta(days=days),
    )


def kept() -> list[str]:
    return sorted(AuditEvent.objects.values_list("actor_name", flat=True))


def test_deletes_what_is_older_than_a_year(lodi, fixed_clock, capsys):
    for days in (0, 364, 365, 366, 800):
        event_aged(lodi, days)
    call_command("prune_audit")
    assert kept() == ["0 days", "364 days", "365 days"]
    assert "Deleted 2 " in capsys.readouterr().out


def test_days_can_be_shorter(lodi, fixed_clock):
    for days in (1, 29, 31):
        event_aged(lodi, days)
    call_command("prune_audit", "--days", "30")
    assert kept() == ["1 days", "29 days"]


def test_running_again_deletes_nothing_more(lodi, fixed_clock, capsys):
    event_aged(lodi, 400)
    call_command("prune_audit")
    call_command("prune_audit")
    assert "Deleted 0 " in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_period_below_one_day_is_refused_and_deletes_nothing(lodi, fixed_clock, days):
    event_aged(lodi, 3)
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_audit", "--days", days)
    assert kept() == ["3 days"]


def test_failed_sign_in_records_go_once_their_lock_is_over(lodi, fixed_clock, settings):
    from axes.models import AccessAttempt

    def attempt(name: str, minutes_ago: float) -> None:
        row = AccessAttempt.objects.create(
            username=name, ip_address="192.0.2.1", user_agent="test", failures_since_start=3
        )
        # attempt_time is set on creation (auto_now_add): move it afterwards.
        AccessAttempt.objects.filter(pk=row.pk).update(
            attempt_time=NOW - timedelta(minutes=minutes_ago)
        )

    lock = settings.AXES_COOLOFF_TIME.total_seconds() / 60
    attempt("still locked", lock - 1)
    attempt("lock over", lock + 1)
    call_command("prune_audit")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["still locked"]

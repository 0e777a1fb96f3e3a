"""Freshness: when a service counts as out of date for the public, and the monthly reminders
that ask an organisation's editors to verify its services.

A service is verified on its `assured_date` (an edit, "still correct", or the spreadsheet's
date). Months are calendar months: "12 months" means since the same day a year ago, which is
what a reader or an editor understands by it. Reminders go at most once a month per
organisation (`FreshnessReminder`), so a daily cron job is safe.
"""

import calendar
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pertutti.accounts.models import OrganizationMembership, Role
from pertutti.accounts.profiles import email_language
from pertutti.directory.models import Organization, Service, ServiceStatus
from pertutti.editorial.models import FreshnessReminder
from pertutti.territories.localformats import long_date
from pertutti.territories.models import Territory

logger = logging.getLogger(__name__)

# The public page warns "may be out of date" after this many months without verification.
PUBLIC_NOTICE_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter:
    six months before 31 August is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def is_out_of_date(assured_date: date | None, today: date) -> bool:
    """Never verified, or last verified 12 months ago or more: the public notice shows."""
    return assured_date is None or assured_date <= months_before(today, PUBLIC_NOTICE_MONTHS)


def services_not_verified(territory: Territory, *, months: int, today: date) -> list[Service]:
    """Active services never verified or not verified for `months`: never verified first,
    then the oldest, by organisation."""
    cutoff = months_before(today, months)
    return list(
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lte=cutoff))
        .select_related("organization")
        .order_by("organization__name", F("assured_date").asc(nulls_first=True), "code")
    )


def _active_editors(
    territory: Territory, organization_ids: Iterable[int]
) -> dict[int, list[AbstractBaseUser]]:
    """Each organisation's active editors with an e-mail address, in one query. The role and
    membership conditions are in one `filter()` so that they apply to the same rows."""
    memberships = (
        OrganizationMembership.objects.filter(
            organization_id__in=list(organization_ids),
            user__is_active=True,
            user__role_assignments__territory=territory,
            user__role_assignments__role=Role.EDITOR,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    editors: dict[int, list[AbstractBaseUser]] = defaultdict(list)
    for membership in memberships:
        editors[membership.organization_id].append(membership.user)
    return editors


@dataclass
class ReminderSummary:
    """What one run did, for the command's output (and a cron job's mail)."""

    organizations: int = 0  # reminded now
    emails: int = 0
    services: int = 0  # listed in the reminders sent
    reminded_recently: int = 0  # skipped: reminded less than a month ago
    without_editor: int = 0  # skipped: nobody to tell (the dashboard lists them)
    failed: list[str] = field(default_factory=list)  # addresses the mail server refused

    def lines(self) -> list[str]:
        lines = [
            f"{self.organizations} organisations reminded ({self.emails} e-mails, "
            f"{self.services} services to verify)",
            f"{self.reminded_recently} already reminded in the last month",
            f"{self.without_editor} with services to verify but no active editor",
        ]
        if self.failed:
            lines.append(f"{len(self.failed)} e-mails failed: {', '.join(self.failed)}")
        return lines


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _reminded_since(now: datetime) -> datetime:
    """Reminders sent from this moment on block a new one: since the day after the same day
    last month. Counted in days, not seconds, so a daily job a little early or late still
    sends on the same day of the next month."""
    today = timezone.localdate(now)
    return _day_start(months_before(today, 1) + timedelta(days=1))


def _email(
    *,
    organization: Organization,
    services: list[Service],
    editor: AbstractBaseUser,
    months: int,
) -> None:
    """One editor's reminder, in their language; plain text (names are shown as typed)."""
    language = email_language(editor)  # type: ignore[arg-type]
    base = settings.PERTUTTI_SITE_URL.rstrip("/")
    with translation.override(language):
        rows = [
            {
                "service": service,
                "verified": long_date(service.assured_date, language)
                if service.assured_date
                else "",
                "link": base + reverse("manage:service", kwargs={"code": service.code}),
            }
            for service in services
        ]
        context = {
            "organization": organization.name,
            "territory": organization.territory.name,
            "services": rows,
            "months": months,
        }
        subject = render_to_string("editorial/email/freshness_subject.txt", context)
        body = render_to_string("editorial/email/freshness_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [editor.email])  # type: ignore[attr-defined]


def freshness_reminders_send(
    *, territories: Iterable[Territory], months: int, now: datetime | None = None
) -> ReminderSummary:
    """E-mail each organisation's active editors its active services not verified for
    `months`, unless it was reminded in the last month; record each reminder sent."""
    if months < 1:
        raise ValueError("months must be at least 1")
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = _reminded_since(now)
    summary = ReminderSummary()
    for territory in territories:
        by_organization: dict[int, list[Service]] = defaultdict(list)
        for service in services_not_verified(territory, months=months, today=today):
            by_organization[service.organization_id].append(service)
        recent = set(
            FreshnessReminder.objects.filter(
                organization_id__in=list(by_organization), sent_at__gte=since
            ).values_list("organization_id", flat=True)
        )
        editors = _active_editors(territory, by_organization)
        for organization_id, services in by_organization.items():
            if organization_id in recent:
                summary.reminded_recently += 1
            elif not editors[organization_id]:
                summary.without_editor += 1
            else:
                _remind(
                    services[0].organization,
                    services,
                    editors[organization_id],
                    months=months,
                    now=now,
                    since=since,
                    summary=summary,
                )
    return summary


@transaction.atomic
def _remind(
    organization: Organization,
    services: list[Service],
    editors: list[AbstractBaseUser],
    *,
    months: int,
    now: datetime,
    since: datetime,
    summary: ReminderSummary,
) -> None:
    # The organisation's row is locked while its reminder is sent and recorded: two runs at
    # once (a cron job and a person) cannot both send it.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if FreshnessReminder.objects.filter(organization=organization, sent_at__gte=since).exists():
        summary.reminded_recently += 1
        return
    sent = 0
    for editor in editors:
        try:
            _email(organization=organization, services=services, editor=editor, months=months)
        except (OSError, smtplib.SMTPException):
            # The others are still told; this address is named in the summary.
            logger.exception("freshness reminder to %s failed", editor.pk)
            summary.failed.append(editor.email)  # type: ignore[attr-defined]
        else:
            sent += 1
    if sent:
        FreshnessReminder.objects.create(
            organization=organization, sent_at=now, services=len(services), recipients=sent
        )
        summary.organizations += 1
        summary.emails += sent
        summary.services += len(services)

"""Reports from the public ("Something wrong here?"): the form, the per-client rate limit,
the writes (a report sent, a report closed) and the reads of the back office.

A report keeps the service, what is wrong, the reader's words, an optional contact and the
language of the page: no account, no cookie, no IP address, no user agent. The contact is
erased when the report is closed. The rate limit counts reports in the cache under an HMAC
of the client's address and the current hour, which expires with the hour: the address
itself is never stored anywhere, and even its keyed hash is gone after an hour.

New reports are e-mailed after the commit to the organisation's editors and to the
territory's reviewers and administrators; a mail server that fails is logged, and the
report is kept all the same (it is on the back office's list).
"""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pertutti.accounts.models import Role
from pertutti.accounts.profiles import email_language
from pertutti.directory.models import Service
from pertutti.directory.phones import parse_phone
from pertutti.editorial.models import ErrorReport, ReportKind, ReportStatus
from pertutti.ratelimits import hourly_exceeded, hourly_record
from pertutti.territories.languages import language_name
from pertutti.territories.models import Territory

logger = logging.getLogger(__name__)

TEXT_MAX = 2000
CONTACT_MAX = 200  # ErrorReport.contact's max_length
REPLY_MAX = 2000
CLOSED = (ReportStatus.FIXED, ReportStatus.NOT_A_PROBLEM)


class ReportError(ValueError):
    """A report that cannot be stored or changed; the message is for the person (translated)."""


# --- the public form --------------------------------------------------------------------------


def _validate_contact(value: str) -> None:
    """An e-mail address or a phone number (Italian or international)."""
    if "@" in value:
        validate_email(value)
        return
    try:
        parse_phone(value)
    except ValueError:
        raise ValidationError(
            _("Write an e-mail address or a phone number, or leave this field empty."),
            code="contact",
        ) from None


class _Text(forms.CharField):
    """Line breaks arrive as CRLF; counted as one character, as the browser counts them
    against the textarea's maxlength."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n")


class ErrorReportForm(forms.Form):
    """What a reader sends. `website` is the honeypot: hidden from people (CSS, out of the tab
    order), filled by the robots that fill every field."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what is wrong.")},
    )
    text = _Text(
        label=gettext_lazy("Tell us more"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 30}),
        error_messages={
            "max_length": gettext_lazy(
                "Your text is too long: at most %(limit_value)s characters, and it has "
                "%(show_value)s. Please shorten it."
            )
        },
    )
    contact = forms.CharField(
        label=gettext_lazy("Your e-mail or phone (optional)"),
        required=False,
        max_length=CONTACT_MAX,
        validators=[_validate_contact],
        widget=forms.TextInput(attrs={"autocomplete": "email", "dir": "ltr", "size": 30}),
        error_messages={
            "max_length": gettext_lazy(
                "The contact is too long: at most %(limit_value)s characters."
            )
        },
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ReportKind.OTHER and not data.get("text"):
            self.add_error("text", _("Tell us what is wrong."))
        return data

    def is_robot(self) -> bool:
        """The honeypot was filled: answer as if sent, store nothing."""
        return bool(self.data.get("website", "").strip())


# --- the rate limit ---------------------------------------------------------------------------


def report_rate_exceeded(address: str) -> bool:
    """Has this client sent its reports for this hour? Reads only."""
    return hourly_exceeded("report", address, settings.PERTUTTI_REPORTS_PER_HOUR)


def report_rate_record(address: str) -> bool:
    """Counts one report of this client; False when it is one too many (two sent at once)."""
    return hourly_record("report", address, settings.PERTUTTI_REPORTS_PER_HOUR)


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def error_report_submit(
    *, service: Service, kind: str, text: str, contact: str = "", language: str
) -> ErrorReport:
    """Stores a reader's report as typed (shown escaped everywhere) and, after the commit,
    e-mails the people who can act on it."""
    if kind not in ReportKind.values:
        raise ReportError(_("Choose what is wrong."))
    if len(text) > TEXT_MAX or len(contact) > CONTACT_MAX:
        raise ReportError(_("The report is too long."))
    report = ErrorReport.objects.create(
        territory=service.territory,
        service=service,
        kind=kind,
        text=text,
        contact=contact,
        language=language[:10],
        created_at=timezone.now(),
    )
    # robust: whatever goes wrong while e-mailing is logged, never shown to the reader, whose
    # report is already stored.
    transaction.on_commit(lambda: report_notify(report.pk), robust=True)
    return report


@transaction.atomic
def error_report_close(
    *, report: ErrorReport, status: str, reply_note: str, user: AbstractBaseUser
) -> ErrorReport:
    """Sets the status and the reply note. Closing (fixed, not a problem) erases the reader's
    contact for good: reopening a report does not bring it back."""
    if status not in ReportStatus.values:
        raise ReportError(_("Choose a status."))
    if len(reply_note) > REPLY_MAX:
        raise ReportError(_("The note is too long."))
    report = ErrorReport.objects.select_for_update().get(pk=report.pk)
    report.status = status
    report.reply_note = reply_note
    report.handled_by = user if user.is_authenticated else None
    if status in CLOSED:
        report.contact = ""
        report.closed_at = report.closed_at or timezone.now()
    else:
        report.closed_at = None
    report.save(update_fields=["status", "reply_note", "handled_by", "contact", "closed_at"])
    return report


# --- e-mails ----------------------------------------------------------------------------------


def report_recipients(report: ErrorReport) -> list[AbstractBaseUser]:
    """Active people with an e-mail address: the organisation's editors, the territory's
    reviewers and administrators. Each once, whatever roles they hold."""
    territory = report.territory
    editors = Q(
        role_assignments__territory=territory,
        role_assignments__role=Role.EDITOR,
        organization_memberships__organization=report.service.organization_id,
    )
    staff = Q(
        role_assignments__territory=territory,
        role_assignments__role__in=[Role.REVIEWER, Role.ADMINISTRATOR],
    )
    editor_ids = set(get_user_model().objects.filter(editors).values_list("pk", flat=True))
    staff_ids = set(get_user_model().objects.filter(staff).values_list("pk", flat=True))
    return list(
        get_user_model()
        .objects.filter(pk__in=editor_ids | staff_ids, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def report_email(report: ErrorReport, recipient: AbstractBaseUser) -> None:
    """Plain text in the recipient's language: what the reader typed stays text. The contact
    is not in it (an e-mail cannot be erased when the report is closed): the page shows it."""
    language = email_language(recipient)  # type: ignore[arg-type]
    with translation.override(language):
        path = reverse("manage:error_report", kwargs={"pk": report.pk})
        context = {
            "report": report,
            "service": report.service,
            "organization": report.service.organization.name,
            "territory": report.territory,
            "kind": ReportKind(report.kind).label,
            "page_language": language_name(report.language, language),
            "link": settings.PERTUTTI_SITE_URL.rstrip("/") + path,
        }
        subject = render_to_string("editorial/email/report_subject.txt", context)
        body = render_to_string("editorial/email/report_body.txt", context)
    # A subject is one line, whatever the template's whitespace (or the service's name).
    send_mail(" ".join(subject.split()), body, None, [recipient.email])  # type: ignore[attr-defined]


def report_notify(report_id: int) -> None:
    """One e-mail per recipient; a failure is logged and the others still go."""
    report = (
        ErrorReport.objects.select_related("service__organization", "territory")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return
    for recipient in report_recipients(report):
        try:
            report_email(report, recipient)
        except Exception:
            logger.exception("error report %s: e-mail to user %s failed", report.pk, recipient.pk)


# --- reads ------------------------------------------------------------------------------------


def error_reports(
    territory: Territory, *, status: str = "", organization_ids: set[int] | None = None
) -> QuerySet[ErrorReport]:
    """The territory's reports, newest first; `organization_ids`: only those of their
    services (an editor's)."""
    reports = ErrorReport.objects.filter(territory=territory).select_related(
        "service__organization__territory", "handled_by"
    )
    if status:
        reports = reports.filter(status=status)
    if organization_ids is not None:
        reports = reports.filter(service__organization_id__in=list(organization_ids))
    return reports.order_by("-created_at", "-pk")


def error_report_detail(territory: Territory, pk: int) -> ErrorReport | None:
    return error_reports(territory).filter(pk=pk).first()


def open_report_count(territory: Territory, *, organization_ids: set[int] | None = None) -> int:
    """For the dashboard: open reports (all, or an editor's organisations')."""
    return error_reports(
        territory, status=ReportStatus.OPEN, organization_ids=organization_ids
    ).count()

"""The editorial loop: versions of services, revisions awaiting review, reports from the
public, freshness reminders.

A version or revision holds a complete snapshot of a service (`directory.snapshots`): one
small model instead of a history table per related model, because a service's hours, place
and phones change and are restored together (docs/decisions.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pertutti.directory.models import Organization, Service
from pertutti.territories.models import Territory


class VersionSource(models.TextChoices):
    EDITOR = "editor", _("Edited")
    REVIEW = "review", _("Approved after review")
    IMPORT = "import", _("Spreadsheet import")
    RESTORE = "restore", _("Earlier version restored")
    VERIFIED = "verified", _("Confirmed still correct")


class ServiceVersion(models.Model):
    """A published state of a service: version 1 is the first, each change adds one."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    source = models.CharField(max_length=12, choices=VersionSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True, help_text="Kept if the user goes.")
    note = models.TextField(blank=True)
    minor = models.BooleanField(default=False, help_text="Translations were carried over.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ServiceRevision(models.Model):
    """An editor's change waiting for a reviewer; `service` is empty for a new service."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    base_version = models.PositiveIntegerField(help_text="The version the editor started from.")
    data = models.JSONField()
    minor = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    published = models.ForeignKey(
        ServiceVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return f"revision {self.pk} of {self.service_id or 'a new service'} ({self.status})"


class ReportKind(models.TextChoices):
    CLOSED = "closed", _("It is closed or no longer exists")
    MOVED = "moved", _("It has moved")
    HOURS = "hours", _("The opening hours are wrong")
    PHONE = "phone", _("The phone number is wrong")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FIXED = "fixed", _("Fixed")
    NOT_A_PROBLEM = "not_a_problem", _("Not a problem")


class ErrorReport(models.Model):
    """ "Something wrong here?" from a reader: no account, no cookie, no IP address kept. The
    optional contact is erased when the report is closed."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="error_reports")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    text = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, help_text="Of the page it was sent from.")
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    reply_note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.service_id} ({self.kind}, {self.status})"


class FreshnessReminder(models.Model):
    """One e-mail to an organisation's editors about services to verify: at most a month."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="freshness_reminders"
    )
    sent_at = models.DateTimeField()
    services = models.PositiveIntegerField()
    recipients = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.sent_at:%Y-%m-%d}"

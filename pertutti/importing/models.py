"""An import started from the browser: the uploaded file, its report, where it stands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pertutti.territories.models import Territory


class ImportJob(models.Model):
    """One uploaded spreadsheet, checked (a dry run), then perhaps imported.

    The file is kept in the database, not on disk: the worker may run on another machine
    than the web process, and the database is what both share; the job and its file are
    written, backed up and deleted together. Files are at most 10 MB, and the content is
    dropped once the import is done (the report keeps what matters).
    """

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Action(models.TextChoices):
        CHECK = "check", _("Check")  # a dry run, rolled back
        IMPORT = "import", _("Import")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(default=0)
    sample_data = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # What the job is doing (queued, running) or did last (checked, done, failed).
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.CHECK)
    # Cells changed by accepted suggestions: [{"row", "column", "given", "value"}].
    corrections = models.JSONField(default=list, blank=True)
    report = models.JSONField(default=dict, blank=True)  # ImportReport.to_json()
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["territory", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

"""Imports started from the browser: upload, check (a dry run), correct, import.

Every step goes through `services_import_upload`, the same path as the `import_services`
command. Files of up to INLINE_ROWS rows are checked and imported within the request;
larger ones go to the background worker, and the page shows their progress.
"""

import logging
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction
from pertutti.importing import tasks
from pertutti.importing.models import ImportJob
from pertutti.importing.reading import read_content
from pertutti.importing.report import ImportReport
from pertutti.importing.services import services_import_upload
from pertutti.territories.models import Territory

logger = logging.getLogger(__name__)

# About two seconds of work (a check of 2,000 rows took eight); a larger file would keep
# the request, and a web worker, too long.
INLINE_ROWS = 500


class ImportJobError(Exception):
    """The step asked for does not fit the job's state (already imported, has errors...)."""

    def __init__(self, message_it: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_it = message_it
        self.message_en = message_en


def import_job_create(
    *,
    territory: Territory,
    content: bytes,
    filename: str,
    sample_data: bool,
    user: AbstractBaseUser,
) -> ImportJob:
    """Store an upload and start its check.

    The file-level limits (size, zip bomb, row count, format) are checked first and raise
    `SpreadsheetError`: a file that cannot be read is not stored.
    """
    filename = PurePath(filename).name[-255:]
    rows = read_content(content, filename=filename)
    job = ImportJob.objects.create(
        territory=territory,
        filename=filename,
        content=content,
        size=len(content),
        sample_data=sample_data,
        state=ImportJob.State.QUEUED,
        action=ImportJob.Action.CHECK,
        rows_total=len(rows),
        created_by=user,
    )
    _start(job, user)
    return job


def import_job_accept(
    *, job: ImportJob, accepted: Iterable[str], user: AbstractBaseUser
) -> ImportJob:
    """Apply the chosen suggestions (keys `row:column` of the report) and check again.

    Only suggestions the report made are applied: a forged key changes nothing.
    """
    keys = set(accepted)
    with transaction.atomic():
        job = _locked(job, ImportJob.State.CHECKED)
        report = ImportReport.from_json(job.report)
        chosen = [s for s in report.suggestions if s.key in keys]
        if not chosen:
            raise ImportJobError("nessun suggerimento scelto", "no suggestion was chosen")
        corrections = {(c["row"], c["column"]): c for c in job.corrections}
        for s in chosen:
            corrections[(s.row, s.column)] = {
                "row": s.row,
                "column": s.column,
                "given": s.given,
                "value": s.suggestion,
            }
        job.corrections = sorted(corrections.values(), key=lambda c: (c["row"], c["column"]))
        _queue(job, ImportJob.Action.CHECK)
    _start(job, user)
    return job


def import_job_import(*, job: ImportJob, user: AbstractBaseUser) -> ImportJob:
    """Write a checked upload without errors: all of it, or nothing."""
    with transaction.atomic():
        job = _locked(job, ImportJob.State.CHECKED)
        if ImportReport.from_json(job.report).errors:
            raise ImportJobError(
                "il file ha errori: correggerlo e caricarlo di nuovo",
                "the file has errors: correct it and upload it again",
            )
        job.imported_by = user
        _queue(job, ImportJob.Action.IMPORT)
    _start(job, user)
    return job


def import_job_run(*, job_id: int, actor_id: int | None = None) -> None:
    """Do a job's queued work (check or import); in the request or in the worker.

    Whatever happens, the job ends checked, done or failed, with a report to show.
    """
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .filter(pk=job_id, state=ImportJob.State.QUEUED)
            .select_related("territory")
            .first()
        )
        if job is None:
            return  # taken by another worker, or gone
        job.state = ImportJob.State.RUNNING
        job.save(update_fields=["state", "updated_at"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    dry_run = job.action == ImportJob.Action.CHECK
    try:
        report = services_import_upload(
            territory=job.territory,
            content=bytes(job.content),
            filename=job.filename,
            corrections=job.corrections,
            dry_run=dry_run,
            sample_data=job.sample_data,
            progress=progress,
            actor=job.imported_by or job.created_by,  # the versions written name them
        )
    except Exception:
        # Nothing was written (one transaction); the page says so, the log keeps the cause.
        logger.exception("import job %s failed", job_id)
        report = ImportReport(dry_run=dry_run)
        report.error(
            None,
            "",
            "errore imprevisto, nulla è stato scritto: riprovare o avvisare il responsabile "
            "tecnico",
            "unexpected error, nothing was written: try again or tell the technical owner",
        )
        state = ImportJob.State.FAILED
    else:
        if dry_run:
            state = ImportJob.State.CHECKED
        else:
            state = ImportJob.State.DONE if report.written else ImportJob.State.FAILED
    job.state = state
    job.report = report.to_json()
    job.rows_done = job.rows_total = report.rows_read or job.rows_total
    job.finished_at = timezone.now()
    fields = ["state", "report", "rows_done", "rows_total", "finished_at", "updated_at"]
    if state == ImportJob.State.DONE:
        job.content = b""  # the report keeps what matters; the file is not needed again
        fields.append("content")
    job.save(update_fields=fields)
    audit_record(
        action=AuditAction.IMPORT_CHECKED if dry_run else AuditAction.IMPORTED,
        actor=_user(actor_id),
        territory=job.territory,
        target=job.filename,
        detail={**report_counts(report), "corrections": len(job.corrections)},
    )


def report_counts(report: ImportReport) -> dict[str, Any]:
    """The numbers of a report, for the activity log."""
    return {
        "rows": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "not_in_file": len(report.not_in_file),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "written": report.written,
    }


def _locked(job: ImportJob, state: str) -> ImportJob:
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.state != state:
        raise ImportJobError(
            "questo file non è più da controllare: ricaricare la pagina",
            "this file is no longer waiting for this step: reload the page",
        )
    return locked


def _queue(job: ImportJob, action: str) -> None:
    job.state, job.action = ImportJob.State.QUEUED, action
    job.rows_done = 0
    job.finished_at = None
    job.save(
        update_fields=[
            "state", "action", "rows_done", "finished_at", "corrections", "imported_by",
            "updated_at",
        ]
    )  # fmt: skip


def _start(job: ImportJob, user: AbstractBaseUser) -> None:
    """Run a queued job now when it is small, or hand it to the background worker."""
    if job.rows_total <= INLINE_ROWS:
        import_job_run(job_id=job.pk, actor_id=user.pk)
    else:
        tasks.import_job_task.enqueue(job_id=job.pk, actor_id=user.pk)
    job.refresh_from_db(fields=["state", "rows_done", "rows_total"])


def _user(pk: int | None) -> AbstractBaseUser | None:
    return get_user_model().objects.filter(pk=pk).first() if pk is not None else None

"""Imports started from the browser: checked, corrected, imported; large files in the worker."""

import signal
from io import StringIO

import pytest
from django.core.management import call_command

from pertutti.accounts.models import AuditAction, AuditEvent
from pertutti.directory.models import Service
from pertutti.importing import jobs
from pertutti.importing.jobs import (
    ImportJobError,
    import_job_accept,
    import_job_create,
    import_job_import,
)
from pertutti.importing.models import ImportJob
from pertutti.importing.report import ImportReport
from pertutti.importing.services import services_import
from tests.conftest import DEMO_CSV, csv_text, service_row

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_user("admin", password="x" * 16)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def upload(lodi, admin, rows=None, *, content=None, name="s.csv"):
    data = content if content is not None else csv_text(rows or [service_row()]).encode()
    return import_job_create(
        territory=lodi, content=data, filename=name, sample_data=False, user=admin
    )


def test_a_small_file_is_checked_in_the_request_and_nothing_is_written(lodi, admin):
    job = upload(lodi, admin, [service_row(), service_row(codice="TST-002")])
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and job.action == ImportJob.Action.CHECK
    assert (job.rows_total, job.rows_done) == (2, 2)
    report = ImportReport.from_json(job.report)
    assert report.created == 2 and report.dry_run and not report.written
    assert Service.objects.count() == 0
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_CHECKED)
    assert (event.actor, event.target) == (admin, "s.csv")
    assert event.detail["created"] == 2 and event.detail["errors"] == 0


def test_import_writes_it_all_and_drops_the_file(lodi, admin):
    job = upload(lodi, admin, [service_row(), service_row(codice="TST-002")])
    job = import_job_import(job=job, user=admin)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.imported_by == admin
    assert bytes(job.content) == b""
    assert ImportReport.from_json(job.report).written
    assert Service.objects.count() == 2
    assert AuditEvent.objects.get(action=AuditAction.IMPORTED).detail["created"] == 2
    with pytest.raises(ImportJobError, match="no longer waiting"):
        import_job_import(job=job, user=admin)  # a second click changes nothing
    assert Service.objects.count() == 2


def test_a_file_with_errors_cannot_be_imported(lodi, admin):
    job = upload(lodi, admin, [service_row(comune="Atlantide")])
    with pytest.raises(ImportJobError, match="the file has errors"):
        import_job_import(job=job, user=admin)
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and Service.objects.count() == 0


def test_the_import_uses_the_same_function_as_the_command(lodi, admin, monkeypatch):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs["dry_run"])
        return services_import(**kwargs)

    monkeypatch.setattr("pertutti.importing.services.services_import", spy)
    job = upload(lodi, admin)
    import_job_import(job=job, user=admin)
    assert calls == [True, False]


def test_accepting_a_suggestion_corrects_the_cell_and_checks_again(lodi, admin):
    rows = [service_row(), service_row(codice="TST-002", comune="Casalpusterlengho")]
    job = upload(lodi, admin, rows)
    job.refresh_from_db()
    assert [s.key for s in ImportReport.from_json(job.report).suggestions] == ["3:comune"]
    job = import_job_accept(job=job, accepted=["3:comune"], user=admin)
    job.refresh_from_db()
    assert job.corrections == [
        {"row": 3, "column": "comune", "given": "Casalpusterlengho", "value": "Casalpusterlengo"}
    ]
    report = ImportReport.from_json(job.report)
    assert report.errors == [] and report.created == 2
    import_job_import(job=job, user=admin)
    location = Service.objects.get(code="TST-002").locations.get()
    assert location.municipality.name == "Casalpusterlengo"


def test_a_forged_suggestion_changes_nothing(lodi, admin):
    job = upload(lodi, admin, [service_row(comune="Casalpusterlengho")])
    before = ImportJob.objects.get(pk=job.pk).report
    with pytest.raises(ImportJobError, match="no suggestion was chosen"):
        import_job_accept(job=job, accepted=["2:servizio", "7:comune"], user=admin)
    job.refresh_from_db()
    assert job.corrections == [] and job.report == before


def test_an_unexpected_failure_leaves_a_failed_job_and_nothing_written(lodi, admin, monkeypatch):
    job = upload(lodi, admin)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "services_import_upload", broken)
    import_job_import(job=job, user=admin)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    [error] = ImportReport.from_json(job.report).errors
    assert "unexpected error, nothing was written" in error.message_en
    assert Service.objects.count() == 0


def test_progress_is_reported_while_rows_are_validated(lodi, admin, monkeypatch):
    monkeypatch.setattr("pertutti.importing.services.PROGRESS_EVERY", 2)
    monkeypatch.setattr(jobs, "INLINE_ROWS", 0)  # through the task (run at once here)
    seen = []
    original = jobs.services_import_upload

    def watching(**kwargs):
        def progress(done, total):
            kwargs["progress"](done, total)
            seen.append((done, total, ImportJob.objects.get().rows_done))

        return original(**{**kwargs, "progress": progress})

    monkeypatch.setattr(jobs, "services_import_upload", watching)
    job = upload(lodi, admin, [service_row(codice=f"P-{n}") for n in range(5)])
    assert job.state == ImportJob.State.CHECKED
    assert seen == [(2, 5, 2), (4, 5, 4), (5, 5, 5)]


def test_a_large_file_goes_to_the_task(lodi, admin, monkeypatch, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(jobs, "INLINE_ROWS", 1)
    job = upload(lodi, admin, [service_row(), service_row(codice="TST-002")])
    assert job.state == ImportJob.State.QUEUED and job.in_progress
    [result] = default_task_backend.results
    assert result.task.func.__name__ == "import_job_task"
    assert result.kwargs == {"job_id": job.pk, "actor_id": admin.pk}


def test_after_an_import_the_worker_computes_the_vectors(
    lodi, admin, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from pertutti.search.models import SearchDocument

    job = upload(lodi, admin)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        import_job_import(job=job, user=admin)
    assert SearchDocument.objects.get().text.startswith("Segretariato sociale")  # at once
    [result] = default_task_backend.results
    assert result.task.func.__name__ == "search_vectors_task"
    assert result.kwargs == {"territory_id": lodi.pk}


@pytest.fixture
def restore_signals():
    """The worker installs its own Ctrl+C handlers; the test run keeps pytest's."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO())


# Not inside a test transaction: the worker, as in production, drops any connection left
# outside autocommit.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_checks_and_imports_a_large_file(
    lodi, admin, settings, monkeypatch, restore_signals
):
    from django_tasks_db.models import DBTaskResult

    from pertutti.taxonomy.services import categories_sync

    categories_sync()  # an earlier transactional test may have flushed the migration's rows
    settings.TASKS = DATABASE
    monkeypatch.setattr(jobs, "INLINE_ROWS", 10)
    job = upload(lodi, admin, content=DEMO_CSV.read_bytes(), name="mappatura.csv")
    assert job.state == ImportJob.State.QUEUED and job.rows_total == 70
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and job.rows_done == 70
    assert ImportReport.from_json(job.report).created == 70
    assert Service.objects.count() == 0

    job = import_job_import(job=job, user=admin)
    assert job.state == ImportJob.State.QUEUED and job.action == ImportJob.Action.IMPORT
    run_worker()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Service.objects.count() == 70
    # The check, the import, then the vectors (enqueued once the import committed).
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("pertutti.importing.tasks.import_job_task", "SUCCESSFUL"),
        ("pertutti.importing.tasks.import_job_task", "SUCCESSFUL"),
        ("pertutti.search.tasks.search_vectors_task", "SUCCESSFUL"),
    ]
    assert AuditEvent.objects.get(action=AuditAction.IMPORTED).actor == admin


def test_a_job_already_taken_is_not_run_twice(lodi, admin):
    job = upload(lodi, admin)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    jobs.import_job_run(job_id=job.pk, actor_id=admin.pk)
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.RUNNING
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT_CHECKED).count() == 1

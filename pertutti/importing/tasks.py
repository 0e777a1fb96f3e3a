"""Background work of the import page, run by the django-tasks worker (`manage.py db_worker`)."""

from django_tasks import task

from pertutti.importing import jobs


@task()
def import_job_task(job_id: int, actor_id: int | None = None) -> None:
    """Check or import an uploaded spreadsheet too large to do within a web request."""
    jobs.import_job_run(job_id=job_id, actor_id=actor_id)

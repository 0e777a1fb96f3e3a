"""Reads for the import page."""

from dataclasses import dataclass

from django.db.models import QuerySet

from pertutti.directory.models import Service
from pertutti.importing.models import ImportJob
from pertutti.territories.models import Territory


def import_jobs_recent(*, territory: Territory, limit: int = 20) -> QuerySet[ImportJob]:
    """The latest uploads, without their files or reports (a list needs neither)."""
    return (
        ImportJob.objects.filter(territory=territory)
        .defer("content", "report", "corrections")
        .select_related("created_by", "imported_by")[:limit]
    )


def import_job_get(*, territory: Territory, pk: int) -> ImportJob | None:
    """One job of this territory; another territory's job is not found."""
    return (
        ImportJob.objects.filter(territory=territory, pk=pk)
        .defer("content")
        .select_related("created_by", "imported_by")
        .first()
    )


def territory_has_sample_data(*, territory: Territory) -> bool:
    """Whether the stored services are sample data (the default for a new upload)."""
    return Service.objects.filter(territory=territory, sample_data=True).exists()


@dataclass(frozen=True)
class ImportJobProblems:
    """A recent upload with something to look at, for the back-office dashboard."""

    job: ImportJob
    errors: int
    warnings: int
    suggestions: int


def import_jobs_with_problems(
    *, territory: Territory, look_back: int = 10, limit: int = 5
) -> list[ImportJobProblems]:
    """Among the latest `look_back` uploads, those that failed or whose report has errors,
    warnings or suggestions, newest first. Reports are counted here (JSON counts are not
    portable between SQLite and PostgreSQL); `look_back` bounds how many are read."""
    found = []
    jobs = ImportJob.objects.filter(territory=territory).defer("content", "corrections")
    for job in jobs.select_related("created_by")[:look_back]:
        problems = (job.report or {}).get("problems", [])
        errors = sum(1 for p in problems if p.get("severity") == "error")
        warnings = len(problems) - errors
        suggestions = len((job.report or {}).get("suggestions", []))
        if errors or warnings or suggestions or job.state == ImportJob.State.FAILED:
            found.append(ImportJobProblems(job, errors, warnings, suggestions))
    return found[:limit]

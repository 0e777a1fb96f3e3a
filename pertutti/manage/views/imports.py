"""Back office: the spreadsheet import (thin views; the work is in `importing.jobs`).

Upload → check (a dry run: the report) → accept suggestions (check again) → import.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from pertutti.accounts.audit import audit_record
from pertutti.accounts.decorators import staff_view
from pertutti.accounts.models import AuditAction
from pertutti.importing.jobs import (
    ImportJobError,
    import_job_accept,
    import_job_create,
    import_job_import,
)
from pertutti.importing.models import ImportJob
from pertutti.importing.reading import SpreadsheetError, too_large_error
from pertutti.importing.report import ImportReport, Severity
from pertutti.importing.selectors import (
    import_job_get,
    import_jobs_recent,
    territory_has_sample_data,
)
from pertutti.territories.selectors import request_territory_or_404
from pertutti.uploads import limit_uploads

PERM = "importing.import_services"
# While a job waits or runs, its page reloads itself this often (no script needed).
REFRESH_SECONDS = 3


class UploadForm(forms.Form):
    # An empty file is reported by the importer, in its own words, like any unreadable file.
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
    )
    sample_data = forms.BooleanField(
        required=False, label=_("These are sample data: every public page will say so")
    )


def _message(error: SpreadsheetError | ImportJobError) -> str:
    """The importer's own message in the interface language (Italian, or else English)."""
    return error.message_it if _italian() else error.message_en


def _italian() -> bool:
    return (get_language() or "").split("-")[0] == "it"


@csrf_exempt  # checked below, once the upload limit is in place (the check reads the body)
@staff_view(PERM)
def import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not limit_uploads(request, settings.PERTUTTI_MAX_UPLOAD_BYTES):
        # Refused from its declared length, before a byte of the body is read; no CSRF
        # check either (it would read the body), and nothing changes.
        return _upload_page(request, _form(request), _message(too_large_error()), status=413)
    return _import_start(request)


@csrf_protect
def _import_start(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    if request.method != "POST":
        return _upload_page(request, _form(request))
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        return _upload_page(request, form, _message(too_large_error()), status=413)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        job = import_job_create(
            territory=territory,
            content=upload.read(),
            filename=upload.name,
            sample_data=form.cleaned_data["sample_data"],
            user=request.user,
        )
    except SpreadsheetError as error:
        audit_record(
            action=AuditAction.IMPORT_CHECKED,
            actor=request.user,
            territory=territory,
            target=upload.name,
            detail={"refused": error.message_en},
        )
        return _upload_page(request, form, _message(error), status=400)
    return redirect("manage:import_job", pk=job.pk)


def _form(request: HttpRequest) -> UploadForm:
    territory = request_territory_or_404(request)
    return UploadForm(initial={"sample_data": territory_has_sample_data(territory=territory)})


def _upload_page(
    request: HttpRequest, form: UploadForm, error: str = "", *, status: int = 200
) -> HttpResponse:
    territory = request_territory_or_404(request)
    context = {
        "form": form,
        "error": error,
        "jobs": import_jobs_recent(territory=territory),
        "max_size": settings.PERTUTTI_MAX_UPLOAD_BYTES,
        "max_rows": settings.PERTUTTI_MAX_IMPORT_ROWS,
    }
    return render(request, "manage/import.html", context, status=status)


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    job = import_job_get(territory=request_territory_or_404(request), pk=pk)
    if job is None:
        raise Http404
    return job


@staff_view(PERM)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    context: dict = {"job": job, "refresh": REFRESH_SECONDS if job.in_progress else 0}
    if job.report and not job.in_progress:
        report = ImportReport.from_json(job.report)
        language = get_language() or "en"
        problems = report.sorted_problems()
        context.update(
            report=report,
            errors=[p.line(language) for p in problems if p.severity is Severity.ERROR],
            warnings=[p.line(language) for p in problems if p.severity is Severity.WARNING],
            changed=[
                (change, [(f.label(language), f) for f in change.changes])
                for change in report.changed_services
            ],
            can_import=job.state == ImportJob.State.CHECKED and not report.errors,
        )
    return render(request, "manage/import_job.html", context)


@require_POST
@staff_view(PERM)
def import_job_corrections(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        import_job_accept(job=job, accepted=request.POST.getlist("accept"), user=request.user)
    except ImportJobError as error:
        messages.error(request, _message(error))
    return redirect("manage:import_job", pk=pk)


@require_POST
@staff_view(PERM)
def import_job_write(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        import_job_import(job=job, user=request.user)
    except ImportJobError as error:
        messages.error(request, _message(error))
    return redirect("manage:import_job", pk=pk)


urlpatterns = [
    path("import/", import_start, name="import"),
    path("import/<int:pk>/", import_job, name="import_job"),
    path("import/<int:pk>/corrections/", import_job_corrections, name="import_job_corrections"),
    path("import/<int:pk>/import/", import_job_write, name="import_job_import"),
]

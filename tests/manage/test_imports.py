"""The import page: who may use it, the report it shows, suggestions, the import itself,
and every file it must refuse (a clear message, nothing stored, nothing written)."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pertutti.accounts.models import AuditAction, AuditEvent
from pertutti.directory.models import Service
from pertutti.importing import jobs
from pertutti.importing.models import ImportJob
from pertutti.importing.report import ImportReport
from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV, csv_text, service_row
from tests.importing.test_import_limits import rows_csv, zip_bomb
from tests.manage.cast import VISITORS, cast, login_redirect

URL = "/it/manage/import/"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def everyone(lodi):
    return cast(lodi)


@pytest.fixture
def admin(everyone) -> Client:
    return everyone.client("administrator")


def upload(client: Client, content: bytes, name: str = "servizi.csv", url: str = URL, **data):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def job_url(job: ImportJob, lang: str = "it") -> str:
    return f"/{lang}/manage/import/{job.pk}/"


def misspelt_demo() -> bytes:
    """The demo spreadsheet with the municipality of LPT-051 misspelt."""
    rows = list(csv.reader(io.StringIO(DEMO_CSV.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    [row] = [r for r in rows if r[0] == "LPT-051"]
    assert row[header.index("comune")] == "Casalpusterlengo"
    row[header.index("comune")] = "Casalpusterlengho"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def text(response) -> str:
    return response.content.decode()


# Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_open_the_import_page(everyone, who):
    response = everyone.client(who).get(URL)
    if who == "anonymous":
        assert login_redirect(response, URL)
    elif who in ("administrator", "superuser"):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_upload_check_and_import(everyone, who):
    job = ImportJob.objects.create(
        territory=everyone.lodi,
        filename="s.csv",
        content=csv_text([service_row()]).encode(),
        state=ImportJob.State.CHECKED,
        rows_total=1,
        report=ImportReport().to_json(),
    )
    client = everyone.client(who)
    responses = [
        client.get(job_url(job)),
        upload(client, csv_text([service_row()]).encode()),
        client.post(job_url(job) + "corrections/", {"accept": "2:comune"}),
        client.post(job_url(job) + "import/"),
    ]
    allowed = who in ("administrator", "superuser")
    if who == "anonymous":
        assert all(r.status_code == 302 and "/accounts/login/" in r["Location"] for r in responses)
    elif not allowed:
        assert [r.status_code for r in responses] == [403] * 4
    if not allowed:
        assert ImportJob.objects.count() == 1 and Service.objects.count() == 0
        job.refresh_from_db()
        assert job.state == ImportJob.State.CHECKED
    else:
        assert [r.status_code for r in responses] == [200, 302, 302, 302]
        assert Service.objects.count() == 1


def test_another_territorys_job_is_not_found(everyone, admin):
    foreign = ImportJob.objects.create(
        territory=everyone.other, filename="cremona.csv", state=ImportJob.State.CHECKED,
        content=csv_text([service_row()]).encode(), rows_total=1,
        report=ImportReport().to_json(),
    )  # fmt: skip
    assert admin.get(job_url(foreign)).status_code == 404
    assert admin.post(job_url(foreign) + "import/").status_code == 404
    assert admin.post(job_url(foreign) + "corrections/", {"accept": "2:comune"}).status_code == 404
    assert Service.objects.count() == 0
    assert "cremona.csv" not in text(admin.get(URL))


def test_an_upload_without_the_csrf_token_is_refused(everyone):
    from tests.staff import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), everyone.people["administrator"])
    response = upload(client, csv_text([service_row()]).encode())
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_import_is_post_only(everyone, admin):
    job = ImportJob.objects.create(territory=everyone.lodi, filename="s.csv", rows_total=1)
    assert admin.get(job_url(job) + "import/").status_code == 405


# The report ------------------------------------------------------------------------------


def test_the_demo_is_checked_and_reported_in_italian(admin):
    response = upload(admin, DEMO_CSV.read_bytes(), name="mappatura-servizi-lodi.csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    page = text(admin.get(job_url(job)))
    assert "70 righe lette" in page or "70 rows read" in page  # before the catalogue
    assert "riga 71, colonna codice: probabile doppione" in page
    assert "row 71, column codice" not in page
    assert f'action="/it/manage/import/{job.pk}/import/"' in page
    assert "LPT-001" in page and "Ricongiungimento familiare (nulla osta)" in page
    assert Service.objects.count() == 0  # a check writes nothing
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_CHECKED)
    assert event.target == "mappatura-servizi-lodi.csv" and event.detail["created"] == 70


def test_problem_lines_are_in_english_for_another_interface_language(admin):
    upload(admin, DEMO_CSV.read_bytes(), url="/en/manage/import/")
    page = text(admin.get(job_url(ImportJob.objects.get(), "en")))
    assert "row 71, column codice: likely duplicate" in page
    assert "probabile doppione" not in page


def test_changed_services_show_each_field_old_and_new_escaped(lodi, admin, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(), service_row(codice="X-9")]))
    changed = service_row(orari="mar 14-16", servizio="<script>alert(1)</script>")
    upload(admin, csv_text([changed]).encode(), name="<img src=x onerror=alert(1)>.csv")
    job = ImportJob.objects.get()
    page = text(admin.get(job_url(job)))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in page
    row = (
        '<th scope="row" dir="auto">orari</th><td><span dir="auto">lun-ven 9-12</span></td>'
        '<td><span dir="auto">mar 14-16</span></td>'
    )
    assert row in page.replace("\n", "")
    assert "X-9" in page  # in the directory, not in the file


def test_a_large_file_shows_its_progress_until_the_worker_is_done(admin, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(jobs, "INLINE_ROWS", 10)
    upload(admin, DEMO_CSV.read_bytes())
    job = ImportJob.objects.get()
    page = text(admin.get(job_url(job)))
    assert job.state == ImportJob.State.QUEUED
    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress id="job-progress" max="70" value="0">' in page
    assert "Import" not in re.findall(r"<button[^>]*>([^<]*)</button>", page)
    jobs.import_job_run(job_id=job.pk)  # what the worker does
    page = text(admin.get(job_url(job)))
    assert 'http-equiv="refresh"' not in page and "<progress" not in page


# Suggestions, then the import ------------------------------------------------------------


def test_misspelt_municipality_suggestion_accepted_then_imported(admin):
    upload(admin, misspelt_demo())
    job = ImportJob.objects.get()
    page = text(admin.get(job_url(job)))
    assert "riga 52, colonna comune: comune sconosciuto «Casalpusterlengho»" in page
    assert 'name="accept" value="52:comune"' in page
    assert f'action="/it/manage/import/{job.pk}/import/"' not in page  # errors: no import

    response = admin.post(job_url(job) + "corrections/", {"accept": ["52:comune"]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and len(job.corrections) == 1
    page = text(admin.get(job_url(job)))
    assert "Casalpusterlengho" in page  # among the corrections accepted
    assert 'name="accept"' not in page
    assert f'action="/it/manage/import/{job.pk}/import/"' in page

    response = admin.post(job_url(job) + "import/")
    assert response.status_code == 302
    assert Service.objects.count() == 70
    place = Service.objects.get(code="LPT-051").locations.get()
    assert place.municipality.name == "Casalpusterlengo"
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == 1
    page = text(admin.get(job_url(job)))
    assert f'action="/it/manage/import/{job.pk}/import/"' not in page


def test_a_forged_suggestion_is_refused_and_changes_nothing(admin):
    upload(admin, misspelt_demo())
    job = ImportJob.objects.get()
    response = admin.post(job_url(job) + "corrections/", {"accept": ["2:servizio"]}, follow=True)
    assert "nessun suggerimento scelto" in text(response)
    job.refresh_from_db()
    assert job.corrections == [] and Service.objects.count() == 0


def test_a_file_with_errors_is_not_imported_even_if_posted(admin):
    upload(admin, csv_text([service_row(comune="Atlantide")]).encode())
    job = ImportJob.objects.get()
    response = admin.post(job_url(job) + "import/", follow=True)
    assert "il file ha errori" in text(response)
    assert Service.objects.count() == 0


# Files refused ---------------------------------------------------------------------------


@pytest.fixture
def loaded(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    return Service.objects.count()


def assert_refused(response, message: str, loaded: int, status: int = 400) -> None:
    assert response.status_code == status
    assert message in text(response)
    assert ImportJob.objects.count() == 0
    assert Service.objects.count() == loaded


def test_a_file_over_10_mb_is_refused_before_its_body_is_read(admin, loaded, monkeypatch):
    from django.core.handlers.wsgi import WSGIRequest

    def never(self):
        pytest.fail("the upload was parsed")

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", never)
    response = upload(admin, b"x" * (11 * 1024 * 1024))
    assert_refused(response, "file troppo grande (massimo 10 MB)", loaded, status=413)


def test_a_file_over_the_limit_within_the_form_allowance_is_stopped_while_read(
    admin, loaded, settings
):
    # Declared length within limit + form overhead: the upload handler stops the file.
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 1000
    response = upload(admin, csv_text([service_row()] * 20).encode())
    assert_refused(response, "file troppo grande (massimo 1 KB)", loaded, status=413)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (rows_csv(20_001), "servizi.csv", "troppe righe: più di 20.000 (massimo 20.000)"),
        (zip_bomb(), "servizi.xlsx", "sproporzionato, rifiutato senza aprirlo"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.csv", "il file non è in UTF-8"),
        (b"", "servizi.csv", "il file è vuoto"),
        (b"not a zip", "servizi.xlsx", "file XLSX illeggibile o danneggiato"),
        (b"x", "servizi.pdf", "formato non supportato"),
    ],
    ids=["20001-rows", "zip-bomb", "png", "empty", "not-xlsx", "pdf"],
)
def test_files_that_cannot_be_imported_are_refused(admin, loaded, content, name, message):
    assert_refused(upload(admin, content, name=name), message, loaded)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_CHECKED)
    assert event.target == name and "refused" in event.detail


def test_refusal_messages_are_in_english_for_another_language(admin, loaded):
    response = upload(admin, b"", url="/en/manage/import/")
    assert_refused(response, "the file is empty", loaded)

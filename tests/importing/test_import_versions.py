"""The spreadsheet import writes history: each service created or changed gets a version,
attributed to the import (and to the administrator who imported it from the page); an
unchanged row, or a check (a dry run), writes none."""

import pytest

from pertutti.directory.models import Service
from pertutti.editorial.models import ServiceVersion, VersionSource
from pertutti.editorial.services import service_publish
from pertutti.importing.jobs import import_job_create, import_job_import
from pertutti.importing.services import services_import_file
from tests.conftest import csv_text, service_row

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def versions(code: str) -> list[ServiceVersion]:
    return list(ServiceVersion.objects.filter(service__code=code).order_by("number"))


def test_a_created_service_is_version_1_by_the_import(lodi, write_csv):
    rows = [service_row(), service_row(codice="TST-002", servizio="Altro", telefono="0371 409111")]
    services_import_file(territory=lodi, path=write_csv(rows))
    service = Service.objects.get(code="TST-002")
    assert service.version == 1
    [version] = versions("TST-002")
    assert (version.number, version.source) == (1, VersionSource.IMPORT)
    assert version.author is None and version.author_name == "import"
    # The snapshot is of the service as written: its place, phones and hours included.
    assert version.data["service"]["name"] == "Altro"
    assert version.data["phones"] == [["+390371409111", False]]
    assert version.data["location"]["postcode"] == "26900"
    assert version.data["schedule"]["original_text"] == "lun-ven 9-12"
    assert [h[0] for h in version.data["schedule"]["hours"]] == [0, 1, 2, 3, 4]


def test_a_changed_service_gets_the_next_version_with_the_new_data(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(telefono="0371 409111")]))
    services_import_file(
        territory=lodi, path=write_csv([service_row(orari="mar 14-16", telefono="0371 409222")])
    )
    service = Service.objects.get(code="TST-001")
    assert service.version == 2
    first, second = versions("TST-001")
    assert (first.number, second.number) == (1, 2)
    assert second.source == VersionSource.IMPORT
    # Not the replaced phone or hours still prefetched by the import.
    assert second.data["phones"] == [["+390371409222", False]]
    assert second.data["schedule"]["hours"] == [[1, "14:00", "16:00", ""]]
    assert first.data["phones"] == [["+390371409111", False]]


def test_an_unchanged_row_writes_no_version(lodi, write_csv):
    rows = [service_row(), service_row(codice="TST-002", servizio="Altro")]
    services_import_file(territory=lodi, path=write_csv(rows))
    report = services_import_file(
        territory=lodi, path=write_csv([service_row(servizio="Nuovo nome"), rows[1]])
    )
    assert (report.updated, report.unchanged) == (1, 1)
    assert [v.number for v in versions("TST-001")] == [1, 2]
    assert [v.number for v in versions("TST-002")] == [1]
    assert Service.objects.get(code="TST-002").version == 1


def test_a_dry_run_writes_no_version(lodi, write_csv):
    report = services_import_file(territory=lodi, path=write_csv([service_row()]), dry_run=True)
    assert report.created == 1
    assert not ServiceVersion.objects.exists() and not Service.objects.exists()


def test_the_import_continues_a_history_made_in_the_back_office(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    service = Service.objects.get()
    data = versions("TST-001")[0].data
    data["service"]["notes"] = "Cambiato dal back office"
    service_publish(
        service=service, data=data, base_version=1, source=VersionSource.EDITOR, author=None
    )
    services_import_file(territory=lodi, path=write_csv([service_row(servizio="Dal foglio")]))
    assert [(v.number, v.source) for v in versions("TST-001")] == [
        (1, VersionSource.IMPORT),
        (2, VersionSource.EDITOR),
        (3, VersionSource.IMPORT),
    ]
    assert Service.objects.get().version == 3


def test_an_import_from_the_page_names_the_administrator(lodi, django_user_model, settings):
    settings.TASKS = IMMEDIATE
    admin = django_user_model.objects.create_user("admin", password="x" * 16)
    job = import_job_create(
        territory=lodi,
        content=csv_text([service_row()]).encode(),
        filename="s.csv",
        sample_data=False,
        user=admin,
    )
    assert not ServiceVersion.objects.exists()  # the check is a dry run
    import_job_import(job=job, user=admin)
    [version] = versions("TST-001")
    assert version.source == VersionSource.IMPORT
    assert version.author == admin and version.author_name == "admin"


@pytest.mark.parametrize("actor", [None, "user"])
def test_the_command_path_accepts_an_actor(lodi, write_csv, django_user_model, actor):
    user = django_user_model.objects.create_user("ops") if actor else None
    services_import_file(territory=lodi, path=write_csv([service_row()]), actor=user)
    [version] = versions("TST-001")
    assert version.author == user
    assert version.author_name == ("ops" if user else "import")

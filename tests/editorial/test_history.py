"""History end to end: an imported service, an edit, a restore and a "still correct" each
leave a complete version (hours, place and phones included); nothing is ever rewritten."""

import pytest
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.models import ServiceVersion, VersionSource
from pertutti.editorial.services import (
    EditorialError,
    StaleEdit,
    service_publish,
    service_restore,
    service_verify,
)
from pertutti.importing.services import services_import_file
from pertutti.translations.models import SourceText, Translation
from pertutti.translations.services import translation_save
from tests.conftest import service_row


@pytest.fixture
def imported(lodi, write_csv) -> Service:
    row = service_row(telefono="0371 409111", orari="lun 9-12", indirizzo="Via Roma 1")
    services_import_file(territory=lodi, path=write_csv([row]))
    return Service.objects.get(code="TST-001")


def edit(service: Service, **changes) -> ServiceVersion:
    data = service_snapshot(service)
    data["service"]["name"] = changes.get("name", data["service"]["name"])
    data["phones"] = changes.get("phones", data["phones"])
    data["schedule"]["hours"] = changes.get("hours", data["schedule"]["hours"])
    return service_publish(
        service=service,
        data=data,
        base_version=service.version,
        source=VersionSource.EDITOR,
        author=None,
        note="orari estivi",
    )


def test_restoring_brings_back_hours_phones_and_place_as_a_new_version(imported):
    first = service_snapshot(imported)
    edit(imported, name="Orari estivi", phones=[["+390371409222", False]], hours=[])
    restored = service_restore(
        service=imported, version=imported.versions.get(number=1), author=None
    )
    service = Service.objects.get(pk=imported.pk)
    assert restored.number == service.version == 3
    assert service_snapshot(service) == first == restored.data
    assert [p.number for p in service.phones.all()] == ["+390371409111"]
    assert [(h.weekday, h.opens.hour) for h in service.schedule.hours.all()] == [(0, 9)]
    # Every version is kept as it was: the one restored from, and the one it replaced.
    numbers = list(service.versions.order_by("number").values_list("number", "source"))
    assert numbers == [
        (1, VersionSource.IMPORT),
        (2, VersionSource.EDITOR),
        (3, VersionSource.RESTORE),
    ]
    assert service.versions.get(number=2).data["service"]["name"] == "Orari estivi"
    assert restored.note == "v1"


def test_a_version_of_another_service_cannot_be_restored(imported, lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(codice="TST-002")]))
    other = ServiceVersion.objects.get(service__code="TST-002")
    with pytest.raises(EditorialError):
        service_restore(service=imported, version=other, author=None)
    assert imported.versions.count() == 1


def test_still_correct_is_a_minor_version_that_keeps_the_translations(imported):
    source = SourceText.objects.get(content_type__model="service", field="name")
    translation_save(source=source, language="en", text="Social desk", status="translated")
    before = service_snapshot(imported)
    version = service_verify(service=imported, author=None, base_version=1)
    service = Service.objects.get(pk=imported.pk)
    assert (version.number, version.source, version.minor) == (2, VersionSource.VERIFIED, True)
    assert service.assured_date == timezone.localdate()
    after = service_snapshot(service)
    assert after["service"].pop("assured_date") != before["service"].pop("assured_date")
    assert after == before
    assert not Translation.objects.get(source=source).is_outdated


def test_still_correct_from_an_older_page_is_refused(imported):
    edit(imported, name="Cambiato")
    with pytest.raises(StaleEdit):
        service_verify(service=imported, author=None, base_version=1)
    assert Service.objects.get(pk=imported.pk).assured_date.isoformat() == "2025-05-12"
    assert imported.versions.count() == 2


def test_a_reimport_after_a_restore_continues_the_numbering(imported, lodi, write_csv):
    edit(imported, name="Cambiato")
    service_restore(service=imported, version=imported.versions.get(number=1), author=None)
    row = service_row(telefono="0371 409111", orari="lun 9-12", indirizzo="Via Roma 1")
    report = services_import_file(territory=lodi, path=write_csv([row]))
    assert report.unchanged == 1  # the restored data is the spreadsheet's: nothing to write
    report = services_import_file(
        territory=lodi, path=write_csv([{**row, "servizio": "Dal foglio"}])
    )
    assert report.updated == 1
    assert list(imported.versions.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]

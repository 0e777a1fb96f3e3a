"""Re-importing: same code updates, nothing is duplicated, unchanged rows are not touched."""

from pertutti.directory.models import Organization, Service
from pertutti.importing.services import services_import_file
from tests.conftest import service_row


def test_a_changed_row_updates_the_service_with_the_same_code(lodi, write_csv):
    first = [service_row(), service_row(codice="TST-002", servizio="Altro")]
    services_import_file(territory=lodi, path=write_csv(first))
    untouched = Service.objects.get(code="TST-002").updated_at
    changed = [
        service_row(orari="mar 14-16", telefono="0371 409111", lingue_parlate="arabo"),
        service_row(codice="TST-002", servizio="Altro"),
    ]
    report = services_import_file(territory=lodi, path=write_csv(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    service = Service.objects.get(code="TST-001")
    assert service.languages == ["ar"]
    assert [(h.weekday, h.opens.hour) for h in service.schedule.hours.all()] == [(1, 14)]
    assert [p.number for p in service.phones.all()] == ["+390371409111"]
    assert service.locations.count() == 1
    assert Service.objects.count() == 2 and Organization.objects.count() == 1
    assert Service.objects.get(code="TST-002").updated_at == untouched


def test_codes_are_matched_case_insensitively(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(codice="tst-001")]))
    report = services_import_file(territory=lodi, path=write_csv([service_row(codice="TST-001 ")]))
    assert report.unchanged == 1 and Service.objects.get().code == "TST-001"


def test_services_missing_from_the_file_are_reported_and_kept(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(), service_row(codice="X-9")]))
    report = services_import_file(territory=lodi, path=write_csv([service_row()]))
    assert report.not_in_file == ["X-9"]
    assert "services in the database are not in this file" in report.render()
    assert Service.objects.filter(code="X-9").exists()


def test_moving_a_service_to_another_organization(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    services_import_file(territory=lodi, path=write_csv([service_row(ente="Caritas Lodigiana")]))
    assert Service.objects.get().organization.name == "Caritas Lodigiana"


def test_updating_a_service_keeps_its_schedule_and_its_translations(lodi, write_csv):
    from pertutti.translations.models import SourceText, Translation
    from pertutti.translations.services import translation_save

    services_import_file(territory=lodi, path=write_csv([service_row(orari="su appuntamento")]))
    schedule_pk = Service.objects.get().schedule.pk
    source = SourceText.objects.get(content_type__model="schedule", object_id=schedule_pk)
    translation_save(source=source, language="en", text="by appointment", status="translated")
    services_import_file(
        territory=lodi, path=write_csv([service_row(orari="su appuntamento", servizio="Nuovo")])
    )
    assert Service.objects.get().schedule.pk == schedule_pk
    assert SourceText.objects.filter(content_type__model="schedule").count() == 1
    assert not Translation.objects.get().is_outdated

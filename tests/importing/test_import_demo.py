"""The demo spreadsheet of Lodi imports cleanly, reports what it should, re-imports as a no-op."""

from io import StringIO

import pytest
from django.core.management import call_command

from pertutti.directory.models import Organization, Placement, Service
from pertutti.importing.report import Severity
from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV


@pytest.fixture
def first_import(lodi):
    return services_import_file(territory=lodi, path=DEMO_CSV)


def test_demo_imports_70_services_without_errors(first_import):
    assert first_import.errors == []
    assert first_import.rows_read == 70
    assert first_import.created == 70
    assert Service.objects.count() == 70
    assert first_import.written


def test_demo_reports_the_known_duplicate(first_import):
    duplicates = [p for p in first_import.warnings if "likely duplicate" in p.message_en]
    assert len(duplicates) == 1
    assert duplicates[0].row == 71  # LPT-070 is the 70th data row, row 71 of the sheet
    assert "LPT-070" in duplicates[0].message_en and "LPT-055" in duplicates[0].message_en
    assert "probabile doppione" in duplicates[0].message_it


def test_demo_reports_unparsed_hours_as_warnings_and_keeps_the_text(first_import):
    hours_warnings = [p for p in first_import.warnings if p.column == "orari"]
    assert hours_warnings, "the demo has free-text hours that cannot be structured"
    assert all(p.severity is Severity.WARNING for p in hours_warnings)
    service = Service.objects.get(code="LPT-009")
    assert service.schedule.original_text.startswith("mattina, dal lunedì al venerdì")
    assert service.schedule.unparsed_text


def test_demo_normalises_cells(first_import):
    s = Service.objects.get(code="LPT-002")
    assert s.languages == ["it", "en", "fr"]  # "IT/EN/FR"
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in s.schedule.hours.all()] == [
        (1, 9, 12),
        (3, 9, 12),
    ]
    assert s.schedule.by_appointment  # "solo su convocazione"
    assert str(Service.objects.get(code="LPT-003").assured_date) == "2025-03-15"  # 15/03/2025
    assert str(Service.objects.get(code="LPT-017").assured_date) == "2025-03-01"  # marzo 2025
    assert Service.objects.get(code="LPT-030").category.code == "health"  # "salute"
    free = Service.objects.get(code="LPT-055")
    assert free.free  # "Gratuito"
    assert not Service.objects.get(code="LPT-001").free  # "marca da bollo 16 euro"
    phones = Service.objects.get(code="LPT-066").phones.all()
    assert [p.number for p in phones] == ["+390294965244"]
    assert Service.objects.get(code="LPT-066").website == "https://www.luleonlus.it"
    emergency = [p.number for p in Service.objects.get(code="LPT-069").phones.all()]
    assert emergency == ["112", "118"]
    # A trailing space in "Codogno " still finds the municipality.
    assert Service.objects.get(code="LPT-020").locations.get().municipality.name == "Codogno"


def test_demo_places_services(first_import):
    no_coordinates = Service.objects.get(code="LPT-003").locations.get()
    assert no_coordinates.placement == Placement.MUNICIPALITY_CENTRE
    assert no_coordinates.municipality.name == "Lodi"
    # San Colombano al Lambro is outside the province but in the territory.
    sc = Service.objects.get(code="LPT-054").locations.get()
    assert sc.municipality.istat_code == "015191"
    assert Service.objects.filter(locations__placement=Placement.NONE).count() == 0


def test_second_import_changes_nothing(lodi, first_import):
    before = list(Service.objects.values_list("code", "updated_at").order_by("code"))
    again = services_import_file(territory=lodi, path=DEMO_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 70)
    assert again.organizations_created == 0
    assert list(Service.objects.values_list("code", "updated_at").order_by("code")) == before
    assert Organization.objects.count() == first_import.organizations_created


def test_dry_run_writes_nothing_but_reports_counts(lodi):
    report = services_import_file(territory=lodi, path=DEMO_CSV, dry_run=True)
    assert report.created == 70 and not report.written
    assert Service.objects.count() == 0
    assert Organization.objects.count() == 0


def test_command_prints_report_and_counts(lodi):
    out = StringIO()
    call_command("import_services", str(DEMO_CSV), "--territory", "lodi", stdout=out)
    text = out.getvalue()
    assert "70 rows read; 70 created, 0 updated, 0 unchanged" in text
    assert "0 errors" in text
    assert "WARNING row 71, column codice: likely duplicate" in text
    assert "riga 71, colonna codice: probabile doppione" in text
    out = StringIO()
    call_command("import_services", str(DEMO_CSV), stdout=out)
    assert "0 created, 0 updated, 70 unchanged" in out.getvalue()


def test_reimport_reads_existing_services_in_a_fixed_number_of_queries(lodi, first_import):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services_import_file(territory=lodi, path=DEMO_CSV)
    # Organizations are looked up once each (59); services, children and the search-index
    # check in a fixed number of queries, not one per row.
    assert len(queries) < 59 + 25

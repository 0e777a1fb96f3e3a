"""The report an administrator reads before importing: new, changed (field by field), not in
the file, and municipality suggestions that can be accepted as corrections."""

from pertutti.directory.models import Service
from pertutti.importing.reading import SheetRow
from pertutti.importing.report import ImportReport
from pertutti.importing.services import corrected_rows, services_import_file
from tests.conftest import service_row


def changes_of(report: ImportReport, code: str) -> dict[str, tuple]:
    [change] = [c for c in report.changed_services if c.code == code]
    return {f.field: (f.label_en, f.old, f.new) for f in change.changes}


def test_new_changed_and_missing_services_are_listed(lodi, write_csv):
    services_import_file(
        territory=lodi, path=write_csv([service_row(), service_row(codice="OLD-1", servizio="Via")])
    )
    rows = [
        service_row(servizio="Segretariato sociale e ascolto"),
        service_row(codice="NEW-1", servizio="Nuovo sportello"),
    ]
    report = services_import_file(territory=lodi, path=write_csv(rows), dry_run=True)
    assert [(s.code, s.name, s.row) for s in report.new_services] == [
        ("NEW-1", "Nuovo sportello", 3)
    ]
    assert [(c.code, c.row) for c in report.changed_services] == [("TST-001", 2)]
    assert changes_of(report, "TST-001") == {
        "name": ("servizio", "Segretariato sociale", "Segretariato sociale e ascolto")
    }
    assert [(s.code, s.name, s.row) for s in report.not_in_file_services] == [
        ("OLD-1", "Via", None)
    ]
    assert report.not_in_file == ["OLD-1"]
    # A dry run: nothing of it was written.
    assert Service.objects.get(code="TST-001").name == "Segretariato sociale"
    assert not Service.objects.filter(code="NEW-1").exists()


def test_hours_place_phones_and_organization_changes_are_shown(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(telefono="0371 409111")]))
    changed = service_row(
        orari="mar 14-16",
        telefono="0371 409111 / 0371 409222",
        comune="Codogno",
        cap="26845",
        indirizzo="Via Roma 1",
        lat="45.17",
        lon="9.7",
        ente="Caritas Lodigiana",
        costo="10 euro",
    )
    report = services_import_file(territory=lodi, path=write_csv([changed]), dry_run=True)
    changes = changes_of(report, "TST-001")
    assert changes["organization"] == (
        "ente",
        "Comune di Lodi – Servizi Sociali",
        "Caritas Lodigiana",
    )
    assert changes["hours"] == ("orari", "lun-ven 9-12", "mar 14-16")
    assert changes["phones"] == ("telefono", "+390371409111", "+390371409111; +390371409222")
    assert changes["municipality"] == ("comune", "Lodi", "Codogno")
    assert changes["postcode"] == ("cap", "26900", "26845")
    assert changes["address"] == ("indirizzo", "", "Via Roma 1")
    assert changes["coordinates"][0] == "lat, lon"
    assert changes["coordinates"][2] == "45.170000, 9.700000"
    assert changes["cost"] == ("costo", "gratuito", "10 euro")
    # "free" follows from costo, whose own change already says it.
    assert "free" not in changes


def test_a_derived_value_is_shown_when_its_cell_did_not_change(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]), sample_data=True)
    report = services_import_file(territory=lodi, path=write_csv([service_row()]), dry_run=True)
    [change] = report.changed_services
    [field] = change.changes
    assert (field.label_it, field.label_en, field.old, field.new) == (
        "dati di esempio",
        "sample data",
        True,
        False,
    )


def test_unchanged_services_are_not_listed(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    report = services_import_file(territory=lodi, path=write_csv([service_row()]), dry_run=True)
    assert (report.unchanged, report.changed_services, report.new_services) == (1, [], [])


def test_a_misspelt_municipality_gives_a_structured_suggestion(lodi, write_csv):
    rows = [service_row(), service_row(codice="TST-002", comune="Casalpusterlengho"),
            service_row(codice="TST-003", comune="Atlantide")]  # fmt: skip
    report = services_import_file(territory=lodi, path=write_csv(rows), dry_run=True)
    [suggestion] = report.suggestions
    assert (suggestion.row, suggestion.column, suggestion.given, suggestion.suggestion) == (
        3,
        "comune",
        "Casalpusterlengho",
        "Casalpusterlengo",
    )
    assert suggestion.key == "3:comune"
    # The error stays, with its hint, as the command prints it.
    assert [(e.row, e.column) for e in report.errors] == [(3, "comune"), (4, "comune")]
    assert "did you mean “Casalpusterlengo”?" in report.errors[0].message_en


def test_corrections_change_only_the_cells_that_still_say_what_was_given():
    rows = [
        SheetRow(2, {"comune": "Casalpusterlengho", "codice": "A"}),
        SheetRow(3, {"comune": "Lodi", "codice": "B"}),
    ]
    corrections = [
        {"row": 2, "column": "comune", "given": "Casalpusterlengho", "value": "Casalpusterlengo"},
        {"row": 3, "column": "comune", "given": "Lodo", "value": "Lodi vecchio"},  # stale
        {"row": 9, "column": "comune", "given": "x", "value": "y"},  # no such row
    ]
    fixed = corrected_rows(rows, corrections)
    assert [r.cells["comune"] for r in fixed] == ["Casalpusterlengo", "Lodi"]
    assert rows[0].cells["comune"] == "Casalpusterlengho"  # the rows read are not changed


def test_the_report_travels_as_json_unchanged(lodi, write_csv):
    import json

    services_import_file(territory=lodi, path=write_csv([service_row()]))
    rows = [service_row(orari="mar 14-16"), service_row(codice="X-2", comune="Codogo")]
    report = services_import_file(territory=lodi, path=write_csv(rows), dry_run=True)
    assert report.changed_services == [] and report.suggestions  # errors stop before writing
    again = ImportReport.from_json(json.loads(json.dumps(report.to_json())))
    assert again == report
    ok = services_import_file(territory=lodi, path=write_csv(rows[:1]), dry_run=True)
    assert ok.changed_services
    assert ImportReport.from_json(json.loads(json.dumps(ok.to_json()))) == ok


def test_problem_lines_follow_the_interface_language(lodi, write_csv):
    report = services_import_file(
        territory=lodi, path=write_csv([service_row(comune="Atlantide")]), dry_run=True
    )
    [error] = report.errors
    assert error.line("it").startswith("riga 2, colonna comune: comune sconosciuto")
    assert error.line("en").startswith("row 2, column comune: unknown municipality")
    assert error.line("ar") == error.line("en")

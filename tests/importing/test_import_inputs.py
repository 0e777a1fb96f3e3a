"""File formats and cell contents that senders really produce."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from pertutti.directory.models import Placement, Service
from pertutti.importing.reading import COLUMNS
from pertutti.importing.services import services_import_file
from tests.conftest import service_row


def test_utf8_bom_and_semicolon(lodi, write_csv):
    path = write_csv([service_row(servizio="Sportello è aperto")], delimiter=";", bom=True)
    report = services_import_file(territory=lodi, path=path)
    assert report.errors == []
    assert Service.objects.get(code="TST-001").name == "Sportello è aperto"


def test_crlf_inside_a_quoted_cell_is_one_cell(lodi, write_csv):
    path = write_csv(
        [service_row(descrizione="Prima riga\r\nSeconda riga"), service_row(codice="TST-002")]
    )
    report = services_import_file(territory=lodi, path=path)
    assert report.errors == [] and report.created == 2
    assert Service.objects.get(code="TST-001").description == "Prima riga\nSeconda riga"


def test_xlsx_with_numbers_and_dates_in_cells(lodi, tmp_path):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = service_row(codice="XLS-001")
    row["cap"] = 26900  # Excel turns a CAP into a number
    row["ultimo_aggiornamento"] = datetime.date(2025, 5, 12)
    row["lat"], row["lon"] = 45.3100, 9.5000
    sheet.append([row[c] for c in COLUMNS])
    path = tmp_path / "servizi.xlsx"
    workbook.save(path)
    report = services_import_file(territory=lodi, path=path)
    assert report.errors == []
    service = Service.objects.get(code="XLS-001")
    assert str(service.assured_date) == "2025-05-12"
    location = service.locations.get()
    assert location.postcode == "26900"
    assert (location.latitude, location.longitude) == (Decimal("45.31"), Decimal("9.5"))
    assert location.placement == Placement.EXACT


def test_script_in_a_cell_is_stored_as_text_and_never_rendered(lodi, write_csv, client):
    evil = '<script>alert("x")</script><b>Corsi</b>'
    path = write_csv([service_row(servizio=evil, ente="<img src=x onerror=alert(1)>")])
    assert services_import_file(territory=lodi, path=path).errors == []
    assert Service.objects.get(code="TST-001").name == evil
    page = client.get("/it/services/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Corsi&lt;/b&gt;" in page


def test_swapped_coordinates_fall_back_to_the_municipality_centre(lodi, write_csv):
    path = write_csv([service_row(lat="9.5036", lon="45.3142", comune="Codogno")])
    report = services_import_file(territory=lodi, path=path)
    assert report.errors == []
    [warning] = [p for p in report.warnings if p.column == "lat"]
    assert warning.row == 2 and "look swapped" in warning.message_en
    assert "sembrano scambiate" in warning.message_it
    location = Service.objects.get().locations.get()
    assert location.placement == Placement.MUNICIPALITY_CENTRE
    assert (location.latitude, location.longitude) == (Decimal("45.160066"), Decimal("9.704370"))


def test_coordinates_outside_the_territory_fall_back_with_a_warning(lodi, write_csv):
    path = write_csv([service_row(lat="41.9028", lon="12.4964")])  # Rome
    report = services_import_file(territory=lodi, path=path)
    [warning] = [p for p in report.warnings if p.column == "lat"]
    assert "outside Lodi per tutti" in warning.message_en
    assert Service.objects.get().locations.get().placement == Placement.MUNICIPALITY_CENTRE


def test_exact_coordinates_are_kept(lodi, write_csv):
    path = write_csv([service_row(lat="45,3001", lon="9,4990")])
    assert services_import_file(territory=lodi, path=path).warnings == []
    location = Service.objects.get().locations.get()
    assert location.placement == Placement.EXACT
    assert (location.latitude, location.longitude) == (Decimal("45.3001"), Decimal("9.499"))


@pytest.mark.parametrize(
    "written", ["S. Angelo Lodigiano", "SANT’ANGELO LODIGIANO", "  sant angelo  lodigiano "]
)
def test_municipality_written_another_way(lodi, write_csv, written):
    path = write_csv([service_row(comune=written, cap="")])
    assert services_import_file(territory=lodi, path=path).errors == []
    location = Service.objects.get().locations.get()
    assert location.municipality.name == "Sant'Angelo Lodigiano"


def test_trailing_spaces_and_category_case_are_normalised(lodi, write_csv):
    path = write_csv([service_row(servizio="  Sportello  ", categoria=" salute ", ente="Ente  ")])
    assert services_import_file(territory=lodi, path=path).errors == []
    service = Service.objects.get()
    assert (service.name, service.organization.name) == ("Sportello", "Ente")
    assert service.category.code == "health"


def test_unknown_columns_are_ignored_but_missing_ones_are_reported(lodi, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("codice,ente,servizio\nX-1,Ente,Servizio\n", encoding="utf-8")
    report = services_import_file(territory=lodi, path=path)
    [error] = report.errors
    assert error.row is None and error.message_en.startswith("missing columns: tipo_ente")
    assert error.message_it.startswith("colonne mancanti: tipo_ente")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00c\x00o", "not UTF-8"),
        (b"", "the file is empty"),
    ],
)
def test_unreadable_files_are_reported(lodi, tmp_path, content, expected):
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    [error] = services_import_file(territory=lodi, path=path).errors
    assert expected in error.message_en


def test_unsupported_and_damaged_files(lodi, tmp_path):
    ods = tmp_path / "s.ods"
    ods.write_bytes(b"x")
    assert (
        "unsupported format" in services_import_file(territory=lodi, path=ods).errors[0].message_en
    )
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(b"not a zip")
    assert "damaged" in services_import_file(territory=lodi, path=xlsx).errors[0].message_en

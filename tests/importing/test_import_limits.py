"""Files refused as a whole, before the work they would cause: a clear message, nothing written."""

import csv
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from pertutti.directory.models import Service
from pertutti.importing.reading import COLUMNS, read_content
from pertutti.importing.services import services_import_file, services_import_upload
from tests.conftest import csv_text, service_row


def only_error(report):
    [error] = report.errors
    assert not report.written and Service.objects.count() == 0
    return error


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(lodi, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (11 * 1024 * 1024))
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("file was read"))
    error = only_error(services_import_file(territory=lodi, path=path))
    assert error.line_en() == "file too large: 11 MB (at most 10 MB)"
    assert error.line_it() == "file troppo grande: 11 MB (massimo 10 MB)"


def test_the_size_limit_is_the_setting(lodi, write_csv, settings):
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 100
    error = only_error(services_import_file(territory=lodi, path=write_csv([service_row()])))
    assert error.message_en == "file too large: 0.5 KB (at most 0.1 KB)"


def rows_csv(count: int) -> bytes:
    """`count` data rows, all valid but for their codes being the same (never looked at)."""
    head, line = csv_text([service_row()]).split("\r\n", 1)
    return (head + "\r\n" + line * count).encode()


def test_more_rows_than_the_limit_are_refused(lodi):
    report = services_import_upload(
        territory=lodi, content=rows_csv(20_001), filename="s.csv", dry_run=True
    )
    error = only_error(report)
    assert error.row is None
    assert error.message_en == "too many rows: more than 20,000 (at most 20,000); split the file"
    assert error.message_it.startswith("troppe righe: più di 20.000")


def test_the_row_limit_stops_reading_at_the_first_row_over_it(settings):
    settings.PERTUTTI_MAX_IMPORT_ROWS = 3
    assert len(read_content(rows_csv(3), filename="s.csv")) == 3
    with pytest.raises(ValueError, match="more than 3"):
        read_content(rows_csv(4), filename="s.csv")


def test_blank_lines_do_not_count_as_rows(settings):
    settings.PERTUTTI_MAX_IMPORT_ROWS = 1
    data = rows_csv(1) + b"\r\n,,,\r\n\r\n"
    assert len(read_content(data, filename="s.csv")) == 1


def test_the_row_limit_applies_to_xlsx_too(settings):
    settings.PERTUTTI_MAX_IMPORT_ROWS = 2
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for n in range(3):
        sheet.append([service_row(codice=f"X-{n}")[c] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValueError, match="too many rows"):
        read_content(out.getvalue(), filename="s.xlsx")


def zip_bomb() -> bytes:
    """A well-formed XLSX-shaped zip whose sheet expands 1000-fold (64 MB of spaces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(64):
                member.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_without_being_expanded(lodi, tmp_path, monkeypatch):
    data = zip_bomb()
    assert len(data) < 200 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)

    def no_expanding(*args, **kwargs):
        pytest.fail("the archive was opened for reading")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_expanding)
    monkeypatch.setattr("pertutti.importing.reading.load_workbook", no_expanding)
    error = only_error(services_import_file(territory=lodi, path=path))
    assert "would expand to 64 MB" in error.message_en
    assert "refused without opening it" in error.message_en
    assert "si espanderebbe a 64 MB" in error.message_it


def test_an_archive_too_large_once_expanded_is_refused_whatever_its_ratio(monkeypatch):
    monkeypatch.setattr("pertutti.importing.reading.MAX_XLSX_EXPANDED_BYTES", 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "x" * 2048)
    with pytest.raises(ValueError, match="out of proportion"):
        read_content(out.getvalue(), filename="s.xlsx")


def test_a_real_workbook_is_not_taken_for_a_bomb(lodi, tmp_path):
    from tests.conftest import DEMO_CSV

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(DEMO_CSV.read_text(encoding="utf-8-sig").splitlines()):
        sheet.append(row)
    path = tmp_path / "demo.xlsx"
    workbook.save(path)
    report = services_import_file(territory=lodi, path=path, dry_run=True)
    assert report.errors == [] and report.created == 70


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"not a zip at all", "s.xlsx", "unreadable or damaged XLSX file"),
        (b"PK\x03\x04 broken", "s.xlsx", "unreadable or damaged XLSX file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "the file is not UTF-8 (byte 0)"),
        (b"", "s.csv", "the file is empty"),
        (b"", "s.xlsx", "the file is empty"),
        (b"\xef\xbb\xbf", "s.csv", "the file is empty"),
        (b"x", "s.ods", "unsupported format"),
    ],
)
def test_files_that_are_not_spreadsheets(lodi, content, name, expected):
    report = services_import_upload(territory=lodi, content=content, filename=name)
    assert expected in only_error(report).message_en


def test_a_zip_that_is_not_a_workbook_is_unreadable(lodi):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    report = services_import_upload(territory=lodi, content=out.getvalue(), filename="s.xlsx")
    assert only_error(report).message_en == "unreadable or damaged XLSX file"


def test_a_csv_cell_over_the_field_limit_is_reported_with_its_row(lodi, write_csv):
    huge = "a" * (csv.field_size_limit() + 1)
    path = write_csv([service_row(), service_row(codice="TST-002", descrizione=huge)])
    error = only_error(services_import_file(territory=lodi, path=path))
    assert error.line_en() == "row 3: a cell is longer than 131,072 characters"
    assert error.line_it() == "riga 3: una cella supera 131.072 caratteri"


def test_the_command_prints_the_refusal_in_both_languages(lodi, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (11 * 1024 * 1024))
    out = StringIO()
    with pytest.raises(CommandError, match="1 errors: nothing was written"):
        call_command("import_services", str(path), stdout=out)
    assert "ERROR   file too large: 11 MB (at most 10 MB)" in out.getvalue()
    assert "file troppo grande: 11 MB (massimo 10 MB)" in out.getvalue()

"""Reading the services spreadsheet (CSV or XLSX) into rows of text cells.

Senders save the same sheet from Excel, LibreOffice or Google Sheets: UTF-8 with
or without BOM, comma or semicolon, CRLF inside quoted cells, or XLSX.

Every limit is checked before the work it protects: the file size before reading it,
the sizes an XLSX declares before expanding it, the row count while reading (never
past the first row over the limit).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook

from pertutti.importing.normalise import clean_text

COLUMNS = (
    "codice", "ente", "tipo_ente", "servizio", "categoria", "descrizione", "destinatari",
    "documenti_necessari", "costo", "come_accedere", "indirizzo", "comune", "cap", "lat", "lon",
    "telefono", "email", "sito_web", "orari", "lingue_parlate", "accessibilita",
    "ultimo_aggiornamento", "note",
)  # fmt: skip
REQUIRED_COLUMNS = ("codice", "ente", "servizio", "categoria", "comune")
SUFFIXES = (".csv", ".xlsx", ".xlsm")

# An XLSX is a zip of XML. Real sheets expand 5-7 times (measured on the demo at 70 to
# 21,000 rows); a member expanding more than this, or an archive larger than the ceiling
# once expanded, is a zip bomb. The sizes are those the archive declares, read without
# expanding anything; Python's zipfile never inflates a member past its declared size.
MAX_XLSX_RATIO = 100
MAX_XLSX_EXPANDED_BYTES = 200 * 1024 * 1024
_SMALL_MEMBER_BYTES = 1024 * 1024  # a small member cannot hurt, whatever its ratio


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; carries the message in Italian and English.

    `row` is set when the problem is on one row (a CSV cell over the length limit).
    """

    def __init__(self, message_it: str, message_en: str, *, row: int | None = None) -> None:
        super().__init__(message_en)
        self.message_it = message_it
        self.message_en = message_en
        self.row = row


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the sender sees it in a spreadsheet program: the header is row 1
    cells: dict[str, str]


def max_file_bytes() -> int:
    return settings.PERTUTTI_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.PERTUTTI_MAX_IMPORT_ROWS


def too_large_error(size: int | None = None) -> SpreadsheetError:
    """The message for a file over the size limit (also used by the upload page)."""
    limit_en, limit_it = _size(max_file_bytes())
    if size is None:
        return SpreadsheetError(
            f"file troppo grande (massimo {limit_it})", f"file too large (at most {limit_en})"
        )
    size_en, size_it = _size(size)
    return SpreadsheetError(
        f"file troppo grande: {size_it} (massimo {limit_it})",
        f"file too large: {size_en} (at most {limit_en})",
    )


def _size(size: int) -> tuple[str, str]:
    """A size in MB (or KB under 1 MB), one decimal unless whole: in English, in Italian."""
    unit, factor = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    text = f"{size / factor:,.1f}".removesuffix(".0")
    return f"{text} {unit}", f"{_it(text)} {unit}"


def _it(number: str) -> str:
    """A number formatted the English way ("20,000.5") written the Italian way ("20.000,5")."""
    return number.translate(str.maketrans(",.", ".,"))


def read_rows(path: Path) -> list[SheetRow]:
    if not path.is_file():
        raise SpreadsheetError(f"file non trovato: {path}", f"file not found: {path}")
    size = path.stat().st_size
    if size > max_file_bytes():
        raise too_large_error(size)
    check_suffix(path.name)
    return read_content(path.read_bytes(), filename=path.name)


def check_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise SpreadsheetError(
            f"formato non supportato «{suffix}»: usare .csv o .xlsx",
            f"unsupported format “{suffix}”: use .csv or .xlsx",
        )
    return suffix


def read_content(data: bytes, *, filename: str) -> list[SheetRow]:
    """The rows of an uploaded file; its name gives the format (.csv or .xlsx)."""
    if len(data) > max_file_bytes():
        raise too_large_error(len(data))
    suffix = check_suffix(filename)
    if not data:
        raise SpreadsheetError("il file è vuoto", "the file is empty")
    if suffix == ".csv":
        return _to_rows(_read_csv(data))
    _check_xlsx_sizes(data)
    return _read_xlsx(data)


def _read_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            f"il file non è in UTF-8 (byte {exc.start}): salvarlo come «CSV UTF-8»",
            f"the file is not UTF-8 (byte {exc.start}): save it as “CSV UTF-8”",
        ) from exc
    end = text.find("\n")
    header_line = text if end < 0 else text[:end]
    # The header has no quoted separators, so counting them picks the delimiter.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0  # rows yielded so far; the next one is row number + 1 (header is row 1)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(number + 1, exc) from exc
        number += 1
        yield values


def _csv_error(row: int, exc: csv.Error) -> SpreadsheetError:
    limit = csv.field_size_limit()
    if "field larger than field limit" in str(exc):
        return SpreadsheetError(
            f"una cella supera {_it(f'{limit:,}')} caratteri",
            f"a cell is longer than {limit:,} characters",
            row=row,
        )
    return SpreadsheetError(
        f"riga CSV illeggibile ({exc})", f"unreadable CSV line ({exc})", row=row
    )


def _check_xlsx_sizes(data: bytes) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before inflating anything."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable_xlsx() from exc
    expanded = sum(m.file_size for m in members)
    bomb = expanded > MAX_XLSX_EXPANDED_BYTES or any(
        m.file_size > _SMALL_MEMBER_BYTES and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if bomb:
        mb, packed = expanded / 1024 / 1024, len(data) / 1024 / 1024
        raise SpreadsheetError(
            f"il file XLSX si espanderebbe a {_it(f'{mb:,.0f}')} MB "
            f"da {_it(f'{packed:,.1f}')} MB: "
            "sproporzionato, rifiutato senza aprirlo",
            f"the XLSX file would expand to {mb:,.0f} MB from {packed:,.1f} MB: "
            "out of proportion, refused without opening it",
        )


def _unreadable_xlsx() -> SpreadsheetError:
    return SpreadsheetError(
        "file XLSX illeggibile o danneggiato", "unreadable or damaged XLSX file"
    )


def _read_xlsx(data: bytes) -> list[SheetRow]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise _unreadable_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        return _to_rows(sheet.iter_rows(values_only=True))
    except SpreadsheetError:
        raise
    except Exception as exc:  # damage inside a sheet shows only while reading it
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def _too_many_rows() -> SpreadsheetError:
    limit = max_rows()
    return SpreadsheetError(
        f"troppe righe: più di {_it(f'{limit:,}')} (massimo {_it(f'{limit:,}')}); dividere il file",
        f"too many rows: more than {limit:,} (at most {limit:,}); split the file",
    )


def _to_rows(table: Iterable[Sequence[object]]) -> list[SheetRow]:
    """Rows as dictionaries of cells; stops at the first row over the limit."""
    lines = iter(table)
    first = next(lines, None)
    if first is None:
        raise SpreadsheetError("il file è vuoto", "the file is empty")
    header = [clean_text(h).lower() for h in first]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SpreadsheetError(
            "colonne mancanti: " + ", ".join(missing),
            "missing columns: " + ", ".join(missing),
        )
    limit = max_rows()
    rows = []
    wanted = [(i, name) for i, name in enumerate(header) if name in COLUMNS]
    for index, values in enumerate(lines, start=2):
        cleaned = [clean_text(v) for v in values]
        if not any(cleaned):
            continue  # blank lines at the end of a sheet are not rows
        if len(rows) == limit:
            raise _too_many_rows()
        cells = {name: cleaned[i] if i < len(cleaned) else "" for i, name in wanted}
        rows.append(SheetRow(number=index, cells=cells))
    return rows

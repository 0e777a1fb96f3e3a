"""Reading the services spreadsheet (CSV or XLSX) into rows of text cells.

Senders save the same sheet from Excel, LibreOffice or Google Sheets: UTF-8 with
or without BOM, comma or semicolon, CRLF inside quoted cells, or XLSX.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from pertutti.importing.normalise import clean_text

COLUMNS = (
    "codice", "ente", "tipo_ente", "servizio", "categoria", "descrizione", "destinatari",
    "documenti_necessari", "costo", "come_accedere", "indirizzo", "comune", "cap", "lat", "lon",
    "telefono", "email", "sito_web", "orari", "lingue_parlate", "accessibilita",
    "ultimo_aggiornamento", "note",
)  # fmt: skip
REQUIRED_COLUMNS = ("codice", "ente", "servizio", "categoria", "comune")
MAX_FILE_BYTES = 20 * 1024 * 1024


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; carries the message in Italian and English."""

    def __init__(self, message_it: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_it = message_it
        self.message_en = message_en


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the sender sees it in a spreadsheet program: the header is row 1
    cells: dict[str, str]


def read_rows(path: Path) -> list[SheetRow]:
    if not path.is_file():
        raise SpreadsheetError(f"file non trovato: {path}", f"file not found: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            f"file troppo grande (massimo {MAX_FILE_BYTES // 1024 // 1024} MB)",
            f"file too large (at most {MAX_FILE_BYTES // 1024 // 1024} MB)",
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path.read_bytes())
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise SpreadsheetError(
            f"formato non supportato «{suffix}»: usare .csv o .xlsx",
            f"unsupported format “{suffix}”: use .csv or .xlsx",
        )
    return _to_rows(table)


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            f"il file non è in UTF-8 (byte {exc.start}): salvarlo come «CSV UTF-8»",
            f"the file is not UTF-8 (byte {exc.start}): save it as “CSV UTF-8”",
        ) from exc
    header_line = text.split("\n", 1)[0]
    # The header has no quoted separators, so counting them picks the delimiter.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(path: Path) -> list[list[str]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise SpreadsheetError(
            "file XLSX illeggibile o danneggiato", "unreadable or damaged XLSX file"
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[clean_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _to_rows(table: list[list[str]]) -> list[SheetRow]:
    if not table:
        raise SpreadsheetError("il file è vuoto", "the file is empty")
    header = [clean_text(h).lower() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SpreadsheetError(
            "colonne mancanti: " + ", ".join(missing),
            "missing columns: " + ", ".join(missing),
        )
    rows = []
    for index, values in enumerate(table[1:], start=2):
        if not any(clean_text(v) for v in values):
            continue  # blank lines at the end of a sheet are not rows
        cells = {
            name: clean_text(values[i]) if i < len(values) else ""
            for i, name in enumerate(header)
            if name in COLUMNS
        }
        rows.append(SheetRow(number=index, cells=cells))
    return rows

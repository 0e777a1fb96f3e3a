"""The import report: every problem as `row N, column X: message`, in Italian and English.

Besides the problems, the report lists the services that are new, changed (field by field)
and not in the file, and the municipality names it could guess; it travels as JSON
(`to_json`/`from_json`) between a background import and the page that shows it.
"""

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(Enum):
    ERROR = "error"  # aborts the whole import
    WARNING = "warning"  # reported; the row is imported


@dataclass(frozen=True)
class Problem:
    severity: Severity
    row: int | None  # None: about the file as a whole
    column: str
    message_it: str
    message_en: str

    def line_en(self) -> str:
        return f"{self._where('row', 'column')}{self.message_en}"

    def line_it(self) -> str:
        return f"{self._where('riga', 'colonna')}{self.message_it}"

    def line(self, language: str) -> str:
        """The Italian line for an Italian interface, the English one for any other."""
        return self.line_it() if language.split("-")[0] == "it" else self.line_en()

    def _where(self, row_word: str, column_word: str) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.column:
            parts.append(f"{column_word} {self.column}")
        return ", ".join(parts) + ": " if parts else ""


@dataclass(frozen=True)
class ServiceLine:
    """A service named in the report: new (with its row) or not in the file (row None)."""

    code: str
    name: str
    row: int | None = None


@dataclass(frozen=True)
class FieldChange:
    """One field of a changed service. Labels are the spreadsheet's column names, with a
    word in Italian and English for values derived from a column (e.g. `costo → free`)."""

    field: str
    label_it: str
    label_en: str
    old: str | bool
    new: str | bool

    def label(self, language: str) -> str:
        return self.label_it if language.split("-")[0] == "it" else self.label_en


@dataclass(frozen=True)
class ServiceChange:
    code: str
    name: str
    row: int
    changes: list[FieldChange]


@dataclass(frozen=True)
class Suggestion:
    """A cell that names nothing known, and the close name it probably meant."""

    row: int
    column: str
    given: str
    suggestion: str

    @property
    def key(self) -> str:
        return f"{self.row}:{self.column}"


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    not_in_file: list[str] = field(default_factory=list)  # codes in the database, absent here
    problems: list[Problem] = field(default_factory=list)
    new_services: list[ServiceLine] = field(default_factory=list)
    changed_services: list[ServiceChange] = field(default_factory=list)
    not_in_file_services: list[ServiceLine] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0

    def error(self, row: int | None, column: str, message_it: str, message_en: str) -> None:
        self.problems.append(Problem(Severity.ERROR, row, column, message_it, message_en))

    def warning(self, row: int | None, column: str, message_it: str, message_en: str) -> None:
        self.problems.append(Problem(Severity.WARNING, row, column, message_it, message_en))

    def suggest(self, row: int, column: str, given: str, suggestion: str) -> None:
        self.suggestions.append(Suggestion(row, column, given, suggestion))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def changes(self) -> int:
        return self.created + self.updated

    def sorted_problems(self) -> list[Problem]:
        """File-level problems first, then by row, errors before warnings."""
        return sorted(self.problems, key=lambda p: (p.row or 0, p.severity.value))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [{**asdict(p), "severity": p.severity.value} for p in self.problems]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ImportReport":
        nested = {"problems", "new_services", "changed_services", "not_in_file_services"}
        return cls(
            **{k: v for k, v in data.items() if k not in nested | {"suggestions"}},
            problems=[
                Problem(**{**p, "severity": Severity(p["severity"])}) for p in data["problems"]
            ],
            new_services=[ServiceLine(**s) for s in data["new_services"]],
            changed_services=[
                ServiceChange(**{**c, "changes": [FieldChange(**f) for f in c["changes"]]})
                for c in data["changed_services"]
            ],
            not_in_file_services=[ServiceLine(**s) for s in data["not_in_file_services"]],
            suggestions=[Suggestion(**s) for s in data["suggestions"]],
        )

    def render(self) -> str:
        """Plain-text report for the command line; each problem in English, then Italian."""
        lines = []
        for problem in self.sorted_problems():
            tag = "ERROR  " if problem.severity is Severity.ERROR else "WARNING"
            lines.append(f"{tag} {problem.line_en()}")
            lines.append(f"        {problem.line_it()}")
        if self.not_in_file:
            lines.append(
                f"NOTE    {len(self.not_in_file)} services in the database are not in this file "
                f"(left unchanged): {', '.join(self.not_in_file)}"
            )
        if self.errors:
            outcome = "import aborted, nothing was written / importazione annullata, nulla scritto"
        elif self.dry_run:
            outcome = "dry run, nothing was written / prova, nulla è stato scritto"
        else:
            outcome = "import completed / importazione completata"
        lines.append(
            f"{self.rows_read} rows read; {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.organizations_created} organizations created; "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings; "
            f"{self.seconds:.2f} s: {outcome}"
        )
        lines.append(
            f"{self.rows_read} righe lette; {self.created} create, {self.updated} aggiornate, "
            f"{self.unchanged} invariate; {self.organizations_created} enti creati; "
            f"{len(self.errors)} errori, {len(self.warnings)} avvisi"
        )
        return "\n".join(lines)

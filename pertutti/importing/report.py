"""The import report: every problem as `row N, column X: message`, in Italian and English."""

from dataclasses import dataclass, field
from enum import Enum


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

    def _where(self, row_word: str, column_word: str) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.column:
            parts.append(f"{column_word} {self.column}")
        return ", ".join(parts) + ": " if parts else ""


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    not_in_file: list[str] = field(default_factory=list)  # codes in the database, absent here
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0

    def error(self, row: int | None, column: str, message_it: str, message_en: str) -> None:
        self.problems.append(Problem(Severity.ERROR, row, column, message_it, message_en))

    def warning(self, row: int | None, column: str, message_it: str, message_en: str) -> None:
        self.problems.append(Problem(Severity.WARNING, row, column, message_it, message_en))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def changes(self) -> int:
        return self.created + self.updated

    def render(self) -> str:
        """Plain-text report for the command line; each problem in English, then Italian."""
        lines = []
        for problem in sorted(self.problems, key=lambda p: (p.row or 0, p.severity.value)):
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

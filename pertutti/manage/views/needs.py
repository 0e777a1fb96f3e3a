"""Back office: the needs report for the territorial council, as a page and as CSV or XLSX.

Every figure is a count (search.selectors.needs_report): what people searched for and did not
find, the categories, municipalities and languages asked for, the error reports by kind, and
the services that cannot be read in the languages most used.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from pertutti.accounts.decorators import staff_view
from pertutti.search.selectors import NeedsReport, needs_report
from pertutti.territories.languages import language_choices
from pertutti.territories.selectors import request_territory_or_404

DEFAULT_DAYS = 90
SHOWN = 100  # rows of a long section on the page; the exports have them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with these as a formula; the public types the
# searches, so a CSV cell starting with one is quoted (OWASP's advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                gettext_lazy("The start of the period is after its end."), code="inverted"
            )
        return data


@dataclass(frozen=True)
class Section:
    """One table of the report: a sheet of the XLSX, a block of the CSV."""

    title: str
    header: list[str]
    rows: list[list[Any]]


def sections(report: NeedsReport) -> list[Section]:
    untranslated = [
        [group.name, code, name] for group in report.untranslated for code, name in group.services
    ]
    return [
        Section(
            _("Searches with no result"),
            [_("Search"), _("Language"), _("Times"), _("Last time")],
            [[n.text, n.language, n.count, n.last_seen.isoformat()] for n in report.unmet],
        ),
        Section(
            _("Categories asked for"),
            [_("Code"), _("Category"), _("Times")],
            [[a.code, a.name, a.count] for a in report.categories],
        ),
        Section(
            _("Municipalities asked for"),
            [_("ISTAT code"), _("Municipality"), _("Times")],
            [[a.code, a.name, a.count] for a in report.municipalities],
        ),
        Section(
            _("Languages of the pages read"),
            [_("Code"), _("Language"), _("Pages")],
            [[a.code, a.name, a.count] for a in report.languages],
        ),
        Section(
            _("Error reports by kind"),
            [_("Kind"), _("What is wrong"), _("Reports")],
            [[a.code, a.name, a.count] for a in report.error_reports],
        ),
        Section(
            _("Services with no translation"),
            [_("Language"), _("Code"), _("Service")],
            untranslated,
        ),
    ]


def _filename(report: NeedsReport, extension: str) -> str:
    return f"needs-report-{report.start.isoformat()}-{report.end.isoformat()}.{extension}"


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_csv(report: NeedsReport) -> HttpResponse:
    """The sections one after another: a title line, the header, the rows, a blank line.
    With a byte-order mark, so that spreadsheets read Arabic and Chinese as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Needs report"), report.start.isoformat(), report.end.isoformat()])
    for section in sections(report):
        writer.writerow([])
        writer.writerow([section.title])
        writer.writerow(section.header)
        writer.writerows([_safe(v) for v in row] for row in section.rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


def export_xlsx(report: NeedsReport) -> HttpResponse:
    """One sheet per section. Text cells are typed as text, so that a search typed as
    "=HYPERLINK(…)" stays words and is never a formula."""
    book = Workbook()
    book.remove(book.active)
    for section in sections(report):
        sheet = book.create_sheet(section.title[:31])  # Excel's limit for a sheet name
        sheet.append(section.header)
        for row in section.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@staff_view("search.view_reports")
def needs_report_view(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    start, end = _default_period()
    form = PeriodForm(request.GET if "start" in request.GET or "end" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    report = needs_report(territory, start, end)
    wanted = request.GET.get("format", "")
    if not form.errors and wanted == "csv":
        return export_csv(report)
    if not form.errors and wanted == "xlsx":
        return export_xlsx(report)
    unmet = report.unmet[:SHOWN]
    names = dict(language_choices(sorted({n.language for n in unmet})))
    context = {
        "form": form,
        "report": report,
        "unmet": [(n, names[n.language]) for n in unmet],
        "shown": f":{SHOWN}",  # the slice filter's argument
        "shown_count": SHOWN,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
    }
    return render(request, "manage/needs_report.html", context)


urlpatterns = [path("needs/", needs_report_view, name="needs_report")]

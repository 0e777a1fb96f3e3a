"""The needs report page and its CSV and XLSX exports: who may read it, the figures of a
known month, the exports parsed back, and periods that are not understood."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from pertutti.manage.views.needs import sections as needs_sections
from pertutti.search.models import UsageCount
from tests.manage.cast import VISITORS, cast, login_redirect
from tests.search.test_needs_report import fill

URL = "/it/manage/needs/"
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


@pytest.fixture
def everyone(lodi, write_csv, settings):
    settings.PERTUTTI_PUBLISH_DRAFTS = False
    c = cast(lodi)
    c.known = fill(lodi, write_csv)
    return c


EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 200,
    "editor": 403,
    "translator": 403,
    "operator": 200,
    "stranger": 403,  # another territory's administrator
    "superuser": 200,
}


@pytest.mark.parametrize("who", VISITORS)
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_who_may_read_the_report(everyone, who, export):
    params = {**MARCH, "format": export} if export else {}
    response = everyone.client(who).get(URL, params)
    if EXPECTED[who] == "login":
        assert response.status_code == 302 and response["Location"].startswith(
            "/it/accounts/login/?next=/it/manage/needs/"
        )
        if not export:
            assert login_redirect(response, URL)
    else:
        assert response.status_code == EXPECTED[who]
    if EXPECTED[who] != 200:
        assert "dentista" not in response.content.decode(errors="replace")
    if response.status_code != 302:
        assert "no-store" in response["Cache-Control"]


def test_the_page_shows_the_month(everyone):
    response = everyone.client("reviewer").get(URL, MARCH)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (date(2025, 3, 1), date(2025, 3, 31))
    page = response.content.decode()
    assert '<td lang="it" dir="auto">dentista gratuito</td><td>italiano</td><td>7</td>' in page
    assert '<td lang="ar" dir="auto">طبيب اسنان</td><td>arabo</td><td>5</td>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "cremona" not in page and "vecchio" not in page and "dopo" not in page
    assert '<bdi lang="it">Lodi</bdi></td><td>8</td>' in page
    assert "<td>arabo</td><td>40</td>" in page
    assert f"<td>{report.error_reports[0].name}</td><td>2</td>" in page  # hours
    assert 'dir="ltr">TST-002</span>' in page  # not translated into Arabic
    assert "a@b.it" not in page  # a reporter's contact is never part of the report
    assert 'role="region"' in page and 'role="alert"' not in page
    assert f"?start={MARCH['start']}&amp;end={MARCH['end']}&amp;format=csv" in page


def test_the_default_period_is_the_last_90_days(everyone):
    today = timezone.localdate()
    for days_ago, key in ((0, "it\toggi"), (89, "it\tottantanove"), (90, "it\tnovanta")):
        UsageCount.objects.create(
            territory=everyone.lodi, day=today - timedelta(days=days_ago), kind="zero_result",
            key=key, count=1,
        )  # fmt: skip
    response = everyone.client("operator").get(URL)
    report = response.context["report"]
    assert (report.start, report.end) == (today - timedelta(days=89), today)
    assert {n.text for n in report.unmet} == {"oggi", "ottantanove"}
    assert response.context["form"]["start"].value() == today - timedelta(days=89)


def csv_sections(content: bytes) -> list[list[list[str]]]:
    assert content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sections, current = [], None
    for line in lines[1:]:
        if not line:
            current = []
            sections.append(current)
        else:
            current.append(line)
    return sections


def expected_rows(report) -> list[list[list]]:
    """Each section's rows as the page's report has them (title and header apart)."""
    return [
        [[n.text, n.language, n.count, n.last_seen.isoformat()] for n in report.unmet],
        [[a.code, a.name, a.count] for a in report.categories],
        [[a.code, a.name, a.count] for a in report.municipalities],
        [[a.code, a.name, a.count] for a in report.languages],
        [[a.code, a.name, a.count] for a in report.error_reports],
        [[u.name, code, name] for u in report.untranslated for code, name in u.services],
    ]


def test_the_csv_export_has_the_same_figures(everyone):
    client = everyone.client("administrator")
    report = client.get(URL, MARCH).context["report"]
    response = client.get(URL, {**MARCH, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="needs-report-2025-03-01-2025-03-31.csv"'
    )
    sections = csv_sections(response.content)
    assert len(sections) == 6
    with translation.override("it"):
        heads = [(s.title, s.header) for s in needs_sections(report)]
    assert [(section[0][0], section[1]) for section in sections] == heads
    expected = expected_rows(report)
    for section, rows in zip(sections, expected, strict=True):
        got = section[2:]  # after the title and the header
        want = [[str(v) for v in row] for row in rows]
        # A search typed as a formula is quoted, so that a spreadsheet shows it as words.
        want = [["'" + v if v.startswith("=") else v for v in row] for row in want]
        assert got == want
    assert ['\'=hyperlink("http://x.example")', "it", "2", "2025-03-31"] in sections[0]
    assert "a@b.it" not in response.content.decode("utf-8-sig")


def test_the_xlsx_export_has_the_same_figures(everyone):
    client = everyone.client("reviewer")
    report = client.get(URL, MARCH).context["report"]
    response = client.get(URL, {**MARCH, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="needs-report-2025-03-01-2025-03-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6
    with translation.override("it"):
        heads = [(s.title, s.header) for s in needs_sections(report)]
    assert book.sheetnames == [title[:31] for title, _ in heads]
    for sheet, rows, (_, header) in zip(book.worksheets, expected_rows(report), heads, strict=True):
        assert [c.value for c in sheet[1]] == header
        values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values == rows
    formula = next(c for c in book.worksheets[0]["A"] if str(c.value).startswith("="))
    assert formula.data_type == "s"  # text, not a formula
    assert book.worksheets[5].max_row == 1 + 4  # ar: 1 service, en: 1, uk: 2


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-13-01", "end": "2025-03-31"},
        {"start": "abc", "end": "<b>x</b>"},
        {"start": "2025-03-31", "end": "2025-03-01"},  # inverted
        {"start": "2025-03-01"},  # no end
        {"start": "", "end": ""},
    ],
)
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_a_period_that_is_not_understood(everyone, params, export):
    """A message, the last 90 days shown, and no file."""
    response = everyone.client("administrator").get(URL, {**params, "format": export})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors
    report = response.context["report"]
    today = timezone.localdate()
    assert (report.start, report.end) == (today - timedelta(days=89), today)
    page = response.content.decode()
    assert 'role="alert"' in page and "<b>x</b>" not in page


def test_the_page_in_arabic_isolates_italian_content(everyone):
    response = everyone.client("administrator").get("/ar/manage/needs/", MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert '<td lang="it" dir="auto">dentista gratuito</td>' in page
    assert '<bdi lang="it">Codogno</bdi>' in page and 'dir="ltr">TST-001</span>' in page

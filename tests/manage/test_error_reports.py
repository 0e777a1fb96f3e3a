"""Reports from the public in the back office, once per role: administrators and reviewers
see and handle all of the territory's, an editor those of their organisations' services;
translators, operators and other territories' people are refused; another territory's
report is not found; closing erases the reader's contact; readers' text is escaped."""

import pytest
from django.utils import timezone

from pertutti.editorial.models import ErrorReport, ReportStatus
from tests.manage.cast import VISITORS, cast, login_redirect, service

LIST = "/it/manage/reports/errors/"
SCRIPT = "<script>alert('x')</script>"


def report(svc, **fields) -> ErrorReport:
    values = {
        "territory": svc.territory,
        "service": svc,
        "kind": "hours",
        "text": "Orari sbagliati",
        "contact": "me@example.org",
        "language": "it",
        "created_at": timezone.now(),
    }
    values.update(fields)
    return ErrorReport.objects.create(**values)


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    c.reports = {
        "caritas": report(service(c.caritas, code="CAR-001", name="Mensa"), text=SCRIPT),
        "comune": report(service(c.comune, code="COM-001", name="Anagrafe")),
        "foreign": report(service(c.foreign, code="CRE-001", name="Mensa cremonese")),
    }
    return c


def detail(r: ErrorReport) -> str:
    return f"/it/manage/reports/errors/{r.pk}/"


LIST_SEES = {
    "anonymous": "login",
    "administrator": {"CAR-001", "COM-001"},
    "reviewer": {"CAR-001", "COM-001"},
    "editor": {"CAR-001"},
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": {"CAR-001", "COM-001"},
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_sees_which_reports(everyone, who):
    response = everyone.client(who).get(LIST)
    expected = LIST_SEES[who]
    if expected == "login":
        assert login_redirect(response, LIST)
    elif isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert {r.service.code for r, _kind, _status in response.context["rows"]} == expected
        assert "CRE-001" not in response.content.decode()


# Caritas's report, the Comune's (the editor is not theirs), the other territory's.
DETAIL = {
    "anonymous": ("login", "login", "login"),
    "administrator": (200, 200, 404),
    "reviewer": (200, 200, 404),
    "editor": (200, 403, 404),
    "translator": (403, 403, 403),
    "operator": (403, 403, 403),
    "stranger": (403, 403, 403),
    "superuser": (200, 200, 404),
}
NAMES = ("caritas", "comune", "foreign")


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_which_report(everyone, who):
    client = everyone.client(who)
    for name, expected in zip(NAMES, DETAIL[who], strict=True):
        url = detail(everyone.reports[name])
        response = client.get(url)
        if expected == "login":
            assert login_redirect(response, url)
        else:
            assert response.status_code == expected, name


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_close_which_report(everyone, who):
    client = everyone.client(who)
    for name, expected in zip(NAMES, DETAIL[who], strict=True):
        target = everyone.reports[name]
        url = detail(target)
        response = client.post(url, {"status": "fixed", "reply_note": "Fatto"})
        target.refresh_from_db()
        if expected == 200:
            assert response.status_code == 302 and response["Location"] == url
            assert target.status == "fixed" and target.contact == "" and target.closed_at
            assert target.handled_by == everyone.people[who]
        else:
            if expected == "login":
                assert login_redirect(response, url)
            else:
                assert response.status_code == expected, name
            assert target.status == "open" and target.contact == "me@example.org"
            assert target.reply_note == "" and target.closed_at is None


def test_closing_says_the_contact_was_erased(everyone):
    client = everyone.client("editor")
    url = detail(everyone.reports["caritas"]).replace("/it/", "/en/")
    response = client.post(url, {"status": "not_a_problem", "reply_note": "Orari giusti"},
                           follow=True)  # fmt: skip
    page = response.content.decode()
    assert "Report closed. The reader&#x27;s contact has been erased." in page
    assert "me@example.org" not in page and "Erased when the report was closed." in page
    assert response.context["report"].reply_note == "Orari giusti"


def test_a_bad_status_or_a_note_too_long_changes_nothing(everyone):
    client = everyone.client("reviewer")
    target = everyone.reports["comune"]
    for data in ({"status": "gone"}, {"status": "fixed", "reply_note": "x" * 100_000}, {}):
        response = client.post(detail(target).replace("/it/", "/en/"), data)
        assert response.status_code == 400
        assert "Nothing was saved" in response.content.decode()
        target.refresh_from_db()
        assert target.status == "open" and target.contact == "me@example.org"


def test_readers_text_is_escaped_in_the_back_office(everyone):
    client = everyone.client("reviewer")
    for url in (LIST, detail(everyone.reports["caritas"])):
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, url
        assert "<script>alert" not in page, url


def test_the_list_shows_open_reports_first_and_filters_by_status(everyone):
    everyone.reports["comune"].status = ReportStatus.FIXED
    everyone.reports["comune"].save()
    client = everyone.client("administrator")

    def codes(query: str) -> set[str]:
        rows = client.get(LIST + query).context["rows"]
        return {r.service.code for r, _kind, _status in rows}

    assert codes("") == {"CAR-001"}
    assert codes("?status=fixed") == {"COM-001"}
    assert codes("?status=") == {"CAR-001", "COM-001"}
    assert codes("?status=nonsense") == {"CAR-001"}


def test_the_detail_shows_the_contact_until_closed(everyone):
    client = everyone.client("reviewer")
    target = everyone.reports["comune"]
    assert "me@example.org" in client.get(detail(target)).content.decode()
    client.post(detail(target), {"status": "fixed", "reply_note": ""})
    page = client.get(detail(target)).content.decode()
    assert "me@example.org" not in page

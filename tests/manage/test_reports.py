"""The report of searches with no result, moved from /staff/unmet-needs/ into the back
office: administrators, reviewers and operators read it; editors and translators do not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pertutti.search.models import ZeroResultQuery
from tests.manage.cast import VISITORS, cast, login_redirect

URL = "/it/manage/reports/"


def searched(territory, text: str, days_ago: int = 0, language: str = "it") -> None:
    row = ZeroResultQuery.objects.create(
        territory=territory, text=text, language=language, interface_language="it"
    )
    ZeroResultQuery.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    for _ in range(2):
        searched(lodi, "pizza margherita ricetta")
    searched(lodi, "<script>alert(1)</script>", days_ago=40)
    searched(lodi, "طبيب", language="ar")
    searched(c.other, "cremona only")
    return c


EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 200,
    "editor": 403,
    "translator": 403,
    "operator": 200,
    "stranger": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_read_the_report(everyone, who):
    response = everyone.client(who).get(URL)
    if EXPECTED[who] == "login":
        assert login_redirect(response, URL)
    else:
        assert response.status_code == EXPECTED[who]


def test_the_report_counts_searches_of_this_territory(everyone):
    response = everyone.client("reviewer").get(URL)
    rows = [(r.text, r.language, r.count) for r in response.context["rows"]]
    assert rows[0] == ("pizza margherita ricetta", "it", 2)
    assert ("طبيب", "ar", 1) in rows
    page = response.content.decode()
    assert '<td lang="it" dir="auto">pizza margherita ricetta</td><td>it</td><td>2</td>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "cremona only" not in page
    assert 'class="table-scroll" tabindex="0" role="region"' in page


def test_a_period_narrows_the_report(everyone):
    response = everyone.client("operator").get(URL, {"days": "30"})
    texts = {r.text for r in response.context["rows"]}
    assert texts == {"pizza margherita ricetta", "طبيب"}


@pytest.mark.parametrize("days", ["7", "abc", "<b>30</b>"])
def test_an_unknown_period_is_reported_and_everything_shown(everyone, days):
    response = everyone.client("administrator").get(URL, {"days": days})
    assert response.status_code == 200
    assert "days" in response.context["form"].errors
    assert len(response.context["rows"]) == 3
    page = response.content.decode()
    assert 'role="alert"' in page and "<b>30</b>" not in page


def test_the_old_address_is_gone(everyone):
    assert everyone.client("administrator").get("/it/staff/unmet-needs/").status_code == 404

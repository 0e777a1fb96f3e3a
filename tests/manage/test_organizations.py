"""Organisations in the back office: staff roles see all of the territory, an editor only
their own; another territory's organisation is not found; the list costs fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.accounts.models import Role
from pertutti.directory.models import ServiceStatus
from tests.manage.cast import VISITORS, cast, login_redirect, organization, service
from tests.staff import make_person, sign_in

LIST = "/it/manage/organizations/"


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    service(c.caritas, code="CAR-001", name="Mensa")
    service(c.caritas, code="CAR-002", name="Chiusa", status=ServiceStatus.INACTIVE)
    service(c.comune, code="COM-001", name="Anagrafe", assured_date=None)
    return c


def detail(org) -> str:
    return f"/it/manage/organizations/{org.pk}/"


LIST_SEES = {
    "anonymous": "login",
    "administrator": {"Caritas Lodigiana", "Comune di Lodi"},
    "reviewer": {"Caritas Lodigiana", "Comune di Lodi"},
    "editor": {"Caritas Lodigiana"},
    "translator": 403,
    "operator": {"Caritas Lodigiana", "Comune di Lodi"},
    "stranger": 403,
    "superuser": {"Caritas Lodigiana", "Comune di Lodi"},
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_sees_which_organisations(everyone, who):
    response = everyone.client(who).get(LIST)
    expected = LIST_SEES[who]
    if expected == "login":
        assert login_redirect(response, LIST)
    elif isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert {row.organization.name for row, _kind in response.context["rows"]} == expected
        assert "Caritas Cremonese" not in response.content.decode()


# The editor belongs to Caritas only: Comune di Lodi is forbidden, the other territory's
# organisation is not found for anybody.
DETAIL = {
    "anonymous": ("login", "login", "login"),
    "administrator": (200, 200, 404),
    "reviewer": (200, 200, 404),
    "editor": (200, 403, 404),
    "translator": (403, 403, 403),
    "operator": (200, 200, 404),
    "stranger": (403, 403, 403),
    "superuser": (200, 200, 404),
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_which_organisation(everyone, who):
    client = everyone.client(who)
    for org, expected in zip(
        [everyone.caritas, everyone.comune, everyone.foreign], DETAIL[who], strict=True
    ):
        response = client.get(detail(org))
        if expected == "login":
            assert login_redirect(response, detail(org))
        else:
            assert response.status_code == expected, org.name


def test_unknown_organisation_id_is_not_found(everyone):
    response = everyone.client("administrator").get("/it/manage/organizations/999999/")
    assert response.status_code == 404


def test_the_list_counts_active_services_and_names_editors(everyone):
    page = everyone.client("administrator").get(LIST)
    rows = {row.organization.name: row for row, _kind in page.context["rows"]}
    assert rows["Caritas Lodigiana"].active_services == 1
    assert [e.name for e in rows["Caritas Lodigiana"].editors] == ["editor"]
    assert rows["Comune di Lodi"].editors == []
    html = page.content.decode()
    assert "Terzo settore" in html or "Third sector" in html
    assert 'role="region" aria-label=' in html and 'tabindex="0"' in html


def test_the_detail_lists_every_service_and_the_editors(everyone):
    page = everyone.client("editor").get(detail(everyone.caritas))
    codes = [s.code for s in page.context["services"]]
    assert codes == ["CAR-001", "CAR-002"]
    assert [e.name for e in page.context["editors"]] == ["editor"]
    html = page.content.decode()
    assert 'href="/it/manage/services/CAR-001/"' in html  # its page in the back office
    assert 'href="/it/services/CAR-002/"' not in html


def test_html_in_names_is_shown_as_text(everyone, lodi):
    org = organization(lodi, '<img src=x onerror="alert(1)">')
    service(org, code="XSS-001", name="<script>alert(1)</script>")
    editor = make_person("<b>ed</b>", lodi, Role.EDITOR, organizations=[org])
    editor.first_name = "<i>Anna</i>"
    editor.save()
    client = everyone.client("administrator")
    for url in (LIST, detail(org)):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "&lt;img src=x" in html
        assert "<i>Anna</i>" not in html and "&lt;i&gt;Anna&lt;/i&gt;" in html
    html = client.get(detail(org)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_or_30_organisations(lodi, client):
    admin = make_person("admin", lodi, Role.ADMINISTRATOR)
    sign_in(client, admin)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            org = organization(lodi, f"Ente {i:02d}")
            service(org, code=f"E{i:02d}-1")
            service(org, code=f"E{i:02d}-2")
            make_person(f"editor{i}", lodi, Role.EDITOR, organizations=[org])

    add(3, 0)
    list_queries(client)  # warms the session and the territory's caches
    few = list_queries(client)
    add(27, 3)
    many = list_queries(client)
    assert many == few
    # The editor sees only their own, still in fixed queries.
    editor = make_person("solo", lodi, Role.EDITOR, organizations=[])
    sign_in(client, editor)
    list_queries(client)
    assert list_queries(client) <= few + 1

"""The activity log: administrators read their territory's events, newest first, 50 a page,
filtered by action or person; nothing secret is ever shown; user text is escaped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction, AuditEvent
from tests.manage.cast import VISITORS, cast, login_redirect

URL = "/it/manage/activity/"


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    AuditEvent.objects.all().delete()  # sign-ins of the set-up are not what is tested
    return c


def record(territory, action, actor=None, minutes_ago=0, **fields):
    event = audit_record(action=action, actor=actor, territory=territory, **fields)
    AuditEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return event


EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 403,
    "editor": 403,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_read_the_log(everyone, who):
    response = everyone.client(who).get(URL)
    if EXPECTED[who] == "login":
        assert login_redirect(response, URL)
    else:
        assert response.status_code == EXPECTED[who]


def events_shown(response) -> list[AuditEvent]:
    return [event for event, _summary in response.context["rows"]]


def test_newest_first_and_only_this_territory(everyone, lodi):
    admin = everyone.people["administrator"]
    old = record(lodi, AuditAction.ROLES_CHANGED, admin, minutes_ago=60, target="editor")
    new = record(
        lodi, AuditAction.SETTINGS_CHANGED, admin, minutes_ago=1, detail={"fields": ["map_zoom"]}
    )
    record(everyone.other, AuditAction.SETTINGS_CHANGED, everyone.people["stranger"])
    client = everyone.client("administrator")
    AuditEvent.objects.filter(action=AuditAction.SIGN_IN).delete()
    response = client.get(URL)
    assert events_shown(response) == [new, old]
    page = response.content.decode()
    assert "fields: map_zoom" in page
    assert "stranger" not in page


def test_fifty_a_page_and_the_filter_stays_in_the_pager(everyone, lodi):
    admin = everyone.people["administrator"]
    for n in range(60):
        record(lodi, AuditAction.IMPORT_CHECKED, admin, minutes_ago=n, target=f"file{n}.csv")
    record(lodi, AuditAction.EXPORTED, admin, minutes_ago=100)
    client = everyone.client("administrator")
    first = client.get(URL, {"action": "import_checked"})
    assert len(events_shown(first)) == 50
    assert events_shown(first)[0].target == "file0.csv"
    assert 'href="?action=import_checked&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"action": "import_checked", "page": "2"})
    assert [e.target for e in events_shown(second)] == [f"file{n}.csv" for n in range(50, 60)]
    # A page number past the end shows the last page, not an error.
    assert events_shown(client.get(URL, {"action": "import_checked", "page": "99"}))


def test_filter_by_person(everyone, lodi):
    admin, reviewer = everyone.people["administrator"], everyone.people["reviewer"]
    mine = record(lodi, AuditAction.EXPORTED, admin)
    record(lodi, AuditAction.EXPORTED, reviewer)
    response = everyone.client("administrator").get(URL, {"person": str(admin.pk)})
    assert [e for e in events_shown(response) if e.action == AuditAction.EXPORTED] == [mine]


@pytest.mark.parametrize("query", [{"action": "<script>"}, {"person": "abc"}, {"person": "999999"}])
def test_a_bad_filter_is_reported_and_not_applied(everyone, lodi, query):
    record(lodi, AuditAction.EXPORTED, everyone.people["administrator"])
    response = everyone.client("administrator").get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    page = response.content.decode()
    assert 'role="alert"' in page and "<script>" not in page
    assert events_shown(response)  # the whole log, unfiltered


def test_user_text_is_escaped_and_secrets_never_shown(everyone, lodi):
    record(
        lodi,
        AuditAction.SIGN_IN_FAILED,
        actor_name="<img src=x onerror=alert(1)>",
        target="<b>bold</b>",
        detail={"note": "<script>alert(1)</script>", "password": "hunter2", "token": "abc123"},
    )
    page = everyone.client("administrator").get(URL).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "hunter2" not in page and "abc123" not in page


def test_the_table_scrolls_on_a_phone(everyone, lodi):
    record(lodi, AuditAction.EXPORTED, everyone.people["administrator"])
    page = everyone.client("administrator").get(URL).content.decode()
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="' in page

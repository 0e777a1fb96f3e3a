"""The dashboard: what needs attention now, for each role; every block links to its page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pertutti.accounts.models import Role
from pertutti.directory.models import ServiceStatus
from pertutti.directory.selectors import (
    EDITOR_ROLE,
    organizations_without_editor,
    services_to_verify,
)
from pertutti.importing.models import ImportJob
from pertutti.search.models import UsageCount
from pertutti.translations.models import SourceText, Translation, TranslationStatus
from pertutti.translations.services import source_texts_sync_categories
from tests.manage.cast import VISITORS, cast, login_redirect, organization, service
from tests.staff import make_person

URL = "/it/manage/"


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    today = timezone.localdate()
    service(c.caritas, code="CAR-001", name="Mensa <b>serale</b>", assured_date=None)
    service(c.caritas, code="CAR-002", name="Dormitorio", assured_date=today - timedelta(days=400))
    service(c.caritas, code="CAR-003", name="Docce", assured_date=today - timedelta(days=30))
    service(c.comune, code="COM-001", name="Anagrafe", assured_date=None)
    service(c.comune, code="COM-002", name="Chiuso", assured_date=None, status="inactive")
    today = timezone.localdate()
    UsageCount.objects.create(
        territory=lodi, day=today, kind="zero_result", key="it\t<script>x</script>", count=1
    )
    UsageCount.objects.create(
        territory=lodi,
        day=today - timedelta(days=31),
        kind="zero_result",
        key="it\tvecchia ricerca",
        count=1,
    )
    return c


def awaiting_review(lodi, language: str) -> None:
    """One Arabic translation made from the current Italian and waiting for a second person."""
    source_texts_sync_categories(territory=lodi)
    source = SourceText.objects.filter(territory=lodi).exclude(text="").first()
    Translation.objects.create(
        source=source,
        language=language,
        text="ترجمة",
        status=TranslationStatus.TRANSLATED,
        source_fingerprint=source.fingerprint,
        source_text=source.text,
        translated_at=timezone.now(),
    )


EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 200,
    "editor": 200,
    "translator": 200,
    "operator": 200,
    "stranger": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_open_the_dashboard(everyone, who):
    response = everyone.client(who).get(URL)
    if EXPECTED[who] == "login":
        assert login_redirect(response, URL)
    else:
        assert response.status_code == EXPECTED[who]
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"]


def blocks(everyone, who) -> dict:
    response = everyone.client(who).get(URL)
    assert response.status_code == 200
    return response.context["blocks"]


def test_administrator_sees_every_block(everyone, lodi):
    awaiting_review(lodi, "ar")
    seen = blocks(everyone, "administrator")
    assert set(seen) == {
        "changes_to_review", "public_reports", "imports", "reviews", "unmet", "without_editor",
        "to_verify", "summary",
    }  # fmt: skip
    assert [(name, p.awaiting_review) for name, p in seen["reviews"]] == [("arabo", 1)]
    assert [row.text for row in seen["unmet"]] == ["<script>x</script>"]  # the last 30 days
    assert [o.name for o in seen["without_editor"]["items"]] == ["Comune di Lodi"]
    assert [s.code for s in seen["to_verify"]["items"]] == ["CAR-001", "COM-001", "CAR-002"]
    assert seen["summary"] == {"active_services": 4, "organizations": 2}


def test_the_page_links_each_block_to_where_it_is_fixed_and_escapes_text(everyone, lodi):
    awaiting_review(lodi, "ar")
    page = everyone.client("administrator").get(URL).content.decode()
    assert 'href="/it/manage/import/"' in page
    assert 'href="/it/translate/ar/"' in page
    assert 'href="/it/manage/needs/"' in page
    assert 'href="/it/manage/reviews/"' in page and 'href="/it/manage/reports/errors/"' in page
    assert 'href="/it/manage/people/"' in page
    assert f'href="/it/manage/organizations/{everyone.comune.pk}/"' in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert "Mensa &lt;b&gt;serale&lt;/b&gt;" in page
    assert "mai verificato" in page or "never verified" in page


def test_reviewer_sees_reviews_reports_and_verification_not_imports_or_people(everyone):
    seen = blocks(everyone, "reviewer")
    assert set(seen) == {
        "changes_to_review", "public_reports", "reviews", "unmet", "to_verify", "summary",
    }  # fmt: skip


def test_operator_gets_a_read_only_summary(everyone):
    seen = blocks(everyone, "operator")
    assert set(seen) == {"unmet", "to_verify", "summary"}
    page = everyone.client("operator").get(URL).content.decode()
    assert 'href="/it/manage/import/"' not in page
    assert 'href="/it/manage/people/"' not in page


def test_editor_sees_only_their_organisations_services_to_verify(everyone):
    seen = blocks(everyone, "editor")
    assert set(seen) == {"my_changes", "public_reports", "to_verify"}
    assert [s.code for s in seen["to_verify"]["items"]] == ["CAR-001", "CAR-002"]


def test_translator_sees_their_languages_and_the_workspace(everyone, lodi):
    awaiting_review(lodi, "ar")
    seen = blocks(everyone, "translator")
    assert set(seen) == {"my_languages"}
    assert [(p.language, p.awaiting_review) for _, p in seen["my_languages"]] == [("ar", 1)]
    page = everyone.client("translator").get(URL).content.decode()
    assert 'href="/it/translate/"' in page and 'href="/it/translate/ar/"' in page


def test_imports_with_problems_link_to_their_report(everyone, lodi):
    admin = everyone.people["administrator"]
    report = {
        "problems": [
            {"severity": "warning", "row": 2, "column": "comune"},
            {"severity": "error", "row": 3, "column": "cap"},
        ],
        "suggestions": [],
    }
    job = ImportJob.objects.create(
        territory=lodi, filename="<i>servizi</i>.csv", state="checked", report=report,
        created_by=admin,
    )  # fmt: skip
    ImportJob.objects.create(territory=lodi, filename="ok.csv", state="done", report={})
    seen = blocks(everyone, "administrator")
    assert [(i.job.pk, i.errors, i.warnings) for i in seen["imports"]] == [(job.pk, 1, 1)]
    page = everyone.client("administrator").get(URL).content.decode()
    assert f'href="/it/manage/import/{job.pk}/"' in page
    assert "&lt;i&gt;servizi&lt;/i&gt;.csv" in page


def test_an_inactive_or_role_less_member_is_no_editor(lodi):
    assert EDITOR_ROLE == Role.EDITOR
    kept = organization(lodi, "Con editor")
    gone = organization(lodi, "Editor disattivato")
    no_role = organization(lodi, "Membro senza ruolo")
    make_person("ed1", lodi, Role.EDITOR, organizations=[kept])
    left = make_person("ed2", lodi, Role.EDITOR, organizations=[gone])
    left.is_active = False
    left.save()
    make_person("op", lodi, Role.OPERATOR, organizations=[no_role])
    names = {o.name for o in organizations_without_editor(lodi)}
    assert names == {"Editor disattivato", "Membro senza ruolo"}


def test_services_to_verify_counts_a_year_and_skips_inactive(lodi):
    org = organization(lodi, "Ente")
    today = date(2026, 6, 1)
    service(org, code="A", assured_date=date(2025, 6, 1))  # exactly a year: still fine
    service(org, code="B", assured_date=date(2025, 5, 31))
    service(org, code="C", assured_date=None)
    service(org, code="D", assured_date=None, status=ServiceStatus.INACTIVE)
    assert [s.code for s in services_to_verify(lodi, today=today)] == ["C", "B"]


@pytest.mark.parametrize("who", ["administrator", "reviewer", "translator"])
def test_the_review_links_open_for_those_who_see_them(everyone, lodi, who):
    awaiting_review(lodi, "ar")
    client = everyone.client(who)
    assert 'href="/it/translate/ar/"' in client.get(URL).content.decode()
    assert client.get("/it/translate/ar/").status_code == 200

"""The browser tab names the page in the reader's language, and says which site it is."""

import re

import pytest

from pertutti.accounts.models import Role
from pertutti.directory.models import Organization
from pertutti.translations.exchange import import_xliff
from tests.conftest import REPO
from tests.staff import make_person, sign_in

DEMO_TRANSLATIONS = REPO / "demo" / "lodi" / "translations"
SITE = "Lodi per tutti"


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "no <title>"
    return match[1]


@pytest.fixture
def english_demo(demo):
    """The demo's English translations, as `make run` loads them."""
    import_xliff(
        territory=demo,
        language="en",
        data=(DEMO_TRANSLATIONS / "en.xlf").read_bytes(),
        status="translated",
        translator_name="test",
        reindex_in_background=False,
    )
    return demo


def test_a_translated_service_page_has_its_translated_name_in_the_title(client, english_demo):
    service = english_demo.services.get(code="LPT-013")
    english = title(client.get("/en/services/LPT-013/"))
    italian = title(client.get("/it/services/LPT-013/"))
    assert italian == f"{service.name} · {SITE}"
    assert english.endswith(f" · {SITE}") and service.name not in english
    assert english.startswith("Help with the kit postale")


def test_an_untranslated_service_keeps_its_italian_name(client, demo):
    service = demo.services.get(code="LPT-013")
    assert title(client.get("/en/services/LPT-013/")) == f"{service.name} · {SITE}"


def test_the_home_title_is_in_the_page_language(client, demo):
    italian, arabic, english = (title(client.get(f"/{code}/")) for code in ("it", "ar", "en"))
    assert english == f"{SITE} · Find the service you need"
    assert italian.startswith(f"{SITE} · ") and arabic.startswith(f"{SITE} · ")
    assert len({italian, arabic, english}) == 3


def test_a_category_page_title_and_heading_are_translated(client, english_demo):
    page = client.get("/en/categories/health/")
    assert title(page) == f"Health · {SITE}"
    assert '<h1 lang="en">Health</h1>' in page.content.decode()
    assert title(client.get("/it/categories/health/")) == f"Salute · {SITE}"


def test_every_public_page_has_its_own_title(client, english_demo):
    org = Organization.objects.get(name="CPIA di Lodi").pk
    service = english_demo.services.get(code="LPT-013")
    service.status = "inactive"
    service.save()
    pages = ["/", "/services/", "/services/map/", "/services/LPT-004/", "/categories/health/",
             "/municipalities/098031/", f"/organizations/{org}/", "/services/LPT-004/report/",
             "/services/LPT-013/", "/privacy/", "/accessibility/", "/legal/", "/about/",
             "/services/NOPE-1/"]  # fmt: skip
    titles = {}
    for path in pages:
        response = client.get(f"/en{path}")
        assert response.status_code in (200, 404, 410), path
        titles[path] = title(response)
        assert SITE in titles[path], path
    assert len(set(titles.values())) == len(pages), titles
    assert titles["/about/"] == f"About this site · {SITE}"
    assert titles["/services/NOPE-1/"] == f"Page not found · {SITE}"


@pytest.mark.parametrize(
    "path", ["/it/translate/", "/it/translate/glossary/", "/it/manage/", "/it/accounts/profile/"]
)
def test_signed_in_pages_end_with_the_site_name_once(client, demo, path):
    person = make_person("anna", demo, Role.ADMINISTRATOR, Role.TRANSLATOR, languages=["en"])
    page = title(sign_in(client, person).get(path))
    assert page.endswith(f" · {SITE}") and page.count(SITE) == 1, page


def test_the_sign_in_page_names_the_site(client, demo):
    assert title(client.get("/it/accounts/login/")).endswith(f" · {SITE}")

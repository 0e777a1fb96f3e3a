"""Category names in every language, and the "not yet translated" note on the home page and
on every list (list, map, category, municipality), as on a service page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.taxonomy.models import Category
from pertutti.translations.models import SourceText
from pertutti.translations.services import translation_save
from tests.conftest import service_row

NOTE = 'class="note" role="note"'
LODI = "098031"  # the municipality of the test row


@pytest.fixture
def one_service(lodi, write_csv) -> Service:
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    return Service.objects.get(code="TST-001")


def translate_service(service: Service, language: str) -> None:
    for source in SourceText.objects.filter(object_id=service.pk, content_type__model="service"):
        translation_save(source=source, language=language, text=f"{language} {source.field}",
                         status="translated")  # fmt: skip


def test_the_home_page_in_urdu_names_the_categories_in_urdu(client, lodi):
    page = client.get("/ur/").content.decode()
    assert '<span lang="ur">صحت</span>' in page
    assert '<span lang="ur">دستاویزات اور اجازت نامے</span>' in page
    assert 'lang="it">Salute<' not in page
    assert NOTE not in page  # nothing fell back


def test_the_home_page_in_chinese_names_the_categories_in_chinese(client, lodi):
    page = client.get("/zh-hans/").content.decode()
    assert '<span lang="zh-hans">医疗健康</span>' in page


def test_a_category_without_its_name_falls_back_with_the_note(client, lodi, english):
    Category.objects.filter(code="health").update(names={})
    page = client.get("/en/").content.decode()
    assert '<span lang="it">Salute</span>' in page
    assert (
        "Some texts on this page are not yet translated into your language. "
        "They are shown in Italian."
    ) in page


def test_the_italian_home_page_has_no_note(client, lodi):
    Category.objects.filter(code="health").update(names={})
    assert NOTE not in client.get("/it/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/ur/services/", "/ur/services/map/", "/ur/categories/orientation/",
     f"/ur/municipalities/{LODI}/"],
)  # fmt: skip
def test_lists_note_a_service_name_not_yet_translated(client, one_service, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Segretariato sociale" in page
    assert NOTE in page


@pytest.mark.parametrize(
    "path", ["/ur/services/", "/ur/services/map/", "/ur/categories/orientation/"]
)
def test_lists_have_no_note_when_everything_shown_is_translated(client, one_service, path):
    translate_service(one_service, "ur")
    page = client.get(path).content.decode()
    assert "ur name" in page
    assert NOTE not in page


def test_the_italian_list_has_no_note(client, one_service):
    assert NOTE not in client.get("/it/services/").content.decode()


def count_queries(client, path: str) -> int:
    client.get(path)  # warm caches (content types, territory)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/ur/", "/ur/services/"])
def test_category_names_cost_no_query_per_category(client, one_service, path):
    before = count_queries(client, path)
    for number in range(4):
        Category.objects.create(
            code=f"extra-{number}", name=f"Extra {number}", description="x", icon="house",
            names={"ur": f"اضافی {number}"}, position=20 + number,
        )  # fmt: skip
    assert count_queries(client, path) == before

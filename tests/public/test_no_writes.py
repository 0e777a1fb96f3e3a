"""No public GET writes to the database: not one INSERT, UPDATE or DELETE, and no savepoint.

A write per view made every page wait behind an import's write lock on SQLite (see
docs/decisions.md, "Counting use without writing on a public page"); use is counted in
memory (search/usage.py). tests/search/test_usage.py checks a service page and a search;
this covers every public page and the API, cold and warm.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.directory.models import Service

# A savepoint is the start of a transaction block (`atomic()`) inside the test's own
# transaction: a read-only view has no reason to open one.
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "RELEASE", "ROLLBACK TO")
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def public_urls(demo) -> list[tuple[str, int]]:
    service = Service.objects.select_related("organization", "category").get(code="LPT-013")
    category = service.category.code
    municipality = demo.municipalities.get(name="Lodi").istat_code
    filters = f"category={category}&municipality={municipality}&open_now=1&free=1&walk_in=1"
    pages = [
        ("/", 302),
        ("/api/v1/services", 200),
        ("/api/v1/services?search=medico&lang=it&per_page=5", 200),
        (f"/api/v1/services?category={category}&municipality={municipality}&page=2", 200),
        ("/api/v1/services?lang=xx-invalid", 400),
        ("/api/v1/suggest?q=med&lang=it", 200),
        ("/api/v1/openapi.json", 200),
    ]
    for language in LANGUAGES:  # where the language changes what is read and counted
        pages += [
            (f"/{language}/", 200),
            (f"/{language}/services/?q=medico", 200),
            (f"/{language}/services/?q=pizza+margherita+ricetta", 200),  # no result: counted
            (f"/{language}/services/LPT-013/", 200),
        ]
    for language in ("it", "ar"):  # every other page, left to right and right to left
        pages += [
            (f"/{language}/services/", 200),
            (f"/{language}/services/?page=2", 200),
            (f"/{language}/services/?{filters}", 200),
            (f"/{language}/services/map/", 200),
            (f"/{language}/services/map/?{filters}", 200),
            (f"/{language}/services/LPT-013/qr.svg", 200),
            (f"/{language}/services/LPT-013/report/", 200),
            (f"/{language}/categories/{category}/", 200),
            (f"/{language}/municipalities/{municipality}/", 200),
            (f"/{language}/organizations/{service.organization.pk}/", 200),
            (f"/{language}/privacy/", 200),
            (f"/{language}/accessibility/", 200),
            (f"/{language}/legal/", 200),
            (f"/{language}/sheet/", 200),  # sheet.pdf stores its short link: test_sheet_page
            (f"/{language}/sheet/?s=LPT-013,LPT-001,NOPE-1", 200),
            (f"/{language}/s/nosuchky/", 404),
            (f"/{language}/print/", 200),
            (f"/{language}/print/card.pdf", 200),  # a PDF file, no row
            (f"/{language}/services/LPT-013/sheet.pdf", 200),
            (f"/{language}/services/LPT-999/", 404),
            (f"/{language}/services/LPT-999/qr.svg", 404),
            (f"/{language}/categories/no-such-category/", 404),
            (f"/{language}/municipalities/000000/", 404),
            (f"/{language}/organizations/999999/", 404),
            (f"/{language}/no-such-page/", 404),
        ]
    return pages


def test_no_public_get_writes_to_the_database(client, public_urls):
    """Cold (the first visit fills the territory's caches and loads the search index),
    then warm."""
    problems = []
    for visit in ("first", "second"):
        for url, status in public_urls:
            with CaptureQueriesContext(connection) as log:
                response = client.get(url)
            if response.status_code != status:
                problems.append(f"{url}: status {response.status_code}, expected {status}")
            for sql in writes(log.captured_queries):
                problems.append(f"{url} ({visit} visit): {sql[:200]}")
    assert problems == [], "\n".join(problems)


def test_writes_are_recognised():
    """The filter itself: a write, a savepoint and its release are caught, a read is not."""
    queries = [
        {"sql": "SELECT 1"},
        {"sql": ' INSERT INTO "x" VALUES (1)'},
        {"sql": "update x set y = 1"},
        {"sql": 'SAVEPOINT "s1"'},
        {"sql": 'RELEASE SAVEPOINT "s1"'},
    ]
    assert len(writes(queries)) == 4

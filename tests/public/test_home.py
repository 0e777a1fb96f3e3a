from django.test.utils import CaptureQueriesContext
from django.db import connection

from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV


def test_home_without_a_loaded_territory_explains_what_to_do(client, db):
    response = client.get("/")
    assert response.status_code == 503
    assert b"load_territory" in response.content


def test_home_lists_the_demo_services_in_few_queries(client, lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="svc"') == 70
    assert "Lodi per tutti" in page and '<html lang="it" dir="ltr">' in page
    assert "Corsi di italiano per stranieri" in page
    assert len(queries) <= 6  # not one query per service

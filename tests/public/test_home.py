from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_sample_data_banner_shows_only_while_sample_services_are_loaded(client, lodi, write_csv):
    from tests.conftest import service_row

    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    assert "Sample data" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    real = write_csv([service_row(codice=f"LPT-{n:03d}") for n in range(1, 71)])
    services_import_file(territory=lodi, path=real)  # the same codes, now real data
    assert "Sample data" not in client.get("/").content.decode()

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_root_redirects_to_the_browser_language(client, demo):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT")["Location"] == "/it/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="xx")["Location"] == "/it/"  # the default


def test_home_without_a_loaded_territory_explains_what_to_do(client, db):
    response = client.get("/it/")
    assert response.status_code == 503
    assert "load_territory" in response.content.decode()


def test_home_in_italian(client, demo):
    response = client.get("/it/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="it" dir="ltr">' in page
    assert "Trova il servizio che ti serve" in page
    assert page.count('href="/it/categories/') == 11
    assert 'action="/it/services/"' in page and 'name="q"' in page
    assert "Tutti i servizi (70)" in page
    assert "Servizi vicino a me" in page
    assert "Dati di esempio" in page  # the demo is sample data


def test_emergency_strip_has_tap_to_call_links(client, demo):
    page = client.get("/en/").content.decode()
    for tel, shown in [
        ("tel:112", "112"),
        ("tel:1522", "1522"),
        ("tel:+39800290290", "800 290 290"),
    ]:
        assert re.search(rf'<a href="{re.escape(tel)}">.*?<strong>{shown}</strong>', page), tel
    assert 'aria-label="Emergency numbers"' in page


def test_home_in_english_and_language_switcher_keeps_the_page(client, demo):
    page = client.get("/en/services/?q=lavoro").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert 'href="/it/services/?q=lavoro" hreflang="it" lang="it"' in page
    assert 'aria-current="true">English' in page


def test_home_uses_a_fixed_number_of_queries(client, demo):
    with CaptureQueriesContext(connection) as queries:
        client.get("/it/")
    assert len(queries) <= 8


def test_footer_links_and_last_update(client, demo):
    page = client.get("/it/").content.decode()
    for url in ("/it/privacy/", "/it/accessibility/", "/it/legal/"):
        assert f'href="{url}"' in page
    assert "Ultimo aggiornamento" in page


def test_sample_banner_goes_when_real_data_replace_the_sample(client, demo, write_csv):
    from pertutti.importing.services import services_import_file
    from tests.conftest import service_row

    real = write_csv([service_row(codice=f"LPT-{n:03d}") for n in range(1, 71)])
    services_import_file(territory=demo, path=real)
    assert "Dati di esempio" not in client.get("/it/").content.decode()

"""A 404 is the reader's page in their language, whether DEBUG is on (`make run`) or off;
the API keeps JSON."""

import json

import pytest

LOCALIZED = "<h1>Pagina non trovata</h1>"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_unknown_service_names_the_code(client, demo, debug):
    response = client.get("/it/services/NOPE-1/")
    assert response.status_code == 404
    page = response.content.decode()
    assert LOCALIZED in page and "NOPE-1" in page
    assert "URLconf" not in page and "Using the URLconf" not in page


@pytest.mark.parametrize("path", ["/it/nope/", "/it/services/LPT-004/nope/", "/it/manage/nope/"])
def test_unknown_path_under_a_language(client, lodi, debug, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert LOCALIZED in page and "URLconf" not in page
    assert '<html lang="it" dir="ltr">' in page


def test_unknown_path_in_arabic_is_right_to_left(client, lodi, debug):
    page = client.get("/ar/nope/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "Pagina non trovata" not in page
    assert 'href="/ar/services/"' in page


@pytest.mark.parametrize(
    ("accept", "lang"), [("en-GB,en;q=0.9", "en"), ("ar", "ar"), ("de", "it"), ("", "it")]
)
def test_unknown_language_answers_in_the_browser_language(client, lodi, debug, accept, lang):
    response = client.get("/xx/services/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page and "URLconf" not in page
    assert f'href="/{lang}/"' in page


def test_unprefixed_page_paths_still_get_their_language(client, lodi, debug):
    response = client.get("/services/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302 and response["Location"] == "/ar/services/"


def test_missing_slash_is_still_added(client, lodi, debug):
    response = client.get("/it/services")
    assert response.status_code == 301 and response["Location"] == "/it/services/"


def test_unknown_path_without_a_territory(client, db, debug):
    response = client.get("/it/nope/")
    assert response.status_code == 404 and LOCALIZED in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/nope/"])
def test_api_unknown_path_is_json(client, db, debug, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "Not Found"}


def test_api_keeps_its_own_json_answers(client, lodi, debug):
    response = client.get("/api/v1/services?per_page=0")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")

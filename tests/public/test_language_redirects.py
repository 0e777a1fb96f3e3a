"""Short forms and variants of the site's language codes lead to the site's code."""

import pytest


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/zh/", "/zh-hans/"),
        ("/zh", "/zh-hans/"),
        ("/zh-cn/", "/zh-hans/"),
        ("/zh-CN/", "/zh-hans/"),
        ("/zh_hans/", "/zh-hans/"),
        ("/zh-hans-cn/", "/zh-hans/"),
        ("/zh-sg/services/", "/zh-hans/services/"),
        ("/ZH-HANS/services/", "/zh-hans/services/"),
        ("/pa-in/", "/pa/"),
        ("/pa-guru/", "/pa/"),
        ("/pa-Guru-IN/privacy/", "/pa/privacy/"),
        ("/ar-eg/", "/ar/"),
        ("/ar-MA/services/LPT-004/", "/ar/services/LPT-004/"),
        ("/en-gb/", "/en/"),
        ("/en_GB/legal/", "/en/legal/"),
        ("/EN/", "/en/"),
        ("/It/", "/it/"),
        ("/fr-CA/", "/fr/"),
    ],
)
def test_variants_redirect_to_the_site_code(client, lodi, path, target):
    response = client.get(path)
    assert response.status_code == 302, path
    assert response["Location"] == target


def test_rest_of_path_and_query_string_are_kept(client, lodi):
    response = client.get("/zh-CN/services/map/?q=medico%20di%20base&category=health&free=1")
    assert (
        response["Location"] == "/zh-hans/services/map/?q=medico%20di%20base&category=health&free=1"
    )


def test_path_characters_stay_escaped(client, lodi):
    response = client.get("/zh/services/a%20b%C3%A8/")
    assert response["Location"] == "/zh-hans/services/a%20b%C3%A8/"


@pytest.mark.parametrize(
    "path",
    [
        "//evil.com",
        "//evil.com/",
        "/zh//evil.com",
        "/zh/%2F%2Fevil.com",
        "/zh/\\evil.com",
        "/zh/https://evil.com",
        "/%2F%2Fevil.com/",
    ],
)
def test_no_redirect_leaves_the_site(client, lodi, path):
    response = client.get(path)
    location = response.get("Location", "")
    assert not location.startswith("//") and "://" not in location.split("?")[0][:12]
    if location:
        assert location.startswith("/zh-hans/") or location.startswith("/it/"), location


def test_the_site_codes_do_not_redirect(client, lodi):
    assert client.get("/zh-hans/").status_code == 200
    assert client.get("/pa/").status_code == 200


def test_a_variant_of_a_real_code_under_which_nothing_exists_is_a_404_after_the_redirect(
    client, lodi
):
    first = client.get("/en-gb/nope/")
    assert first["Location"] == "/en/nope/"
    assert client.get(first["Location"]).status_code == 404


@pytest.mark.parametrize("path", ["/xx/", "/xx-yy/services/", "/pt-br/", "/de/", "/sr-latn/"])
def test_unknown_codes_are_a_localized_404(client, lodi, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_an_overlong_code_is_a_404_not_an_error(client, lodi):
    response = client.get("/" + "zh-" + "a" * 600 + "/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == "/zh-hans/"


def test_the_api_and_health_probe_are_not_language_paths(client, lodi):
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/services?per_page=1").status_code == 200

"""The about page: what the site is, who runs it, how to reach them, how data get in."""

import pytest


@pytest.fixture
def contact(lodi):
    lodi.contact_email = "servizi@example.org"
    lodi.save()
    return lodi


def test_about_page_in_english(client, contact, english):
    page = client.get("/en/about/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>About this site</h1>" in text
    assert "Prefettura di Lodi" in text and "Provincia di Lodi" in text
    assert '<a href="mailto:servizi@example.org" dir="ltr">servizi@example.org</a>' in text
    assert "ask Prefettura di Lodi for an account" in text
    assert "spreadsheet" in text and "certified translators" in text
    assert "shown in Italian" in text


def test_about_page_without_a_contact_address_shows_no_empty_link(client, lodi):
    text = client.get("/en/about/").content.decode()
    assert "mailto:" not in text
    assert "Something wrong here?" in text


@pytest.mark.parametrize("code", ["it", "ar", "zh-hans"])
def test_about_page_in_every_language_and_linked_from_the_footer(client, lodi, code):
    response = client.get(f"/{code}/about/")
    assert response.status_code == 200
    footer = client.get(f"/{code}/").content.decode().split("<footer>")[1]
    assert f'href="/{code}/about/"' in footer


def test_about_page_is_cacheable(client, lodi):
    assert "public" in client.get("/it/about/")["Cache-Control"]

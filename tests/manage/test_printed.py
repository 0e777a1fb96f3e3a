"""The back office's printed guides: every role may open the page (front desks print), and
it links each language's booklets, the poster and the card on the public site."""

import pytest

from tests.manage.cast import VISITORS, cast, login_redirect

URL = "/it/manage/printed/"
EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 200,
    "editor": 200,
    "translator": 200,
    "operator": 200,
    "stranger": 403,  # an administrator of another territory
    "superuser": 200,
}


@pytest.fixture
def everyone(lodi):
    return cast(lodi)


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_open_the_page(everyone, who):
    response = everyone.client(who).get(URL)
    if EXPECTED[who] == "login":
        assert login_redirect(response, URL)
        return
    assert response.status_code == EXPECTED[who]
    assert "no-store" in response["Cache-Control"]
    if response.status_code == 200:
        assert f'href="{URL}" aria-current="page"' in response.content.decode()  # in the menu


def test_each_language_links_its_booklets_on_the_public_site(everyone, lodi):
    page = everyone.client("operator").get(URL).content.decode()
    for code in lodi.offered_languages:
        assert f'href="/{code}/print/booklet.pdf?size=a5"' in page
        assert f'href="/{code}/print/booklet.pdf?size=a4"' in page
        if code != "it":
            assert f'href="/{code}/print/booklet.pdf?size=a5&amp;bilingual=1"' in page
            assert f'href="/{code}/print/booklet.pdf?size=a4&amp;bilingual=1"' in page
    assert 'href="/it/print/booklet.pdf?size=a5&amp;bilingual=1"' not in page
    assert '<span lang="ar" dir="auto">(العربية)</span>' in page
    assert 'href="/it/print/poster.pdf?size=a3"' in page
    assert 'href="/it/print/poster.pdf?size=a4"' in page
    assert 'href="/it/print/card.pdf"' in page


def test_the_menu_links_the_page_for_every_role(everyone):
    page = everyone.client("translator").get("/it/manage/").content.decode()
    assert f'href="{URL}"' in page

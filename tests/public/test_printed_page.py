"""/<lang>/print/: the booklets of the page's language, the filter form, the poster and the
card; their PDFs; and bad input answered with a 404 that says what was wrong."""

import pytest

from tests.printing.pdfcheck import page_sizes_mm, page_texts


def built(print_dir) -> list[str]:
    return sorted(p.name for p in print_dir.glob("*.pdf")) if print_dir.exists() else []


def test_the_page_offers_the_booklets_poster_and_card(client, demo):
    response = client.get("/it/print/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/it/print/booklet.pdf?size=a5"' in page
    assert 'href="/it/print/booklet.pdf?size=a4"' in page
    assert "bilingual=1" not in page  # Italian beside Italian is not offered
    assert 'href="/it/print/poster.pdf?size=a3"' in page
    assert 'href="/it/print/poster.pdf?size=a4"' in page
    assert 'href="/it/print/card.pdf"' in page
    assert 'name="category" value="emergency"' in page


def test_in_arabic_the_bilingual_booklets_and_the_needs_in_arabic(client, demo):
    page = client.get("/ar/print/").content.decode()
    assert 'href="/ar/print/booklet.pdf?size=a5&amp;bilingual=1"' in page
    assert 'href="/ar/print/booklet.pdf?size=a4&amp;bilingual=1"' in page
    assert '<span lang="ar">الطوارئ</span>' in page


def test_the_footer_links_the_page(client, demo):
    footer = client.get("/ar/").content.decode().split("<footer>")[1]
    assert 'href="/ar/print/"' in footer


def test_the_form_carries_the_choice_into_the_links(client, demo):
    page = client.get("/it/print/?category=emergency&municipality=098019").content.decode()
    link = "/it/print/booklet.pdf?size=a5&amp;category=emergency&amp;municipality=098019"
    assert f'href="{link}"' in page
    assert 'value="emergency" checked' in page
    assert 'value="098019" checked' in page


def test_the_booklet_is_a_pdf_of_the_size_asked(client, demo):
    response = client.get("/it/print/booklet.pdf?size=a4&category=emergency")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="lodi-it-a4.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert set(page_sizes_mm(data)) == {(210.0, 297.0)}
    assert "Pronto Soccorso" in "\n".join(page_texts(data))


@pytest.mark.parametrize(
    "path",
    ["/it/print/booklet.pdf?size=a3", "/it/print/booklet.pdf?size=letter",
     "/it/print/poster.pdf?size=a5"],
)  # fmt: skip
def test_a_paper_size_it_is_not_printed_on_is_a_404_naming_it(client, demo, print_dir, path):
    response = client.get(path)
    assert response.status_code == 404
    asked = path.rsplit("=", 1)[1]
    assert (
        f"«{asked}» non è un formato di carta previsto per la stampa" in response.content.decode()
    )
    assert built(print_dir) == []


@pytest.mark.parametrize("path", ["/it/print/booklet.pdf", "/it/print/"])
def test_an_unknown_need_is_a_404_in_the_reader_language(client, demo, print_dir, path):
    response = client.get(f"{path}?category=emergency&category=nope")
    assert response.status_code == 404
    assert "Non esiste la categoria «nope»." in response.content.decode()
    assert built(print_dir) == []


def test_an_unknown_municipality_is_a_404_in_arabic(client, demo, print_dir):
    response = client.get("/ar/print/booklet.pdf?municipality=999999")
    assert response.status_code == 404
    assert "لا توجد بلدية بالرمز «999999»." in response.content.decode()
    assert built(print_dir) == []


@pytest.mark.parametrize(
    ("path", "size"),
    [("/it/print/poster.pdf", (297.0, 420.0)), ("/it/print/poster.pdf?size=a4", (210.0, 297.0))],
)
def test_the_poster_is_a_pdf(client, demo, path, size):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_sizes_mm(b"".join(response.streaming_content))[0] == size


def test_the_card_is_a_pdf(client, demo):
    response = client.get("/it/print/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

"""The orientation sheet over HTTP: the selection page, its PDF, the short link and a
service's own sheet. Every bad selection gets a clear message and keeps what was typed."""

import html

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.directory.models import Service, ServiceStatus
from pertutti.printing.models import Selection
from pertutti.printing.selection import selection_key
from tests.public.test_no_writes import writes


def codes(territory, count: int) -> list[str]:
    return list(
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_empty_sheet_says_how_to_fill_it(client, demo):
    response = client.get("/it/sheet/")
    assert response.status_code == 200
    assert 'id="sheet-codes"' in page(response)
    assert "sheet-list" not in page(response)


def test_the_sheet_lists_the_services_and_links_to_remove_each(client, demo):
    response = client.get("/it/sheet/?s=LPT-001,lpt-002")
    text = page(response)
    assert response.status_code == 200
    assert 'data-code="LPT-001"' in text and 'data-code="LPT-002"' in text
    assert 'href="/it/sheet/?s=LPT-002"' in text  # remove LPT-001
    assert 'href="/it/sheet/?s=LPT-001"' in text  # remove LPT-002
    assert 'value="LPT-001, LPT-002"' in text
    assert "/it/sheet/sheet.pdf" in text


def test_malformed_pieces_are_named_and_left_out(client, demo):
    response = client.get("/it/sheet/", {"s": "LPT-001, <b>x</b>, ???"})
    text = page(response)
    assert response.status_code == 200
    assert "<b>x</b>" in text  # shown back as text (unescaped here: the page escaped it)
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()
    assert 'data-code="LPT-001"' in text


def test_thirty_one_codes_are_refused_and_kept(client, demo):
    typed = codes(demo, 31)
    response = client.get("/it/sheet/", {"s": ",".join(typed)})
    text = page(response)
    assert response.status_code == 400
    assert "30" in text and "31" in text
    assert f'value="{", ".join(typed)}"' in text


def test_five_hundred_codes_are_refused_without_looking_them_all_up(client, demo):
    typed = [f"X-{i}" for i in range(500)]
    with CaptureQueriesContext(connection) as log:
        response = client.get("/it/sheet/", {"s": ",".join(typed)})
    assert response.status_code == 400
    assert "X-499" in page(response)
    lookups = [q["sql"] for q in log.captured_queries if "X-450" in q["sql"]]
    assert lookups == []  # the view loads at most twice the limit


def test_the_sheet_page_reads_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    client.get("/it/sheet/?s=LPT-001")  # the territory's caches
    with django_assert_max_num_queries(20):
        response = client.get("/it/sheet/", {"s": ",".join(codes(demo, 30))})
    assert response.status_code == 200


def test_the_sheet_page_writes_nothing(client, demo):
    with CaptureQueriesContext(connection) as log:
        client.get("/it/sheet/", {"s": "LPT-001,LPT-002"})
    assert writes(log.captured_queries) == []


def test_the_pdf_stores_only_the_selection(client, demo):
    with CaptureQueriesContext(connection) as log:
        response = client.get("/it/sheet/sheet.pdf", {"s": "LPT-001,LPT-002", "language": "ar"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert all(
        "printing_selection" in sql
        for sql in writes(log.captured_queries)
        if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    )
    assert Selection.objects.get().codes == ["LPT-001", "LPT-002"]


def test_a_pdf_of_no_service_is_a_clear_400(client, demo):
    response = client.get("/it/sheet/sheet.pdf")
    assert response.status_code == 400
    assert 'id="sheet-codes"' in page(response)
    assert Selection.objects.count() == 0


def test_a_pdf_of_only_unknown_codes_is_a_404_page(client, demo):
    response = client.get("/it/sheet/sheet.pdf", {"s": "NOPE-1,NOPE-2"})
    assert response.status_code == 404
    assert 'value="NOPE-1, NOPE-2"' in page(response)


def test_an_unknown_language_is_a_404_with_a_message(client, demo):
    response = client.get("/ar/sheet/sheet.pdf", {"s": "LPT-001", "language": "xx"})
    assert response.status_code == 404
    assert "«xx» ليست من اللغات المتاحة في هذا الموقع." in page(response)


def test_a_known_language_the_site_does_not_offer_is_a_404(client, demo):
    demo.offered_languages = [c for c in demo.offered_languages if c != "bn"]
    demo.save()
    response = client.get("/it/sheet/sheet.pdf", {"s": "LPT-001", "language": "bn"})
    assert response.status_code == 404
    assert "«bn» non è una delle lingue in cui è disponibile questo sito." in page(response)


def test_the_short_link_reopens_the_sheet_in_its_language(client, demo):
    client.get("/ar/sheet/sheet.pdf", {"s": "LPT-002,LPT-001", "language": "ar"})
    key = selection_key(demo, ["LPT-002", "LPT-001"])
    response = client.get(f"/ar/s/{key}/")
    assert response.status_code == 302
    assert response["Location"] == "/ar/sheet/?s=LPT-002%2CLPT-001"


def test_an_unknown_short_link_says_so(client, demo):
    response = client.get("/it/s/zzzzzzzz/")
    assert response.status_code == 404
    assert "zzzzzzzz" in page(response)


def test_a_service_sheet_is_a_pdf(client, demo):
    with CaptureQueriesContext(connection) as log:
        response = client.get("/it/services/LPT-001/sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert writes(log.captured_queries) == []


def test_no_service_sheet_for_an_unknown_or_closed_service(client, demo):
    assert client.get("/it/services/NOPE-1/sheet.pdf").status_code == 404
    Service.objects.filter(code="LPT-001").update(status=ServiceStatus.INACTIVE)
    response = client.get("/it/services/LPT-001/sheet.pdf")
    assert response.status_code == 404
    assert "LPT-001" in page(response)


def test_the_service_page_offers_the_sheet(client, demo):
    text = page(client.get("/it/services/LPT-001/"))
    assert 'href="/it/sheet/?s=LPT-001" data-sheet-add' in text
    assert 'href="/it/services/LPT-001/sheet.pdf"' in text
    assert "data-print hidden" in text
    assert "public/sheet.js" in text

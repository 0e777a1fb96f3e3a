"""Whatever is typed into the search box, the page and the API answer clearly: nothing
breaks, control characters are refused with a message and the text kept."""

from urllib.parse import quote

import pytest

from pertutti.importing.services import services_import_file
from pertutti.search.models import UsageCount
from pertutti.search.usage import usage_discard, usage_flush, usage_pending
from tests.conftest import DEMO_CSV


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    usage_discard()
    yield lodi
    usage_discard()


ODD = {
    "digits": "1234567890",
    "punctuation": "?!.,;:()[]«»—…",
    "emoji": "🏥🩺😀👍",
    "long": ("medico " + "parola " * 200)[:1000],
    "mixed scripts": "medico طبيب 医生 врач",
    "rtl mark inside": "طب\u200fيب",
    "zwj inside": "med\u200dico",
}


@pytest.mark.parametrize("name", ODD)
def test_the_page_answers_any_text(client, demo, name):
    response = client.get(f"/it/services/?q={quote(ODD[name])}")
    assert response.status_code == 200
    assert "servizi trovati" in response.content.decode() or "servizio trovato" in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ODD)
def test_the_api_answers_any_text(client, demo, name):
    response = client.get(f"/api/v1/services?search={quote(ODD[name])}")
    assert response.status_code == 200
    data = response.json()
    assert data["total_items"] == len(data["contents"]) or data["total_pages"] > 1


def test_invisible_marks_inside_a_word_do_not_hide_it(client, demo):
    for text in ("med\u200dico", "medi\u200bco", "med\u00adico"):
        data = client.get(f"/api/v1/services?search={quote(text)}").json()
        assert data["contents"][0]["code"] == "LPT-026", text


def test_symbols_only_find_nothing(client, demo):
    for name in ("digits", "punctuation", "emoji"):
        data = client.get(f"/api/v1/services?search={quote(ODD[name])}").json()
        assert data["total_items"] == 0, name


def test_nul_is_refused_by_the_api(client, demo):
    response = client.get("/api/v1/services?search=medico%00")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "search must not contain control characters (such as NUL)",
        "invalid": ["search"],
    }


def test_nul_on_a_page_gives_a_clear_message_and_keeps_the_text(client, demo):
    response = client.get("/en/services/?q=medico%00di%20base")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The search contains characters that cannot be searched" in page
    assert 'value="medico di base"' in page  # the text, without the NUL, to search again
    assert 'id="results"' not in page  # nothing searched, nothing listed
    # Nothing was counted or written: no unmet need made of a NUL.
    assert usage_pending() == {} or all("\x00" not in str(k) for k in usage_pending())
    usage_flush()
    assert all("\x00" not in key for key in UsageCount.objects.values_list("key", flat=True))


def test_nul_on_the_map_page_too(client, demo):
    response = client.get("/en/services/map/?q=%00")
    assert response.status_code == 400
    assert "The search contains characters that cannot be searched" in response.content.decode()

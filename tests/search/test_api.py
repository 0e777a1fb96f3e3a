"""GET /api/v1/services: an HSDS 3.0 page; clear 400s for bad parameters."""

import json

import pytest

from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    return lodi


def get(client, query: str):
    response = client.get(f"/api/v1/services?{query}")
    return response.status_code, json.loads(response.content)


def test_page_shape_and_service_fields(client, demo):
    status, page = get(client, "search=medico%20di%20base&per_page=3")
    assert status == 200
    assert set(page) == {"total_items", "total_pages", "page_number", "size", "first_page",
                         "last_page", "empty", "contents"}  # fmt: skip
    assert page["size"] == 3 and page["page_number"] == 1 and page["first_page"]
    assert page["total_pages"] == -(-page["total_items"] // 3)
    [item] = [i for i in page["contents"] if i["code"] == "LPT-026"]
    assert {"id", "name", "description", "organization", "locations", "languages"} <= set(item)
    assert item["organization"]["name"] and item["text_language"] == "it"
    assert "medico" in item["matched"]


def test_pagination_and_browse(client, demo):
    _, first = get(client, "per_page=30&page=1")
    _, third = get(client, "per_page=30&page=3")
    assert first["total_items"] == 70 and first["total_pages"] == 3
    assert len(third["contents"]) == 10 and third["last_page"]
    _, beyond = get(client, "per_page=30&page=9")
    assert beyond["empty"] and beyond["contents"] == []


def test_translated_texts_with_fallback(client, demo):
    from pertutti.translations.models import SourceText
    from pertutti.translations.services import translation_save

    source = SourceText.objects.get(
        field="name", content_type__model="service", object_id=demo.services.get(code="LPT-026").pk
    )
    translation_save(source=source, language="en", text="Register with the health service",
                     status="translated")  # fmt: skip
    _, page = get(client, "search=medico%20di%20base&lang=en&per_page=5")
    [item] = [i for i in page["contents"] if i["code"] == "LPT-026"]
    assert item["name"] == "Register with the health service" and item["text_language"] == "en"
    assert item["description"].startswith("Con l")  # no translation: Italian


@pytest.mark.parametrize(
    ("query", "invalid"),
    [
        ("category=astrology", ["category"]),
        ("municipality=000000", ["municipality"]),
        ("language_spoken=klingon", ["language_spoken"]),
        ("lat=abc&lon=9", ["lat"]),
        ("radius_km=5", ["radius_km"]),
        ("lat=45.3&lon=9.5&radius_km=-1", ["radius_km"]),
        ("per_page=0", ["per_page"]),
        ("per_page=1000", ["per_page"]),
        ("per_page=abc", ["per_page"]),
        ("page=0", ["page"]),
        ("page=100001", ["page"]),
        ("page=99999999999999999999", ["page"]),
        ("open_now=maybe", ["open_now"]),
        ("lang=xx", ["lang"]),
    ],
)
def test_invalid_parameters_are_a_clear_400(client, demo, query, invalid):
    status, body = get(client, query)
    assert status == 400
    assert body["invalid"] == invalid and body["detail"]


@pytest.mark.parametrize(
    "search", ["a" * 10_000, "%22*%20NEAR%20OR%3A-", "%F0%9F%98%80", "%D8%B7%D8%A8%D9%8A%D8%A8"]
)
def test_odd_search_text_is_fine(client, demo, search):
    status, _ = get(client, f"search={search}")
    assert status == 200


def test_filters_and_distance(client, demo):
    _, page = get(client, "lat=45.16&lon=9.705&radius_km=2&per_page=10")
    assert {i["code"] for i in page["contents"]} == {"LPT-020", "LPT-043", "LPT-052"}
    assert all(i["distance_km"] < 2 for i in page["contents"])
    _, free = get(client, "free=true&per_page=100")
    assert free["total_items"] == sum(1 for s in demo.services.all() if s.free)


def test_suggestions_while_typing(client, demo):
    response = client.get("/api/v1/suggest?q=dormit")
    suggestions = json.loads(response.content)
    assert suggestions and all(s["url"].startswith("/it/services/LPT-") for s in suggestions)
    assert json.loads(client.get("/api/v1/suggest?q=a").content) == []


def test_openapi_schema_is_published(client, db):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert "/api/v1/services" in schema["paths"]


@pytest.mark.parametrize("lang", ["it", "ar"])
def test_a_search_page_costs_the_same_queries_whatever_its_size(client, demo, lang):
    """The services of a page, their places, translations and "matches" texts are read in a
    fixed number of queries: no query per service."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, f"search=medico&lang={lang}")  # the index is built by the first search
    counts = []
    for per_page in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            status, page = get(client, f"search=medico&lang={lang}&per_page={per_page}")
        assert status == 200 and len(page["contents"]) == min(per_page, page["total_items"])
        counts.append(len(queries))
    assert page["total_items"] > 1
    assert counts[0] == counts[1]


@pytest.mark.parametrize("lang", ["it", "ar", "zh-hans"])
def test_service_urls_are_those_reverse_gives(lang):
    """The page's service URLs, built from the route resolved once, are `reverse`'s own."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from pertutti.api.api import _ServicePaths

    codes = ["LPT-001", "a b", "è?#%&=+", "x\ny", "中文", ".", "..", "CODE", "it's", "~:@!$"]
    with translation.override(lang):
        paths = _ServicePaths()
        for code in codes:
            assert paths(code) == reverse("public:service", args=[code]), code
        with pytest.raises(NoReverseMatch):
            paths("a/b")

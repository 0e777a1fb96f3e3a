import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def codes(response) -> list[str]:
    return re.findall(r'<li class="card" id="svc-([A-Z0-9-]+)"', response.content.decode())


def test_all_services_are_listed(client, demo):
    response = client.get("/it/services/")
    assert response.status_code == 200
    assert len(codes(response)) == 50  # first page
    assert "70 servizi trovati" in response.content.decode()
    assert len(codes(client.get("/it/services/?page=2"))) == 20


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=health", {"LPT-030"}),
        ("municipality=098019", {"LPT-020", "LPT-043", "LPT-052"}),
        ("language=ar", {"LPT-013"}),
        ("q=italiano", {"LPT-055", "LPT-070"}),
        ("q=ITALIANO stranieri", {"LPT-055", "LPT-070"}),
    ],
)
def test_filters_narrow_the_list(client, demo, query, expected):
    found = set(codes(client.get(f"/it/services/?{query}")))
    assert expected <= found
    assert len(found) < 70


def test_free_and_walk_in_filters(client, demo):
    from pertutti.directory.models import Service

    free = set(codes(client.get("/it/services/?free=1&page=1"))) | set(
        codes(client.get("/it/services/?free=1&page=2"))
    )
    assert free == set(Service.objects.filter(free=True).values_list("code", flat=True))
    walk_in = set(codes(client.get("/it/services/?walk_in=1")))
    assert walk_in == set(Service.objects.filter(walk_in=True).values_list("code", flat=True))


def test_open_now_filter_uses_the_structured_schedule(client, demo, monday_morning):
    open_now = set(codes(client.get("/it/services/?open_now=1")))
    assert "LPT-004" in open_now  # lun-ven 9.00-12.00
    assert "LPT-013" not in open_now  # lunedì e giovedì 14-17
    page = client.get("/it/services/?q=kit permesso").content.decode()
    assert 'Chiuso ora, apre alle <time datetime="14:00" dir="ltr" class="time">14:00<' in page


def test_distance_is_shown_and_sorts_when_the_position_is_known(client, demo):
    response = client.get("/it/services/?lat=45.1600&lon=9.7050&sort=distance")
    found = codes(response)
    assert set(found[:3]) == {"LPT-020", "LPT-043", "LPT-052"}  # in Codogno
    assert '<bdi class="distance"><bdi dir="ltr">50</bdi> m</bdi>' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "category=nope",
        "municipality=999999",
        "open_now=maybe&free=2&walk_in=x",
        "language=xx",
        "lat=abc&lon=9",
        "lat=91&lon=200&sort=distance",
        "sort=nonsense",
        "page=-3",
        "page=abc",
        "q=" + "a" * 10000,
        "q=%D8%B7%D8%A8%D9%8A%D8%A8",  # Arabic
        "q=%E6%89%BE%E5%B7%A5%E4%BD%9C",  # Chinese
        "q=%F0%9F%8F%A0%F0%9F%A9%BA",  # emoji
        "q=%22%27%3B--%20OR%201%3D1",
    ],
)
def test_malformed_filters_are_ignored_and_the_page_works(client, demo, query):
    response = client.get(f"/it/services/?{query}")
    assert response.status_code == 200
    assert "<h1>Servizi</h1>" in response.content.decode()


def test_no_results_suggests_categories(client, demo):
    page = client.get("/it/services/?q=zzzzqqq").content.decode()
    assert "Nessun servizio trovato" in page
    assert page.count('href="/it/categories/') >= 11


def test_results_use_a_fixed_number_of_queries(client, demo):
    with CaptureQueriesContext(connection) as queries:
        client.get("/it/services/")
    assert len(queries) <= 14


def test_category_page_and_its_404(client, demo):
    response = client.get("/en/categories/health/")
    assert response.status_code == 200
    assert '<h1 lang="en">Health</h1>' in response.content.decode()  # the shipped name
    missing = client.get("/en/categories/astrology/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "There is no category “astrology”." in page and '<html lang="en"' in page
    assert "Pagina non trovata" in client.get("/it/categories/astrology/").content.decode()


def test_municipality_page_and_its_404(client, demo):
    response = client.get("/it/municipalities/098019/")
    assert set(codes(response)) == {"LPT-020", "LPT-043", "LPT-052"}
    assert client.get("/it/municipalities/015146/").status_code == 404  # Milano: not ours


def test_map_view_has_markers_for_the_same_results(client, demo):
    response = client.get("/it/services/map/?category=housing")
    page = response.content.decode()
    markers = json.loads(
        re.search(r'<script id="map-markers" type="application/json">(.*?)</script>', page).group(1)
    )
    assert {m["code"] for m in markers} == set(codes(response))
    assert all(45 < m["lat"] < 46 and 9 < m["lon"] < 10 for m in markers)
    assert any(m["approx"] for m in markers)
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in page  # map.js loads it
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page
    # The list/map toggle keeps the filters.
    assert 'href="/it/services/?category=housing"' in page


def test_pages_past_the_last_show_the_last_page(client, demo):
    for page in ("3", "99999", "99999999999999999999"):
        response = client.get(f"/it/services/?page={page}")
        assert response.status_code == 200
        assert len(codes(response)) == 20  # the second and last page of 70
        assert "Pagina 2 di 2" in response.content.decode()
    assert codes(client.get("/it/services/?page=0")) == codes(client.get("/it/services/"))


def test_a_search_lists_one_page_and_counts_all(client, demo, monkeypatch):
    from pertutti.public import views

    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    response = client.get("/it/services/?q=servizio")
    page = response.content.decode()
    total = int(re.search(r"(\d+) servizi trovati", page).group(1))
    assert total > 30 and len(codes(response)) == 10
    pages = [codes(client.get(f"/it/services/?q=servizio&page={n}")) for n in range(1, 5)]
    found = [code for listed in pages for code in listed]
    assert len(found) == len(set(found)) == total  # every match once, in pages of 10
    assert pages[0] == codes(response)


def test_the_language_filter_follows_changes_to_the_services(client, demo):
    from pertutti.directory.models import Service

    assert 'value="uk"' not in client.get("/it/services/").content.decode()
    service = Service.objects.get(code="LPT-013")
    service.languages = [*service.languages, "uk"]
    service.save()  # a new last change: the cached choices are read again
    assert 'value="uk"' in client.get("/it/services/").content.decode()
    assert "LPT-013" in codes(client.get("/it/services/?language=uk"))


def test_results_pages_use_the_same_number_of_queries_on_every_page(client, demo):
    counts = []
    for url in ("/it/services/", "/it/services/?page=2", "/it/services/?q=lodi&page=2",
                "/it/organizations/1/"):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code in (200, 404)
        counts.append(len(queries))
    assert max(counts) <= 14, counts

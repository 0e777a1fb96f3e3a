"""The map page (paged list under the map) and its endpoint of markers by area."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Around the province of Lodi: every placed demo service is inside.
LODI = "45.0,9.2,45.5,9.9"
MARKERS = "/it/services/map/markers.json"


def codes(response) -> list[str]:
    return re.findall(r'<li class="card" id="svc-([A-Z0-9-]+)"', response.content.decode())


def embedded(response) -> list[dict]:
    page = response.content.decode()
    found = re.search(r'<script id="map-markers" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_map_page_lists_one_page_with_the_list_pages_pager(client, demo):
    first = client.get("/it/services/map/")
    assert first.status_code == 200
    assert len(codes(first)) == 50
    page = first.content.decode()
    assert '<nav class="pager"' in page and 'href="?page=2" rel="next"' in page
    second = client.get("/it/services/map/?page=2")
    assert len(codes(second)) == 20
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    # The list page has the same pager, from the same include.
    assert 'href="?page=2" rel="next"' in client.get("/it/services/").content.decode()


def test_the_page_embeds_the_markers_of_its_cards_only(client, demo):
    for url in ("/it/services/map/", "/it/services/map/?page=2"):
        response = client.get(url)
        markers = embedded(response)
        assert {m["code"] for m in markers} <= set(codes(response))
        assert len(markers) >= len(codes(response)) - 5  # a few demo services have no place


def test_the_pager_and_the_endpoint_keep_the_filters(client, demo):
    response = client.get("/it/services/map/?category=housing&page=1")
    page = response.content.decode()
    assert 'data-markers="/it/services/map/markers.json?category=housing"' in page
    assert {m["code"] for m in embedded(response)} == set(codes(response))


def test_leaflet_is_not_linked_map_js_loads_it(client, demo):
    page = client.get("/it/services/map/").content.decode()
    assert "leaflet.js" not in page.split('id="map"')[0]
    assert '<script src="/static/vendor/leaflet/leaflet.js"' not in page
    assert '<link rel="stylesheet" href="/static/public/leaflet.min.css"' not in page
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in page
    assert 'data-leaflet-css="/static/public/leaflet.min.css"' in page
    assert 'data-load="now"' in page
    assert '<script src="/static/public/map.js" defer></script>' in page
    # The box is reserved (no `hidden`): CSS hides it when scripts are off.
    assert re.search(r'<div id="map" class="map" role="region"', page)


def test_without_javascript_the_page_explains_the_map(client, demo):
    page = client.get("/en/services/map/").content.decode()
    assert re.search(r"<noscript><p class=\"note\">The map needs JavaScript\.", page)


def test_service_page_loads_leaflet_only_through_map_js(client, demo):
    page = client.get("/it/services/LPT-013/").content.decode()
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in page
    assert 'src="/static/vendor/leaflet/leaflet.js"' not in page
    assert 'href="/static/public/leaflet.min.css"' not in page
    assert 'data-load="now"' not in page  # loaded when the map comes into view


def test_markers_of_an_area(client, demo):
    response = client.get(f"{MARKERS}?bbox={LODI}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["truncated"] is False
    markers = data["markers"]
    assert len(markers) > 60
    assert len({m["code"] for m in markers}) == len(markers)
    first = markers[0]
    assert set(first) == {"code", "lat", "lon", "approx", "name", "lang", "url"}
    assert first["lang"] == "it" and first["url"] == f"/it/services/{first['code']}/"
    # A smaller area, the centre of Codogno only.
    codogno = client.get(f"{MARKERS}?bbox=45.15,9.69,45.17,9.72").json()["markers"]
    assert {m["code"] for m in codogno} == {"LPT-020", "LPT-043", "LPT-052"}
    assert all(45.15 <= m["lat"] <= 45.17 and 9.69 <= m["lon"] <= 9.72 for m in codogno)
    assert client.get(f"{MARKERS}?bbox=10,10,11,11").json() == {
        "markers": [],
        "truncated": False,
    }


def test_markers_follow_the_filters_of_the_page(client, demo):
    housing = client.get(f"{MARKERS}?bbox={LODI}&category=housing").json()["markers"]
    listed = codes(client.get("/it/services/?category=housing"))
    assert {m["code"] for m in housing} <= set(listed) and housing
    searched = client.get(f"{MARKERS}?bbox={LODI}&q=italiano").json()["markers"]
    assert {"LPT-055", "LPT-070"} <= {m["code"] for m in searched}
    # Malformed filters are ignored, as on the pages.
    assert client.get(f"{MARKERS}?bbox={LODI}&category=nope&open_now=x").status_code == 200


def test_markers_names_are_in_the_readers_language(client, demo):
    from pertutti.directory.models import Service
    from pertutti.translations.models import SourceText
    from pertutti.translations.services import translation_save

    service = Service.objects.get(code="LPT-013")
    source = SourceText.objects.get(
        object_id=service.pk, content_type__model="service", field="name"
    )
    translation_save(source=source, language="ar", text="مساعدة", status="translated")
    markers = client.get(f"/ar{MARKERS[3:]}?bbox={LODI}").json()["markers"]
    found = next(m for m in markers if m["code"] == "LPT-013")
    assert (found["name"], found["lang"]) == ("مساعدة", "ar")
    assert found["url"] == "/ar/services/LPT-013/"
    other = next(m for m in markers if m["code"] != "LPT-013")
    assert other["lang"] == "it"  # not translated: the Italian name, said to be Italian


def test_markers_are_capped(client, demo, monkeypatch):
    from pertutti.public import views

    monkeypatch.setattr(views, "MAP_LIMIT", 5)
    data = client.get(f"{MARKERS}?bbox={LODI}").json()
    assert len(data["markers"]) == 5 and data["truncated"] is True


@pytest.mark.parametrize(
    "bbox",
    [
        None,  # missing
        "",
        "abc",
        "a,b,c,d",
        "45,9,46",
        "45,9,46,10,11",
        "45,9,,10",
        "nan,9,46,10",
        "inf,9,46,10",
        "1e999,9,46,10",
        "45,9,46,1_0",
        "٤٥,9,46,10",  # Arabic-Indic digits
        "-91,9,46,10",
        "45,9,91,10",
        "45,-181,46,10",
        "45,9,46,180.5",
        "46,9,45,10",  # south above north
        "45,10,46,9",  # west east of east
        "1" * 40 + ",9,46,10",
    ],
)
def test_a_bad_bbox_is_a_400_with_a_clear_error(client, demo, bbox):
    url = MARKERS if bbox is None else f"{MARKERS}?bbox={bbox}"
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error.startswith("bbox ")
    assert "public" not in response.get("Cache-Control", "")


def test_markers_are_cacheable_and_never_write(client, demo):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{MARKERS}?bbox={LODI}")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    assert "Set-Cookie" not in response
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    again = client.get(f"{MARKERS}?bbox={LODI}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Another area is another resource.
    other = client.get(f"{MARKERS}?bbox=45.1,9.2,45.5,9.9", HTTP_IF_NONE_MATCH=response["ETag"])
    assert other.status_code == 200


def test_markers_take_a_fixed_number_of_queries(client, demo, monkeypatch):
    from pertutti.public import views

    counts = {}
    for limit in (10, 60):
        monkeypatch.setattr(views, "MAP_LIMIT", limit)
        client.get(f"{MARKERS}?bbox={LODI}")  # per-process caches filled alike
        with CaptureQueriesContext(connection) as queries:
            data = client.get(f"{MARKERS}?bbox={LODI}&lang_probe={limit}").json()
        assert len(data["markers"]) == limit
        counts[limit] = len(queries)
    assert counts[10] == counts[60], counts
    assert counts[60] <= 12, counts

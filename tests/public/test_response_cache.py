"""The server's cache of rendered public pages and API reads (pertutti.response_cache).

A hit answers with what a rendered page would have answered (body and headers) after one
query (the data version); the key changes with the language, the query, the data and the
open-now status; anything personal, signed in, written or failed is never kept; the usage
counts of a page are counted on every answer.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pertutti.accounts.models import Role
from pertutti.directory.models import Schedule, Service
from pertutti.directory.opening import open_status
from pertutti.response_cache.middleware import (
    CACHE_ALIAS,
    ResponseCacheMiddleware,
    normalised_query,
)
from pertutti.response_cache.versions import change_times, data_version, open_bucket
from pertutti.search.indexing import search_index_changed
from pertutti.search.usage import usage_discard, usage_pending
from tests.staff import make_person, sign_in

ROME = ZoneInfo("Europe/Rome")
# LPT-013 opens Mondays and Thursdays 14-17.
MONDAY_1359 = datetime(2025, 5, 12, 13, 59, 30, tzinfo=ROME)
MONDAY_1400 = datetime(2025, 5, 12, 14, 0, 0, tzinfo=ROME)
COMPARED = (
    "Content-Type", "ETag", "Last-Modified", "Cache-Control", "Content-Language", "Vary",
    "Content-Encoding", "Content-Length", "Content-Security-Policy", "X-Frame-Options",
    "Referrer-Policy",
)  # fmt: skip


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PERTUTTI_RESPONSE_CACHE = True
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control (the views and the open-now bucket read it)."""
    state = {"now": MONDAY_1359}
    monkeypatch.setattr("django.utils.timezone.now", lambda: state["now"])
    return state


def queries(client, url: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as log:
        response = client.get(url, headers=headers)
    return len(log.captured_queries), response


def headers_of(response) -> dict[str, str | None]:
    return {name: response.get(name) for name in COMPARED}


HIT_URLS = [
    "/it/", "/ar/services/LPT-013/", "/en/categories/{category}/", "/zh-hans/services/?q=medico",
    "/it/services/map/", "/it/about/", "/api/v1/services?search=medico&lang=ar",
    "/api/v1/suggest?q=med",
]  # fmt: skip


def test_a_hit_answers_as_the_rendered_page_after_one_query(client, demo):
    category = Service.objects.get(code="LPT-013").category.code
    for url in [u.format(category=category) for u in HIT_URLS]:
        for encoding in ("gzip, deflate", ""):
            n_miss, miss = queries(client, url, accept_encoding=encoding)
            n_hit, hit = queries(client, url, accept_encoding=encoding)
            assert miss.status_code == hit.status_code == 200, url
            assert n_miss > 1, url
            assert n_hit == 1, url  # the data version; nothing else
            assert hit.content == miss.content, url
            assert headers_of(hit) == headers_of(miss), url
            if not url.startswith("/api/"):
                assert hit["ETag"] and hit["Last-Modified"] and "public" in hit["Cache-Control"]
                assert ("Content-Encoding" in hit) == bool(encoding), url


def test_the_hit_path_reads_only_the_data_version(client, demo, django_assert_num_queries):
    client.get("/it/services/LPT-013/")
    with django_assert_num_queries(1) as log:
        client.get("/it/services/LPT-013/")
    assert "territories_territory" in log.captured_queries[0]["sql"]


def test_a_conditional_request_on_a_hit_gets_304(client, demo):
    etag = client.get("/it/").headers["ETag"]
    response = client.get("/it/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_languages_queries_and_pages_have_their_own_entries(client, demo):
    assert queries(client, "/it/services/?q=medico&page=1")[0] > 1
    assert queries(client, "/en/services/?q=medico&page=1")[0] > 1
    assert queries(client, "/it/services/?q=dentista&page=1")[0] > 1
    assert queries(client, "/it/services/?q=medico&page=2")[0] > 1
    # The same parameters in another order or encoding are the same page.
    assert queries(client, "/it/services/?page=1&q=medico")[0] == 1
    assert queries(client, "/it/services/?q=m%65dico&page=1")[0] == 1


def test_normalised_query_keeps_the_order_of_repeated_values():
    assert normalised_query("b=2&a=1&a=0&q=caf%C3%A9+bar") == "a=1&a=0&b=2&q=caf%C3%A9+bar"
    assert normalised_query("q=caf%C3%A9%20bar") == normalised_query("q=café+bar")
    assert normalised_query("a=1&a=0") != normalised_query("a=0&a=1")
    assert normalised_query("") == ""


def test_a_change_of_the_data_is_a_miss_and_shows_the_change(client, demo):
    client.get("/it/services/LPT-013/")
    service = Service.objects.get(code="LPT-013")
    service.name = "Sportello rinnovato"
    service.save()
    count, response = queries(client, "/it/services/LPT-013/")
    assert count > 1
    assert "Sportello rinnovato" in response.content.decode()
    assert queries(client, "/it/services/LPT-013/")[0] == 1


def test_a_new_search_index_is_a_miss(client, demo):
    """Translations and deletions reach the pages with the index they renew."""
    client.get("/it/services/?q=medico")
    search_index_changed(territory=demo)
    assert queries(client, "/it/services/?q=medico")[0] > 1


def test_a_change_of_the_territory_settings_is_a_miss(client, demo):
    client.get("/it/")
    demo.owner = "Provincia di Lodi"
    demo.save()
    count, response = queries(client, "/it/")
    assert count > 1
    assert "Provincia di Lodi" in response.content.decode()


def test_open_now_changes_at_the_minute_the_office_opens(client, demo, clock):
    first = client.get("/it/services/LPT-013/").content.decode()
    assert "Chiuso ora" in first
    assert queries(client, "/it/services/LPT-013/")[0] == 1  # same bucket: a hit
    clock["now"] = MONDAY_1400
    count, response = queries(client, "/it/services/LPT-013/")
    assert count > 1
    assert "Aperto ora" in response.content.decode()


def test_the_open_bucket_runs_from_one_opening_or_closing_time_to_the_next(demo):
    version = data_version()
    times = change_times(version)
    assert times[0].hour == 0 and times[0].minute == 0
    start, end = open_bucket(times, MONDAY_1359, "Europe/Rome")
    assert start <= MONDAY_1359 < end
    assert end == MONDAY_1400  # LPT-013 opens at 14:00
    assert open_bucket(times, MONDAY_1400, "Europe/Rome")[0] == MONDAY_1400
    # Nothing changes between two boundaries: the next bucket starts where this one ends.
    assert open_bucket(times, end + timedelta(seconds=1), "Europe/Rome")[0] == end


@pytest.mark.parametrize("day", [date(2025, 3, 30), date(2025, 5, 12), date(2025, 10, 26)])
def test_no_status_of_any_service_changes_within_a_bucket(demo, day):
    """Every 20 minutes of a day (the two DST changes included) and one second around each
    bucket's ends: every service's status is the one it has at the start of the bucket."""
    times = change_times(data_version())
    schedules = list(Schedule.objects.filter(service__territory=demo).prefetch_related("hours"))
    start_utc = datetime.combine(day, time(0), tzinfo=ROME).astimezone(UTC)
    instants = [start_utc + timedelta(minutes=20 * i) for i in range(3 * 24)]
    for now in instants:
        begin, end = open_bucket(times, now, "Europe/Rome")
        assert begin <= now < end
        for at in (now, end - timedelta(seconds=1)):
            for schedule in schedules:
                assert open_status(schedule, at, "Europe/Rome") == open_status(
                    schedule, begin, "Europe/Rome"
                ), (schedule.service_id, at)


def test_a_request_with_any_cookie_is_neither_served_nor_stored(client, demo):
    client.cookies["something"] = "1"
    assert queries(client, "/it/")[0] > 1
    assert queries(client, "/it/")[0] > 1
    client.cookies.clear()
    assert queries(client, "/it/")[0] > 1  # nothing was stored for the anonymous reader


def test_a_signed_in_person_never_gets_or_leaves_a_cached_page(client, demo):
    client.get("/it/")  # an anonymous entry exists
    sign_in(client, make_person("ada", demo, Role.ADMINISTRATOR))
    assert queries(client, "/it/")[0] > 1
    client.logout()
    client.cookies.clear()
    assert queries(client, "/it/")[0] == 1


@pytest.mark.parametrize("url", ["/it/manage/", "/it/accounts/login/", "/it/translate/"])
def test_staff_pages_are_never_cached(client, demo, url):
    client.get(url)
    client.cookies.clear()
    client.get(url)
    assert _keys() == []


def test_storing_a_page_does_not_touch_the_session(client, demo):
    response = client.get("/it/services/LPT-013/report/")
    assert _keys()
    assert not response.wsgi_request.session.accessed


def test_a_post_is_never_served_from_the_cache(client, demo):
    client.get("/it/services/LPT-013/report/")
    response = client.post("/it/services/LPT-013/report/", {"kind": "", "text": ""})
    assert response.status_code == 400  # the form was validated, not a cached GET answer


def test_errors_and_redirects_are_not_stored(client, demo):
    assert client.get("/it/services/NOPE-1/").status_code == 404
    assert queries(client, "/it/services/NOPE-1/")[0] > 1
    assert client.get("/it/services").status_code == 301
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/services?lang=xx").status_code == 400
    assert queries(client, "/api/v1/services?lang=xx")[0] >= 1
    assert _keys() == []


def test_the_setting_turns_it_off(client, demo, settings):
    settings.PERTUTTI_RESPONSE_CACHE = False
    client.get("/it/")
    assert queries(client, "/it/")[0] > 1
    assert _keys() == []


def _keys() -> list[str]:
    return list(caches[CACHE_ALIAS]._cache)  # LocMemCache's own store


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.set_cookie("x", "1"),
        lambda r: r.headers.__setitem__("Vary", "Cookie"),
        lambda r: r.headers.__setitem__("Cache-Control", "private, no-store"),
        lambda r: r.headers.__setitem__("Cache-Control", "max-age=60"),  # not public
    ],
    ids=["set-cookie", "vary-cookie", "private", "not-public"],
)
def test_answers_that_are_personal_or_not_public_are_not_stored(demo, change):
    def view(request):
        response = HttpResponse("<p>page</p>" * 50)
        response["Cache-Control"] = "public, max-age=300"
        change(response)
        return response

    middleware = ResponseCacheMiddleware(view)
    request = RequestFactory().get("/it/")
    request.user = AnonymousUser()
    middleware(request)
    assert _keys() == []


def test_a_csrf_token_in_the_body_is_not_stored(demo):
    def view(request):
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # what get_token() leaves
        response = HttpResponse("<p>page</p>" * 50)
        response["Cache-Control"] = "public, max-age=300"
        return response

    ResponseCacheMiddleware(view)(RequestFactory().get("/it/"))
    assert _keys() == []


def _visit_pages(client, category: str) -> None:
    for _ in range(3):
        client.get(f"/ar/categories/{category}/")
        client.get("/ar/services/LPT-013/")
        client.get("/it/services/?q=pizza+margherita+ricetta")  # no result
        client.get("/api/v1/services?search=pizza+margherita+ricetta&lang=en")
        client.get("/en/municipalities/098031/")


def test_usage_counts_are_counted_on_every_hit(client, demo, settings):
    """The same visits count the same with and without the cache."""
    category = Service.objects.get(code="LPT-013").category.code
    settings.PERTUTTI_RESPONSE_CACHE = False
    _visit_pages(client, category)
    rendered = usage_pending()
    usage_discard()
    settings.PERTUTTI_RESPONSE_CACHE = True
    _visit_pages(client, category)
    assert queries(client, "/ar/services/LPT-013/")[0] == 1  # the visits were hits
    usage_discard()
    _visit_pages(client, category)
    assert usage_pending() == rendered
    today = timezone.localdate()
    service_id = Service.objects.get(code="LPT-013").pk
    assert rendered[(demo.pk, today, "language", "ar")] == 6
    assert rendered[(demo.pk, today, "category", category)] == 3
    assert rendered[(demo.pk, today, "service_read", str(service_id))] == 3
    assert any(kind == "zero_result" for (_, _, kind, _) in rendered)


def test_an_unreachable_shared_cache_renders_the_page(client, demo, settings):
    reachable = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/5",  # nothing listens on port 1
        },
    }
    for _ in range(2):
        response = client.get("/it/services/LPT-013/")
        assert response.status_code == 200
        assert "LPT-013" in response.content.decode()
    settings.CACHES = reachable  # the fixture's clean-up clears the cache

"""The shared cache on a real Redis server (PERTUTTI_CACHE_URL): cached pages, and the hourly
limits of ratelimits.py, whose counts several machines then share.

Needs a Redis (or Valkey) server: PERTUTTI_TEST_REDIS_URL, by default database 5 of
127.0.0.1:6379; every key is under the prefix "pertutti-cachetest" and removed afterwards.
`.ci/run` starts one. Without it these tests fail and say how to start one: a skipped test
would let CI pass without ever trying the backend that production uses.
"""

import os
import threading

import pytest
import redis
from django.core.cache import caches

from pertutti import ratelimits
from pertutti.importing.services import services_import_file
from pertutti.response_cache.middleware import CACHE_ALIAS
from tests.conftest import DEMO_CSV

REDIS_URL = os.environ.get("PERTUTTI_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PREFIX = "pertutti-cachetest"
START = (
    "apt-get install redis-server && redis-server --daemonize yes --save '' --appendonly no "
    "--port 6379 (or set PERTUTTI_TEST_REDIS_URL)"
)


def _clean(client: redis.Redis) -> None:
    for key in client.scan_iter(match=f"{PREFIX}*", count=500):
        client.delete(key)


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    return lodi


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({error}); start it: {START}")
    _clean(client)
    yield client
    _clean(client)
    client.close()


@pytest.fixture
def redis_caches(settings, redis_client):
    """Both caches on Redis, as settings.py configures them from PERTUTTI_CACHE_URL."""
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{PREFIX}-{alias}",
        }
        for alias in ("default", "pages")
    }
    settings.PERTUTTI_RESPONSE_CACHE = True
    yield redis_client
    for alias in ("default", "pages"):
        caches[alias].close()


def test_the_backend_is_redis_with_hiredis(redis_caches):
    from redis.utils import HIREDIS_AVAILABLE

    assert type(caches[CACHE_ALIAS]).__name__ == "RedisCache"
    assert HIREDIS_AVAILABLE


def test_pages_are_kept_in_redis_with_a_time_to_live(client, demo, redis_caches):
    first = client.get("/it/services/LPT-013/", headers={"accept-encoding": "gzip"})
    keys = list(redis_caches.scan_iter(match=f"{PREFIX}-pages:*"))
    assert len(keys) == 1
    assert 0 < redis_caches.ttl(keys[0]) <= 3601  # PERTUTTI_RESPONSE_CACHE_SECONDS + 1
    second = client.get("/it/services/LPT-013/", headers={"accept-encoding": "gzip"})
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_hit_on_redis_reads_only_the_data_version(
    client, demo, redis_caches, django_assert_num_queries
):
    client.get("/ar/")
    with django_assert_num_queries(1):
        response = client.get("/ar/")
    assert response.status_code == 200


def test_a_page_stored_by_one_process_is_served_by_another(client, demo, redis_caches):
    """Another machine is another Django cache connection to the same server."""
    client.get("/en/")
    caches[CACHE_ALIAS].close()
    del caches[CACHE_ALIAS]  # a fresh connection, as in another process
    client.get("/en/")
    assert len(list(redis_caches.scan_iter(match=f"{PREFIX}-pages:*"))) == 1


def test_hourly_limits_count_atomically_in_redis(lodi, redis_caches):
    """Twenty clients on as many threads (machines, for Redis) record at once against a
    limit of 10: exactly ten pass, and the counter expires within the hour."""
    results: list[bool] = []
    barrier = threading.Barrier(20)

    def record() -> None:
        barrier.wait()
        results.append(ratelimits.hourly_record("test", "203.0.113.9", 10))

    threads = [threading.Thread(target=record) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 10 + [True] * 10
    assert ratelimits.hourly_exceeded("test", "203.0.113.9", 10)
    assert not ratelimits.hourly_exceeded("test", "198.51.100.1", 10)
    keys = list(redis_caches.scan_iter(match=f"{PREFIX}-default:*"))
    assert len(keys) == 1
    assert redis_caches.get(keys[0]) == b"20"  # a plain Redis integer: INCR is atomic
    assert 0 < redis_caches.ttl(keys[0]) <= ratelimits.WINDOW


def test_an_expired_counter_starts_again(lodi, redis_caches):
    assert ratelimits.hourly_record("test", "203.0.113.9", 1)
    key = next(redis_caches.scan_iter(match=f"{PREFIX}-default:*"))
    redis_caches.delete(key)  # what the end of the hour does
    assert ratelimits.hourly_record("test", "203.0.113.9", 1)
    assert not ratelimits.hourly_record("test", "203.0.113.9", 1)

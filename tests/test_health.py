"""GET /healthz: "ok" only when the database answers, migrations are applied and the search
index is loaded; otherwise 503 and one word, never an exception's text."""

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor

from pertutti import health
from pertutti.importing.services import services_import_file
from pertutti.search import index as search_index
from pertutti.search.indexing import search_index_update
from tests.conftest import service_row

SECRET = "password authentication failed for user pertutti at db.internal"


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """Each test is a process that has checked nothing and loaded no index yet."""
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(search_index, "_cache", {})


def assert_answer(response, status: int, word: str) -> None:
    assert response.status_code == status
    assert response.content.decode() == word
    assert response["Content-Type"].startswith("text/plain")
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_ok_when_database_migrations_and_index_are_ready(client, lodi):
    assert_answer(client.get("/healthz"), 200, "ok")


def test_head_is_answered_and_post_is_not(client, lodi):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_process_without_its_index_loads_it(client, lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    search_index_update(territory=lodi, embed=False)
    assert lodi.pk not in search_index._cache

    assert_answer(client.get("/healthz"), 200, "ok")
    assert search_index._cache[lodi.pk].size >= 1


def test_a_warm_process_answers_with_few_queries(
    client, lodi, write_csv, django_assert_max_num_queries
):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    search_index_update(territory=lodi, embed=False)
    client.get("/healthz")  # migrations checked once, index loaded
    with django_assert_max_num_queries(2):  # the territory and the index token
        assert_answer(client.get("/healthz"), 200, "ok")


def test_unapplied_migrations(client, lodi, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    assert_answer(client.get("/healthz"), 503, "migrating")
    assert health._migrations_applied is False  # checked again at the next probe


def test_database_down_tells_nothing_of_the_error(client, lodi, monkeypatch):
    def down():
        raise OperationalError(SECRET)

    monkeypatch.setattr(health, "current_territory", down)
    response = client.get("/healthz")
    assert_answer(response, 503, "unavailable")
    assert b"password" not in response.content


def test_database_down_while_checking_migrations(client, lodi, monkeypatch):
    def down(self, targets):
        raise OperationalError(SECRET)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", down)
    assert_answer(client.get("/healthz"), 503, "unavailable")


def test_database_down_while_reading_the_index(client, lodi, monkeypatch):
    def down(territory):
        raise OperationalError(SECRET)

    monkeypatch.setattr(health, "loaded_index", down)
    assert_answer(client.get("/healthz"), 503, "unavailable")


def test_index_that_cannot_be_loaded(client, lodi, monkeypatch):
    def broken(territory):
        raise MemoryError(SECRET)

    monkeypatch.setattr(health, "loaded_index", broken)
    response = client.get("/healthz")
    assert_answer(response, 503, "starting")
    assert b"password" not in response.content


def test_territory_not_loaded(client, db):
    assert_answer(client.get("/healthz"), 503, "unconfigured")


def test_not_redirected_to_https(client, lodi, settings):
    """Load balancers probe over plain http; every other path is redirected."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/it/").status_code == 301

"""Usage counts without a write per request: counted in memory, written in batches, pruned."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.search import usage
from pertutti.search.models import UsageCount, UsageKind
from pertutti.search.usage import (
    usage_count,
    usage_discard,
    usage_flush,
    usage_pending,
    usage_zero_result,
    zero_result_key,
)
from pertutti.translations.models import SourceText
from tests.conftest import service_row

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def counted_here_only(settings):
    """No flushing thread, and no counts left over from other tests."""
    settings.PERTUTTI_USAGE_FLUSH_SECONDS = 0
    usage_discard()
    yield
    usage_discard()


def written(sql_log) -> list[str]:
    return [q["sql"] for q in sql_log if q["sql"].lstrip().upper().startswith(WRITES)]


def rows(territory) -> dict[tuple[str, str], int]:
    return {
        (r.kind, r.key): r.count
        for r in UsageCount.objects.filter(territory=territory, day=timezone.localdate())
    }


def test_counts_add_up_in_memory_and_are_written_once(lodi, django_assert_num_queries):
    with django_assert_num_queries(0):
        for _ in range(100):
            usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")
        for _ in range(3):
            usage_count(territory_id=lodi.pk, kind=UsageKind.CATEGORY, key="salute")
        usage_zero_result(territory_id=lodi.pk, language="it", text="pizza")
    today = timezone.localdate()
    assert usage_pending()[(lodi.pk, today, "language", "ar")] == 100
    with CaptureQueriesContext(connection) as log:
        assert usage_flush() == 3
    assert len(written(log.captured_queries)) == 1  # one INSERT … ON CONFLICT for the batch
    assert rows(lodi) == {
        ("language", "ar"): 100,
        ("category", "salute"): 3,
        ("zero_result", "it\tpizza"): 1,
    }
    assert usage_pending() == {}
    with django_assert_num_queries(0):
        assert usage_flush() == 0  # nothing pending, nothing asked of the database


def test_a_flush_adds_to_the_rows_already_there(lodi):
    UsageCount.objects.create(
        territory=lodi, day=timezone.localdate(), kind="language", key="ar", count=5
    )
    for _ in range(3):
        usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")
    usage_flush()
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")
    usage_flush()
    assert rows(lodi) == {("language", "ar"): 9}
    assert UsageCount.objects.count() == 1


def test_counts_from_many_threads_are_not_lost(lodi):
    def count() -> None:
        for _ in range(500):
            usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ur")
            usage_count(territory_id=lodi.pk, kind=UsageKind.MUNICIPALITY, key="098031")

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage_flush()
    assert rows(lodi) == {("language", "ur"): 4000, ("municipality", "098031"): 4000}


def test_counts_are_kept_when_the_database_cannot_be_written(lodi, monkeypatch):
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")

    def locked(batch):
        usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")  # meanwhile
        raise OperationalError("database is locked")

    monkeypatch.setattr(usage, "_write", locked)
    with pytest.raises(OperationalError):
        usage_flush()
    assert usage_pending() == {(lodi.pk, timezone.localdate(), "language", "ar"): 2}
    monkeypatch.undo()
    usage_flush()
    assert rows(lodi) == {("language", "ar"): 2}


def test_counts_made_against_another_database_are_dropped(lodi, monkeypatch):
    """At the end of a test run the settings point to the real database again: counts made
    in the test database must not land there."""
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="ar")
    monkeypatch.setattr(usage, "_database", "another.sqlite3")
    assert usage_flush() == 0
    assert not UsageCount.objects.exists() and usage_pending() == {}


def test_zero_result_queries_are_grouped_by_their_normalised_words():
    assert zero_result_key("it", "  Perméssò   di SOGGIORNO ") == "it\tpermesso di soggiorno"
    assert zero_result_key("ar", "أمانة") == zero_result_key("ar", "امانه")
    assert zero_result_key("it", "x" * 500) == "it\t" + "x" * 200


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("aiuto mario.rossi@example.org", "aiuto [e-mail]"),
        ("chiamatemi 333 123 4567", "chiamatemi [number]"),
        ("+39 0371-123456 urgente", "[number] urgente"),
        ("RSSMRA80A01F205X permesso", "[fiscal code] permesso"),
        ("cap 26900 anno 2025 via roma 12", "cap 26900 anno 2025 via roma 12"),
    ],
)
def test_what_identifies_a_person_is_not_kept(typed, kept):
    assert zero_result_key("it", typed) == f"it\t{kept}"


def test_blank_keys_are_not_counted(lodi):
    usage_count(territory_id=lodi.pk, kind=UsageKind.CATEGORY, key="  ")
    usage_zero_result(territory_id=lodi.pk, language="", text="   ")
    usage_zero_result(territory_id=lodi.pk, language="it", text=" \t ")
    assert usage_pending() == {}


def test_the_flushing_thread_starts_with_the_first_count_only_when_enabled(
    lodi, settings, monkeypatch
):
    started, at_exit = [], []
    monkeypatch.setattr(usage, "_run", lambda: started.append(True))
    monkeypatch.setattr(usage.atexit, "register", lambda *args: at_exit.append(args))
    monkeypatch.setattr(usage, "_thread", None)
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="it")
    assert usage._thread is None  # PERTUTTI_USAGE_FLUSH_SECONDS = 0: only usage_flush writes
    settings.PERTUTTI_USAGE_FLUSH_SECONDS = 60
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="it")
    usage_count(territory_id=lodi.pk, kind=UsageKind.LANGUAGE, key="it")
    usage._thread.join()
    assert usage._thread.daemon and started == [True] and len(at_exit) == 1


@pytest.fixture
def two_services(lodi, write_csv):
    services_import_file(
        territory=lodi,
        path=write_csv([service_row(), service_row(codice="TST-002", servizio="Mensa")]),
    )
    return lodi


def test_a_public_page_never_writes(two_services, client):
    """A service page and a search with no result: counted, and not one INSERT or UPDATE."""
    lodi = two_services
    service = Service.objects.get(code="TST-001")
    with CaptureQueriesContext(connection) as log:
        assert client.get("/ar/services/TST-001/").status_code == 200
        response = client.get("/it/services/", {"q": "pizza margherita ricetta"})
        assert response.status_code == 200 and response.context["result_count"] == 0
        assert client.get("/it/categories/xyz-unknown/").status_code == 404
    assert written(log.captured_queries) == []
    today = timezone.localdate()
    assert usage_pending() == {
        (lodi.pk, today, "language", "ar"): 1,
        (lodi.pk, today, "language", "it"): 1,
        (lodi.pk, today, "zero_result", "it\tpizza margherita ricetta"): 1,
        (lodi.pk, today, usage.SERVICE_READ, str(service.pk)): 1,
    }
    # The page view reaches the translators' queue at the next flush.
    texts = SourceText.objects.filter(
        content_type=ContentType.objects.get_for_model(Service), object_id=service.pk
    )
    assert texts.exists() and set(texts.values_list("reads", flat=True)) == {0}
    usage_flush()
    assert set(texts.values_list("reads", flat=True)) == {1}
    assert not SourceText.objects.exclude(object_id=service.pk).filter(reads__gt=0).exists()


def test_category_and_municipality_pages_and_filters_are_counted(two_services, client):
    lodi = two_services
    category = Service.objects.get(code="TST-001").category.code
    municipality = lodi.municipalities.get(name="Lodi").istat_code
    client.get(f"/it/categories/{category}/")
    client.get("/it/services/", {"category": category, "municipality": municipality})
    client.get(f"/en/municipalities/{municipality}/")
    client.get("/it/privacy/")
    usage_flush()
    assert rows(lodi) == {
        ("category", category): 2,
        ("municipality", municipality): 2,
        ("language", "it"): 3,
        ("language", "en"): 1,
    }


def test_prune_deletes_counts_older_than_the_retention(lodi, settings):
    today = timezone.localdate()
    for days_ago in (0, 29, 30, 364, 365, 800):
        UsageCount.objects.create(
            territory=lodi, day=today - timedelta(days=days_ago), kind="language",
            key=f"d{days_ago}", count=1,
        )  # fmt: skip

    def kept() -> set[str]:
        return set(UsageCount.objects.values_list("key", flat=True))

    call_command("prune_usage")  # PERTUTTI_USAGE_RETENTION_DAYS: 365 by default
    assert kept() == {"d0", "d29", "d30", "d364"}
    settings.PERTUTTI_USAGE_RETENTION_DAYS = 400
    call_command("prune_usage")
    assert kept() == {"d0", "d29", "d30", "d364"}
    call_command("prune_usage", "--days", "30")
    assert kept() == {"d0", "d29"}
    with pytest.raises(CommandError):
        call_command("prune_usage", "--days", "0")
    assert kept() == {"d0", "d29"}

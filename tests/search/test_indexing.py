"""The index off the write path: texts written with the import, vectors computed after it
by the worker; stale documents found and repaired."""

import hashlib
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.importing.services import services_import, services_import_file
from pertutti.search import indexing, tasks
from pertutti.search.engine import search
from pertutti.search.filters import ServiceFilters
from pertutti.search.index import build_index
from pertutti.search.models import SearchDocument, SearchIndexState
from tests.conftest import service_row

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FakeEmbedder:
    """Four numbers per text, from its hash: fast, and different for different texts."""

    name = "fake-model"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.array(
            [
                np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.float32)
                for t in texts
            ]
        )


@pytest.fixture
def embedder(monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr(indexing, "get_embedder", lambda: fake)
    monkeypatch.setattr(indexing, "vector_model_name", lambda: fake.name)
    return fake


def rows(n: int = 3, **cells: str) -> list:
    from pertutti.importing.reading import SheetRow

    return [SheetRow(number=i + 2, cells=service_row(codice=f"IDX-{i}", **cells)) for i in range(n)]


def without_vector() -> int:
    return SearchDocument.objects.filter(vector=None).count()


def test_a_page_import_commits_with_its_texts_and_leaves_the_vectors_to_the_worker(
    lodi, embedder, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        report = services_import(
            territory=lodi,
            rows=rows(3, servizio="Sportello zanzibar"),
            reindex_in_background=True,
        )
    assert report.created == 3 and report.written
    assert SearchDocument.objects.count() == 3
    assert all("zanzibar" in d.text for d in SearchDocument.objects.all())
    assert without_vector() == 3 and embedder.embedded == []  # nothing embedded in the import
    [result] = default_task_backend.results
    assert result.task.func.__name__ == "search_vectors_task"
    assert result.kwargs == {"territory_id": lodi.pk}


def test_the_task_embeds_the_pending_documents_and_publishes_them(lodi, embedder, settings):
    settings.TASKS = DUMMY
    services_import(territory=lodi, rows=rows(3), reindex_in_background=True)
    token = SearchIndexState.objects.get(territory=lodi).token
    assert tasks.search_vectors_task.call(lodi.pk) == 3
    assert without_vector() == 0
    assert set(SearchDocument.objects.values_list("vector_model", flat=True)) == {"fake-model"}
    assert SearchIndexState.objects.get(territory=lodi).token != token  # processes rebuild
    assert tasks.search_vectors_task.call(lodi.pk) == 0  # nothing left
    assert len(embedder.embedded) == 3


def test_new_text_is_found_lexically_at_once_and_semantic_search_ignores_it_meanwhile(
    lodi, embedder, settings
):
    settings.TASKS = DUMMY
    services_import(territory=lodi, rows=rows(2), reindex_in_background=True)
    tasks.search_vectors_task.call(lodi.pk)
    changed = [service_row(codice="IDX-0", descrizione="Corsi di zanzibarese."), rows(2)[1].cells]
    services_import(territory=lodi, rows=rows_of(changed), reindex_in_background=True)
    first = Service.objects.get(code="IDX-0")
    assert SearchDocument.objects.get(service=first).vector is None  # its old vector is gone
    index = build_index(lodi)
    assert index.vector_service.tolist() == [Service.objects.get(code="IDX-1").pk]
    outcome = search(lodi, ServiceFilters(query="zanzibarese"), timezone.now(), ui_language="it")
    assert [r.service.code for r in outcome.results] == ["IDX-0"]


def rows_of(cells: list[dict]) -> list:
    from pertutti.importing.reading import SheetRow

    return [SheetRow(number=i + 2, cells=c) for i, c in enumerate(cells)]


def test_a_vector_of_a_text_changed_meanwhile_is_not_written(lodi, embedder, monkeypatch):
    services_import(territory=lodi, rows=rows(1), reindex_in_background=True)
    real = embedder.passages

    def passages_while_edited(texts):
        SearchDocument.objects.update(text="edited", fingerprint="f" * 64)  # a new import
        return real(texts)

    monkeypatch.setattr(embedder, "passages", passages_while_edited)
    assert indexing.search_vectors_update(territory=lodi) == 0
    assert SearchDocument.objects.get().vector is None  # waits for the next run


def test_the_command_embeds_after_its_commit_and_says_how_far_it_is(lodi, embedder, write_csv):
    out = StringIO()
    call_command("import_services", str(write_csv([r.cells for r in rows(3)])), stdout=out)
    assert without_vector() == 0
    assert "search vectors: 3/3" in out.getvalue()


def test_the_check_finds_the_documents_an_interrupted_import_left_stale(lodi, embedder):
    services_import(territory=lodi, rows=rows(3))
    assert indexing.search_index_check(territory=lodi).clean
    # What an import killed after its commit and before the index leaves: services
    # changed, documents not.
    Service.objects.filter(code__in=["IDX-0", "IDX-1"]).update(description="Nuovo testo.")
    Service.objects.filter(code="IDX-2").update(status="inactive")
    check = indexing.search_index_check(territory=lodi)
    ids = dict(Service.objects.values_list("code", "pk"))
    assert check.stale == [(ids["IDX-0"], "it"), (ids["IDX-1"], "it")]
    assert check.orphans == [(ids["IDX-2"], "it")]
    assert check.missing == [] and check.without_vector == 0 and not check.clean

    assert tasks.search_index_check_task.call(lodi.pk) == 3  # 2 rewritten, 1 removed
    assert indexing.search_index_check(territory=lodi).clean
    assert SearchDocument.objects.filter(text__contains="Nuovo testo.").count() == 2
    assert without_vector() == 0


def test_check_without_repair_writes_nothing_and_exits_1(lodi, embedder):
    services_import(territory=lodi, rows=rows(2))
    Service.objects.filter(code="IDX-0").update(name="Rinominato")
    SearchDocument.objects.filter(service__code="IDX-1").update(vector=None, vector_model="")
    token = SearchIndexState.objects.get(territory=lodi).token
    before = list(SearchDocument.objects.order_by("pk").values_list("text", "vector"))
    out = StringIO()
    with pytest.raises(CommandError, match="not up to date") as raised:
        call_command("update_search_index", "--check", stdout=out)
    assert raised.value.returncode == 1
    pk = Service.objects.get(code="IDX-0").pk
    assert (
        "search index of lodi: 2 documents; 1 stale, 0 missing, 0 orphans, "
        "1 without a current vector"
    ) in out.getvalue()
    assert f"stale: service {pk} [it]" in out.getvalue()
    assert list(SearchDocument.objects.order_by("pk").values_list("text", "vector")) == before
    assert SearchIndexState.objects.get(territory=lodi).token == token

    call_command("update_search_index", "--check", "--repair", stdout=out)  # exit code 0
    assert indexing.search_index_check(territory=lodi).clean
    out = StringIO()
    call_command("update_search_index", "--check", stdout=out)
    assert "0 stale, 0 missing, 0 orphans, 0 without a current vector" in out.getvalue()


def test_a_model_change_makes_every_vector_pending(lodi, embedder, monkeypatch):
    services_import(territory=lodi, rows=rows(2))
    monkeypatch.setattr(indexing, "vector_model_name", lambda: "another-model")
    assert indexing.search_index_check(territory=lodi).without_vector == 2
    assert indexing.search_documents_write(territory=lodi).pending == 2
    assert without_vector() == 2  # vectors of another model are never compared with queries


def test_bad_input_to_the_command_says_why(lodi, db):
    with pytest.raises(CommandError, match="territory 'atlantide' is not loaded"):
        call_command("update_search_index", "--check", "--territory", "atlantide")
    with pytest.raises(CommandError, match="--repair goes with --check"):
        call_command("update_search_index", "--repair")
    with pytest.raises(CommandError, match="--processes must be"):
        call_command("update_search_index", "--processes", "-1")


def test_a_territory_without_services_checks_clean_and_updates_to_nothing(lodi, embedder):
    out = StringIO()
    call_command("update_search_index", "--check", stdout=out)
    assert "search index of lodi: 0 documents; 0 stale" in out.getvalue()
    call_command("update_search_index", stdout=out)
    assert "0 documents written, 0 embedded, 0 removed, 0 without a vector" in out.getvalue()
    assert tasks.search_vectors_task.call(999_999) == 0  # a territory gone meanwhile
    assert tasks.search_index_check_task.call(999_999) == 0


def test_one_chain_of_checks_with_the_database_backend(lodi, settings):
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    path = tasks.search_index_check_task.module_path
    assert tasks.search_index_check_schedule(territory=lodi, delay=timedelta(minutes=60))
    assert not tasks.search_index_check_schedule(territory=lodi, delay=timedelta(minutes=90))
    # A worker's start wants one now: the one in an hour is too late for it.
    assert tasks.search_index_check_schedule(territory=lodi, delay=timedelta(0))
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 2
    assert not tasks.search_index_check_schedule(territory=lodi, delay=None)  # interval 0

    settings.TASKS = IMMEDIATE  # keeps nothing for later: no schedule
    assert not tasks.search_index_check_schedule(territory=lodi, delay=timedelta(0))


def test_the_check_enqueues_the_next_one(lodi, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    settings.PERTUTTI_SEARCH_CHECK_MINUTES = 30
    tasks.search_index_check_task.call(lodi.pk)
    [waiting] = DBTaskResult.objects.filter(task_path=tasks.search_index_check_task.module_path)
    assert waiting.status == "READY"
    assert 29 * 60 < (waiting.run_after - timezone.now()).total_seconds() <= 30 * 60


def test_a_worker_start_asks_for_a_check_without_doing_it(lodi, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from pertutti.search import warmup

    settings.TASKS = DATABASE
    settings.PERTUTTI_TERRITORY = lodi.slug
    monkeypatch.setattr(warmup.gc, "freeze", lambda: None)
    monkeypatch.setattr(indexing, "search_index_check", lambda **kw: pytest.fail("blocking"))
    warmup.search_warm_up()
    [check] = DBTaskResult.objects.filter(task_path=tasks.search_index_check_task.module_path)
    assert check.status == "READY" and check.run_after <= timezone.now()


def test_the_import_command_starts_the_chain_of_checks(lodi, settings, write_csv):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    call_command("import_services", str(write_csv([service_row()])), stdout=StringIO())
    assert DBTaskResult.objects.filter(
        task_path=tasks.search_index_check_task.module_path, status="READY"
    ).exists()


def test_services_import_file_embeds_before_returning(lodi, embedder, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    assert without_vector() == 0

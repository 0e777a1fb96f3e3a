"""The index as a file shared by the workers: written once per index token after the
documents commit, mapped read-only by every process, rebuilt under a lock when missing or
damaged, and old files removed; a process that cannot write it still answers."""

import contextlib
import fcntl
import logging
import os

import numpy as np
import pytest

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.search import index as index_module
from pertutti.search.index import (
    build_index,
    index_file_build,
    index_file_update,
    loaded_index,
)
from pertutti.search.index_file import (
    IndexFileError,
    index_file_lock,
    index_file_path,
    index_file_read,
    index_file_write,
    index_files_prune,
    smaps_rollup,
)
from pertutti.search.indexing import search_index_update
from pertutti.search.models import SearchIndexState
from pertutti.search.normalize import terms
from tests.conftest import DEMO_CSV


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    return lodi


@pytest.fixture(autouse=True)
def new_process(monkeypatch):
    """Each test is a worker that has loaded no index yet."""
    monkeypatch.setattr(index_module, "_cache", {})


def _token(territory) -> str:
    return SearchIndexState.objects.get(territory=territory).token.hex


def _files(directory) -> list[str]:
    return sorted(p.name for p in directory.glob("*.idx")) if directory.exists() else []


def _no_build(territory):
    raise AssertionError("the index was built again instead of mapped")


def test_the_indexer_writes_the_file_after_commit_and_workers_map_it(
    demo, search_index_dir, django_capture_on_commit_callbacks, monkeypatch
):
    service = Service.objects.get(territory=demo, code="LPT-026")
    service.name = "Ambulatorio del medico di famiglia"
    service.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert search_index_update(territory=demo).written == 1
        assert _files(search_index_dir) == []  # nothing before the documents commit
    path = index_file_path(demo.pk, _token(demo))
    assert _files(search_index_dir) == [path.name]

    monkeypatch.setattr(index_module, "index_arrays", _no_build)  # workers only map it
    index = loaded_index(demo)
    assert index.path == path
    assert index.version.hex == _token(demo)
    docs, scores = index.term_arrays["ambulator"]
    assert not docs.flags.writeable and not scores.flags.writeable  # shared pages, read-only
    assert index.term_arrays.docs.base is not None  # a view of the mapping, not a copy


def test_the_mapped_index_answers_as_the_one_built_in_memory(demo):
    mapped, built = loaded_index(demo), build_index(demo)
    assert mapped.path is not None and built.path is None
    assert mapped.size == built.size == 70
    assert len(mapped.term_arrays) == len(built.term_arrays)
    for term in ["dormitor", "serviz", "medic", "lod"]:
        for a, b in zip(mapped.term_arrays[term], built.term_arrays[term], strict=True):
            assert np.array_equal(a, b)
    assert list(mapped.term_arrays)[:50] == list(built.term_arrays)[:50]
    assert list(mapped.term_arrays) == sorted(mapped.term_arrays)
    assert mapped.term_arrays.get("nessuna-parola") is None
    assert "nessuna-parola" not in mapped.term_arrays and 3 not in mapped.term_arrays
    with pytest.raises(KeyError):
        mapped.term_arrays["nessuna-parola"]
    assert mapped.complete("dormi") == built.complete("dormi") != []
    assert mapped.close_terms("dormitorjo") == built.close_terms("dormitorjo") == ["dormitor"]
    services = mapped.services[:5].tolist()

    def categories(index):  # the category code of each service, as the index holds it
        return index.category_codes[index.position_category[index.positions(services)]]

    assert categories(mapped).tolist() == categories(built).tolist()
    codes = dict(Service.objects.filter(pk__in=services).values_list("pk", "category__code"))
    assert categories(mapped).tolist() == [codes[s] for s in services]
    assert mapped.languages == built.languages == {"it"}


def test_a_missing_file_is_built_once_then_mapped_by_every_worker(
    demo, search_index_dir, monkeypatch
):
    first = loaded_index(demo)  # first start: this worker builds the file
    assert _files(search_index_dir) == [index_file_path(demo.pk, _token(demo)).name]

    monkeypatch.setattr(index_module, "_cache", {})  # the other worker
    monkeypatch.setattr(index_module, "index_arrays", _no_build)
    second = loaded_index(demo)
    assert second is not first and second.path == first.path


def test_new_documents_give_a_new_file_and_the_old_one_is_removed(
    demo, search_index_dir, django_capture_on_commit_callbacks
):
    old = loaded_index(demo)
    service = Service.objects.get(territory=demo, code="LPT-039")
    service.name = "Dormitorio comunale Quokka"
    service.save()
    with django_capture_on_commit_callbacks(execute=True):
        search_index_update(territory=demo)
    new = loaded_index(demo)
    assert new is not old and new.path != old.path
    assert _files(search_index_dir) == [new.path.name]
    assert not old.path.exists()
    (word,) = terms("quokka", "it")
    assert word in new.term_arrays and word not in old.term_arrays
    # A search still running on the old index reads its mapping, file removed or not.
    assert old.term_arrays["dormitor"][1].sum() > 0


def test_a_damaged_file_is_rebuilt(demo, search_index_dir, caplog):
    path = index_file_build(demo)
    path.write_bytes(path.read_bytes()[:200])  # truncated (e.g. copied by hand)
    with caplog.at_level(logging.WARNING, logger="pertutti.search.index"):
        index = loaded_index(demo)
    assert "damaged" in caplog.text
    assert index.size == 70 and index.path == path
    assert index_file_read(path)[1]["size"] == 70


def test_without_a_writable_folder_the_index_is_kept_in_memory(demo, settings, tmp_path, caplog):
    (tmp_path / "a-file").write_text("")
    settings.PERTUTTI_SEARCH_INDEX_DIR = str(tmp_path / "a-file" / "search-index")
    with caplog.at_level(logging.WARNING, logger="pertutti.search.index"):
        index = loaded_index(demo)
        index_file_update(demo)  # the indexer's hook logs, never raises
    assert index.path is None and index.size == 70
    assert index.term_arrays["dormitor"][0].size > 0
    assert caplog.text.count("not written") == 2


def test_a_territory_never_indexed_has_no_file(lodi, search_index_dir):
    assert index_file_build(lodi) is None
    assert loaded_index(lodi).size == 0
    assert _files(search_index_dir) == []


def test_one_builder_at_a_time(demo, search_index_dir, monkeypatch):
    lock_file = search_index_dir / f"territory-{demo.pk}.lock"
    # While one holds the lock, another process trying it has to wait.
    with index_file_lock(demo.pk), lock_file.open("a") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    path = index_file_path(demo.pk, _token(demo))
    real_lock, real_arrays = index_module.index_file_lock, index_module.index_arrays

    @contextlib.contextmanager
    def lock_after_another_built(territory_id):
        with real_lock(territory_id):  # while this one waited, the holder wrote the file
            meta, arrays = real_arrays(demo)
            index_file_write(path, token=_token(demo), meta=meta, arrays=arrays)
            yield

    monkeypatch.setattr(index_module, "index_file_lock", lock_after_another_built)
    monkeypatch.setattr(index_module, "index_arrays", _no_build)
    assert index_file_build(demo) == path  # found done, not built again
    assert loaded_index(demo).path == path


def test_pruning_keeps_the_current_file_and_other_territories(search_index_dir):
    arrays = {"a": np.arange(3, dtype=np.int32)}
    current = index_file_path(1, "b" * 32)
    for path in [current, index_file_path(1, "a" * 32), index_file_path(12, "a" * 32)]:
        index_file_write(path, token=path.name, meta={}, arrays=arrays)
    crashed = search_index_dir / f".{index_file_path(1, 'c' * 32).name}.999.tmp"
    crashed.write_bytes(b"half")
    os.utime(crashed, (0, 0))  # left by a build that crashed long ago
    removed = index_files_prune(1, keep=current)
    assert sorted(p.name for p in removed) == sorted(
        [index_file_path(1, "a" * 32).name, crashed.name]
    )
    assert _files(search_index_dir) == sorted([current.name, index_file_path(12, "a" * 32).name])


def test_the_file_keeps_every_array_and_refuses_what_is_not_one(search_index_dir):
    path = search_index_dir / "x.idx"
    arrays = {
        "ints": np.arange(5, dtype=np.int64),
        "matrix": np.arange(12, dtype=np.float32).reshape(4, 3),
        "empty": np.zeros((0, 384), dtype=np.float32),
        "bytes": np.frombuffer("città".encode(), dtype=np.uint8),
    }
    size = index_file_write(path, token="t", meta={"size": 4, "codes": ["à"]}, arrays=arrays)
    assert size == path.stat().st_size
    token, meta, read = index_file_read(path)
    assert token == "t" and meta == {"size": 4, "codes": ["à"]}
    for name, array in arrays.items():
        assert read[name].dtype == array.dtype and np.array_equal(read[name], array)
    assert read["matrix"].ctypes.data % 64 == 0  # aligned for vectorised reads
    assert [p.name for p in search_index_dir.iterdir()] == ["x.idx"]  # no temporary left

    path.write_bytes(b"something else entirely")
    with pytest.raises(IndexFileError, match="not a search index"):
        index_file_read(path)
    path.write_bytes(b"PTS")
    with pytest.raises(IndexFileError, match="too short"):
        index_file_read(path)
    with pytest.raises(FileNotFoundError):
        index_file_read(search_index_dir / "none.idx")


def test_memory_of_a_process_is_read_from_smaps_rollup():
    memory = smaps_rollup()
    assert memory["Rss"] > 0 and 0 < memory["Pss"] <= memory["Rss"]
    assert 0 < memory["Uss"] <= memory["Pss"]
    assert smaps_rollup(2**31) == {}  # no such process

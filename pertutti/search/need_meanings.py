"""The vocabulary by meaning: every term of data/vocabulary.json embedded once as a query
would be ("query: <term>"), kept in data/vocabulary_vectors.npz with the fingerprint of the
vocabulary it was computed from and the model's name.

A search's own query vector (computed anyway for the semantic ranking) is compared with
these: when it is nearly the same as a term (cosine >= NEED_SIMILARITY), the query names that
term's need, in words the vocabulary does not list ("мне негде жить" is next to "негде
спать"). Between two queries e5's similarity separates far better than between a query and a
passage: on the dev part, random letters come no nearer to any term than 0.93, while 547 of
576 real queries are at 0.90 or more from a term of the right need (docs/search.md).

The file is built by `manage.py embed_vocabulary` (about two minutes on 2 cores) and
checked by the tests: a vocabulary changed without it fails CI. A file that does not fit the
vocabulary or the model is not used (the search goes on with the vocabulary's words alone,
and says so in the log).
"""

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pertutti.search.embeddings import get_embedder
from pertutti.search.vocabulary import VOCABULARY_FILE, Need, vocabulary

logger = logging.getLogger(__name__)
VECTORS_FILE = VOCABULARY_FILE.with_name("vocabulary_vectors.npz")
NEED_SIMILARITY = 0.93
BATCH = 64


@dataclass(frozen=True)
class NeedVectors:
    vectors: np.ndarray  # one float32 row per term, unit length
    needs: tuple[str, ...]  # the need id of each row
    terms: tuple[str, ...]


def vocabulary_fingerprint() -> str:
    return hashlib.sha256(VOCABULARY_FILE.read_bytes()).hexdigest()


def vocabulary_terms() -> list[tuple[str, str]]:
    """(need id, term) for every term of every language, in the file's order."""
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return [
        (item["id"], term)
        for item in data["needs"]
        for terms in item["terms"].values()
        for term in terms
    ]


def need_vectors_build(path: Path | None = None) -> int:
    """Embed every term with the configured model and write the file atomically; returns
    the number of terms."""
    path = path or VECTORS_FILE
    embedder = get_embedder()
    if embedder is None:
        raise RuntimeError("no embeddings backend: set PERTUTTI_EMBEDDINGS")
    pairs = vocabulary_terms()
    terms = [term for _, term in pairs]
    vectors = np.concatenate(
        [embedder.queries(terms[i : i + BATCH]) for i in range(0, len(terms), BATCH)]
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(handle, "wb") as file:
        np.savez_compressed(
            file,
            vectors=vectors.astype(np.float16),  # half the size; the cosine moves < 0.001
            needs=np.array([need for need, _ in pairs]),
            terms=np.array(terms),
            fingerprint=np.array(vocabulary_fingerprint()),
            model=np.array(embedder.name),
        )
    os.chmod(temporary, 0o644)  # mkstemp's file is private; this one is part of the code
    os.replace(temporary, path)
    return len(terms)


def stored_fingerprint(path: Path | None = None) -> tuple[str, str] | None:
    """(vocabulary fingerprint, model name) the file was built from; None without a file."""
    path = path or VECTORS_FILE
    if not path.is_file():
        return None
    with np.load(path) as data:
        return str(data["fingerprint"]), str(data["model"])


@lru_cache(maxsize=1)
def need_vectors() -> NeedVectors | None:
    """The vectors, if the file fits the vocabulary and the configured model (once per
    process)."""
    embedder = get_embedder()
    if embedder is None:
        return None
    stored = stored_fingerprint()
    if stored != (vocabulary_fingerprint(), embedder.name):
        logger.warning(
            "%s does not fit the vocabulary or the model (run manage.py embed_vocabulary): "
            "needs are found by their listed words only",
            VECTORS_FILE.name,
        )
        return None
    with np.load(VECTORS_FILE) as data:
        vectors = data["vectors"].astype(np.float32)
        needs = tuple(str(n) for n in data["needs"])
        terms = tuple(str(t) for t in data["terms"])
    return NeedVectors(vectors, needs, terms)


def needs_by_meaning(query_vector: np.ndarray | None) -> list[tuple[Need, str]]:
    """The need (and its term) whose term the query is nearly the same as, if any."""
    table = need_vectors()
    if table is None or query_vector is None:
        return []
    similarities = table.vectors @ query_vector
    best = int(np.argmax(similarities))
    if similarities[best] < NEED_SIMILARITY:
        return []
    need = vocabulary().needs.get(table.needs[best])
    return [(need, table.terms[best])] if need else []

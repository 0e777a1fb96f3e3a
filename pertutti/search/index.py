"""The in-memory search index of a territory, built from SearchDocument rows.

One process-wide copy per territory, rebuilt when the documents change (SearchIndexState,
read before every search). Inverted lists for BM25, a trigram map of the vocabulary for typo
tolerance, and a matrix of document vectors for semantic retrieval: the same code and the
same answers on SQLite and PostgreSQL.
"""

import bisect
import math
import threading
import uuid
from array import array
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from pertutti.directory.models import Service
from pertutti.search.models import SearchDocument, SearchIndexState
from pertutti.search.normalize import is_typo_tolerant, terms, words
from pertutti.territories.models import Territory

K1, B = 1.2, 0.75


@dataclass
class LoadedIndex:
    """Plain numpy arrays and a few dicts of strings: a 50,000-service index holds millions
    of postings, and as Python tuples they cost ~600 MB and long garbage-collector pauses
    in every request; as arrays they cost neither."""

    version: uuid.UUID | None
    size: int = 0  # documents
    # Per term, its documents and their precomputed BM25 scores (vectorised ranking).
    term_arrays: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    sorted_terms: list[str] = field(default_factory=list)
    trigrams: dict[str, set[str]] = field(default_factory=dict)
    # Documents map to dense service positions so that per-service maxima are one call.
    doc_position: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    services: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    position_category: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))
    vectors: np.ndarray | None = None
    vector_service: np.ndarray | None = None
    languages: set[str] = field(default_factory=set)  # languages with documents

    def categories(self, service_ids: list[int]) -> np.ndarray:
        """Category code of each service (services of this index only)."""
        positions = np.searchsorted(self.services, np.asarray(service_ids, dtype=np.int64))
        return self.position_category[positions]

    def document_frequency(self, term: str) -> int:
        found = self.term_arrays.get(term)
        return 0 if found is None else len(found[0])

    def complete(self, text: str, limit: int = 6) -> list[int]:
        """Services whose words start with the last word typed (suggestions while typing):
        most matching words first, then the order they were found in."""
        typed = words(text)
        if not typed:
            return []
        prefix = typed[-1]
        start = bisect.bisect_left(self.sorted_terms, prefix)
        matching = []
        for term in self.sorted_terms[start : start + 200]:
            if not term.startswith(prefix):
                break
            matching.append(self.term_arrays[term][0])
        if not matching:
            return []
        positions = self.doc_position[np.concatenate(matching)]
        found, first, counts = np.unique(positions, return_index=True, return_counts=True)
        best = np.lexsort((first, -counts))[:limit]
        return self.services[found[best]].tolist()

    def close_terms(self, word: str, limit: int = 3) -> list[str]:
        """Vocabulary terms within one edit (two for long words) of a misspelt word."""
        if not is_typo_tolerant(word):
            return []
        grams = _trigrams(word)
        counts: dict[str, int] = defaultdict(int)
        for gram in grams:
            for term in self.trigrams.get(gram, ()):
                counts[term] += 1
        allowed = 1 if len(word) < 7 else 2
        need = max(1, len(grams) - 3 * allowed)
        found = [
            (d, term)
            for term, shared in counts.items()
            if shared >= need
            and abs(len(term) - len(word)) <= allowed
            and (d := _distance(word, term, allowed)) <= allowed
        ]
        return [term for _, term in sorted(found)[:limit]]


def _trigrams(word: str) -> set[str]:
    padded = f"#{word}#"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) as soon as it exceeds `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _version(territory: Territory) -> uuid.UUID | None:
    return (
        SearchIndexState.objects.filter(territory=territory).values_list("token", flat=True).first()
    )


def build_index(territory: Territory) -> LoadedIndex:
    index = LoadedIndex(version=_version(territory))
    # Postings as compact arrays while reading (no tuple per posting), numpy at the end.
    posting_docs: dict[str, array] = defaultdict(lambda: array("i"))
    posting_tfs: dict[str, array] = defaultdict(lambda: array("i"))
    doc_service, doc_length, languages = array("q"), array("i"), set()
    vectors, vector_service = [], []
    rows = SearchDocument.objects.filter(service__territory=territory).values_list(
        "service_id", "language", "text", "vector"
    )
    for service_id, language, text, vector in rows.iterator(chunk_size=2000):
        doc = len(doc_service)
        doc_service.append(service_id)
        languages.add(language)
        counts: dict[str, int] = defaultdict(int)
        for term in terms(text, language):
            counts[term] += 1
        doc_length.append(sum(counts.values()))
        for term, tf in counts.items():
            posting_docs[term].append(doc)
            posting_tfs[term].append(tf)
        if vector:
            vectors.append(np.frombuffer(bytes(vector), dtype=np.float32))
            vector_service.append(service_id)
    index.size = len(doc_service)
    index.languages = languages
    lengths = np.frombuffer(doc_length, dtype=np.int32).astype(np.float32)
    average = float(lengths.mean()) if index.size else 1.0
    norms = K1 * (1 - B + B * lengths / average)
    for term, docs_array in posting_docs.items():
        docs = np.frombuffer(docs_array, dtype=np.int32).copy()
        tf = np.frombuffer(posting_tfs[term], dtype=np.int32).astype(np.float32)
        df = len(docs)
        idf = math.log(1 + (index.size - df + 0.5) / (df + 0.5))
        scores = (idf * tf * (K1 + 1) / (tf + norms[docs])).astype(np.float32)
        index.term_arrays[term] = (docs, scores)
    del posting_docs, posting_tfs
    index.sorted_terms = sorted(index.term_arrays)
    services = np.frombuffer(doc_service, dtype=np.int64)
    index.services = np.unique(services)
    index.doc_position = np.searchsorted(index.services, services).astype(np.int32)
    category = dict(Service.objects.filter(territory=territory).values_list("pk", "category__code"))
    index.position_category = np.array(
        [category.get(s, "") for s in index.services.tolist()], dtype=str
    )
    trigrams: dict[str, set[str]] = defaultdict(set)
    for term in index.sorted_terms:
        if is_typo_tolerant(term):
            for gram in _trigrams(term):
                trigrams[gram].add(term)
    index.trigrams = dict(trigrams)
    if vectors:
        index.vectors = np.vstack(vectors)
        index.vector_service = np.array(vector_service)
    return index


_cache: dict[int, LoadedIndex] = {}
_lock = threading.Lock()


def loaded_index(territory: Territory) -> LoadedIndex:
    """The territory's index, rebuilt when its documents changed. While one thread
    rebuilds (seconds on a large territory), the others answer from the previous index
    instead of queueing behind it."""
    version = _version(territory)
    index = _cache.get(territory.pk)
    if version is None:
        return build_index(territory)  # never indexed: nothing (or nothing known) to cache
    if index is not None and index.version == version:
        return index
    if not _lock.acquire(blocking=index is None):
        return index  # type: ignore[return-value]  # not None: it blocks when None
    try:
        index = _cache.get(territory.pk)
        if index is None or index.version != version:
            index = build_index(territory)
            _cache[territory.pk] = index
    finally:
        _lock.release()
    return index

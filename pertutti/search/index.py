"""The in-memory search index of a territory, built from SearchDocument rows.

One process-wide copy per territory, rebuilt when the documents change (checked with one
cheap query per search). Inverted lists for BM25, a trigram map of the vocabulary for typo
tolerance, and a matrix of document vectors for semantic retrieval: the same code and the
same answers on SQLite and PostgreSQL.
"""

import bisect
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from pertutti.directory.models import Service
from pertutti.search.models import SearchDocument
from pertutti.search.normalize import is_typo_tolerant, terms, words
from pertutti.territories.models import Territory

K1, B = 1.2, 0.75


@dataclass
class LoadedIndex:
    version: tuple[object, ...]
    doc_service: list[int] = field(default_factory=list)
    doc_language: list[str] = field(default_factory=list)
    doc_length: list[int] = field(default_factory=list)
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    trigrams: dict[str, set[str]] = field(default_factory=dict)
    vectors: np.ndarray | None = None
    vector_service: np.ndarray | None = None
    average_length: float = 1.0
    service_category: dict[int, str] = field(default_factory=dict)
    sorted_terms: list[str] = field(default_factory=list)
    # Vectorised BM25: per term, its documents and their precomputed scores; documents map
    # to dense service positions so that per-service maxima are one numpy call.
    term_arrays: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    doc_position: np.ndarray | None = None  # document -> dense service position
    services: np.ndarray | None = None  # dense service position -> service id
    position_category: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)  # languages with documents

    @property
    def size(self) -> int:
        return len(self.doc_service)

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5)) if df else 0.0

    def bm25(self, term: str) -> dict[int, float]:
        """Score of every document containing `term`."""
        idf = self.idf(term)
        scores = {}
        for doc, tf in self.postings.get(term, ()):
            norm = K1 * (1 - B + B * self.doc_length[doc] / self.average_length)
            scores[doc] = idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def complete(self, text: str, limit: int = 6) -> list[int]:
        """Services whose words start with the last word typed (suggestions while typing)."""
        typed = words(text)
        if not typed:
            return []
        prefix, found = typed[-1], {}
        start = bisect.bisect_left(self.sorted_terms, prefix)
        for term in self.sorted_terms[start : start + 200]:
            if not term.startswith(prefix):
                break
            for doc, _ in self.postings[term]:
                service = self.doc_service[doc]
                found[service] = found.get(service, 0) + 1
        return sorted(found, key=lambda s: -found[s])[:limit]

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


def _version(territory: Territory) -> tuple[object, ...]:
    row = SearchDocument.objects.filter(service__territory=territory).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    return (row["n"], row["last"])


def build_index(territory: Territory) -> LoadedIndex:
    index = LoadedIndex(version=_version(territory))
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    vectors, vector_service = [], []
    rows = SearchDocument.objects.filter(service__territory=territory).values_list(
        "service_id", "language", "text", "vector"
    )
    for service_id, language, text, vector in rows.iterator(chunk_size=2000):
        doc = index.size
        index.doc_service.append(service_id)
        index.doc_language.append(language)
        counts: dict[str, int] = defaultdict(int)
        for term in terms(text, language):
            counts[term] += 1
        index.doc_length.append(sum(counts.values()))
        for term, tf in counts.items():
            postings[term].append((doc, tf))
        if vector:
            vectors.append(np.frombuffer(bytes(vector), dtype=np.float32))
            vector_service.append(service_id)
    index.postings = dict(postings)
    index.sorted_terms = sorted(index.postings)
    index.average_length = (sum(index.doc_length) / index.size) if index.size else 1.0
    for term in index.postings:
        scores = index.bm25(term)
        docs = np.fromiter(scores.keys(), dtype=np.int32, count=len(scores))
        values = np.fromiter(scores.values(), dtype=np.float32, count=len(scores))
        index.term_arrays[term] = (docs, values)
    service_ids = sorted(set(index.doc_service))
    dense = {sid: i for i, sid in enumerate(service_ids)}
    index.services = np.array(service_ids, dtype=np.int64)
    index.doc_position = np.array([dense[s] for s in index.doc_service], dtype=np.int32)
    index.languages = set(index.doc_language)
    index.service_category = dict(
        Service.objects.filter(territory=territory).values_list("pk", "category__code")
    )
    index.position_category = [index.service_category.get(s, "") for s in service_ids]
    trigrams: dict[str, set[str]] = defaultdict(set)
    for term in index.postings:
        if is_typo_tolerant(term):
            for gram in _trigrams(term):
                trigrams[gram].add(term)
    index.trigrams = dict(trigrams)
    if vectors:
        index.vectors = np.vstack(vectors)
        index.vector_service = np.array(vector_service)
    return index


_cache: dict[int, LoadedIndex] = {}
_checked: dict[int, float] = {}
_lock = threading.Lock()


def loaded_index(territory: Territory) -> LoadedIndex:
    index = _cache.get(territory.pk)
    now = time.monotonic()
    # Checking the version costs a COUNT/MAX over every document (50 ms at 50,000 services),
    # so a process looks at most every PERTUTTI_SEARCH_RECHECK_SECONDS.
    recheck = settings.PERTUTTI_SEARCH_RECHECK_SECONDS
    if index is not None and now - _checked.get(territory.pk, 0.0) < recheck:
        return index
    _checked[territory.pk] = now
    version = _version(territory)
    if index is None or index.version != version:
        with _lock:
            index = _cache.get(territory.pk)
            if index is None or index.version != version:
                index = build_index(territory)
                _cache[territory.pk] = index
    return index


def forget(territory: Territory) -> None:
    """After writing documents in this process: check the version at the next search."""
    _checked.pop(territory.pk, None)

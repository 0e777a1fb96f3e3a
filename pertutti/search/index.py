"""The search index of a territory, built from SearchDocument rows.

Built once per index token by the indexer (or by the first worker that needs it) into a
file that every worker process maps (`index_file`): the arrays are shared, not copied per
worker. Each process keeps the loaded index in a dict and compares tokens (SearchIndexState,
read before every search) to know when to switch to a newer file. Inverted lists for BM25,
a trigram map of the vocabulary for typo tolerance, and a matrix of document vectors for
semantic retrieval: the same code and the same answers on SQLite and PostgreSQL.
"""

import logging
import math
import threading
import time
import uuid
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from pertutti.directory.models import Service
from pertutti.search.index_file import (
    IndexFileError,
    index_file_lock,
    index_file_path,
    index_file_read,
    index_file_write,
    index_files_prune,
)
from pertutti.search.models import SearchDocument, SearchIndexState
from pertutti.search.normalize import is_typo_tolerant, terms, words
from pertutti.territories.models import Territory

logger = logging.getLogger(__name__)
K1, B = 1.2, 0.75
# Typo tolerance must cost no more than a few ordinary look-ups, whatever the word: its
# rarest trigrams are read until about this many term ids (common ones like "zio" list tens
# of thousands of terms), and at most this many candidates (those sharing the most of the
# trigrams read) get an edit distance.
GRAM_POSTINGS_BUDGET = 30_000
CLOSE_CANDIDATES_MAX = 100
TYPO_WORD_MAX = 40  # characters; longer "words" (pasted codes, URLs) are not corrected
COMPLETE_TERMS_MAX = 200


def _empty(dtype: type) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


class SortedStrings:
    """Sorted strings as one UTF-8 blob and offsets (binary search): no Python object per
    string, so a vocabulary of a million terms costs its bytes, shared by the workers.
    UTF-8 byte order is code point order, Python's order of str."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob = memoryview(blob)
        self._offsets = memoryview(offsets)  # indexing a memoryview gives Python ints
        self._count = len(offsets) - 1 if len(offsets) else 0

    @classmethod
    def of(cls, strings: list[str]) -> "SortedStrings":
        encoded = [s.encode() for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return self._count

    def encoded(self, i: int) -> bytes:
        return bytes(self._blob[self._offsets[i] : self._offsets[i + 1]])

    def __getitem__(self, i: int) -> str:
        return self.encoded(i).decode()

    def lower_bound(self, key: str) -> int:
        """Position of the first string >= key."""
        target, low, high = key.encode(), 0, self._count
        while low < high:
            middle = (low + high) // 2
            if self.encoded(middle) < target:
                low = middle + 1
            else:
                high = middle
        return low

    def find(self, key: str) -> int:
        """Position of `key`, or -1."""
        i = self.lower_bound(key)
        return i if i < self._count and self.encoded(i) == key.encode() else -1


class TermArrays(Mapping[str, tuple[np.ndarray, np.ndarray]]):
    """Term → (documents int32, BM25 scores float32), the postings of every term
    concatenated in term order (CSR): a term's arrays are two slices, no copy."""

    def __init__(
        self,
        terms: SortedStrings,
        offsets: np.ndarray,
        docs: np.ndarray,
        scores: np.ndarray,
    ) -> None:
        self.terms, self.offsets, self.docs, self.scores = terms, offsets, docs, scores

    @classmethod
    def empty(cls) -> "TermArrays":
        return cls(SortedStrings.of([]), _empty(np.int64), _empty(np.int32), _empty(np.float32))

    def postings(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.docs[start:end], self.scores[start:end]

    def frequency(self, i: int) -> int:
        return int(self.offsets[i + 1] - self.offsets[i])

    def __getitem__(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        i = self.terms.find(term) if isinstance(term, str) else -1
        if i < 0:
            raise KeyError(term)
        return self.postings(i)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.terms.find(term) >= 0

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[str]:
        return (self.terms[i] for i in range(len(self.terms)))


@dataclass
class LoadedIndex:
    """Plain numpy arrays (views of the shared file once loaded) and no Python object per
    term or posting: no memory per worker beyond the mapping, no garbage-collector walks."""

    version: uuid.UUID | None
    size: int = 0  # documents
    # Per term, its documents and their precomputed BM25 scores (vectorised ranking).
    term_arrays: TermArrays = field(default_factory=TermArrays.empty)
    term_lengths: np.ndarray = field(default_factory=lambda: _empty(np.int32))  # characters
    # Trigram → terms (ids in term_arrays) of the typo-tolerant vocabulary, CSR as well.
    grams: SortedStrings = field(default_factory=lambda: SortedStrings.of([]))
    gram_offsets: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    gram_terms: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    # Documents map to dense service positions so that per-service maxima are one call.
    doc_position: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    services: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    position_category: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    category_codes: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=str))
    vectors: np.ndarray | None = None
    vector_service: np.ndarray | None = None
    languages: set[str] = field(default_factory=set)  # languages with documents
    path: Path | None = None  # the mapped file, None when built in memory

    def positions(self, service_ids: list[int]) -> np.ndarray:
        """Dense position of each service (services of this index only)."""
        return np.searchsorted(self.services, np.asarray(service_ids, dtype=np.int64))

    @cached_property
    def _category_number(self) -> dict[str, int]:
        return {code: n for n, code in enumerate(self.category_codes.tolist())}

    def category_numbers(self, codes: Iterable[str]) -> np.ndarray:
        """The numbers (as in `position_category`) of these category codes, those the index
        knows: comparing numbers, not strings, costs a search far less."""
        known = self._category_number
        return np.array(sorted({known[c] for c in codes if c in known}), dtype=np.int32)

    def in_categories(self, service_ids: list[int], codes: Iterable[str]) -> np.ndarray:
        """Whether each service is of one of these category codes (compared by number)."""
        categories = self.position_category[self.positions(service_ids)]
        return np.isin(categories, self.category_numbers(codes))

    def document_frequency(self, term: str) -> int:
        i = self.term_arrays.terms.find(term)
        return 0 if i < 0 else self.term_arrays.frequency(i)

    def complete(self, text: str, limit: int = 6) -> list[int]:
        """Services whose words start with the last word typed (suggestions while typing):
        most matching words first, then the order they were found in."""
        typed = words(text)
        if not typed:
            return []
        prefix = typed[-1].encode()
        vocabulary = self.term_arrays.terms
        start = vocabulary.lower_bound(typed[-1])
        matching = []
        for i in range(start, min(start + COMPLETE_TERMS_MAX, len(vocabulary))):
            if not vocabulary.encoded(i).startswith(prefix):
                break
            matching.append(self.term_arrays.postings(i)[0])
        if not matching:
            return []
        positions = self.doc_position[np.concatenate(matching)]
        found, first, counts = np.unique(positions, return_index=True, return_counts=True)
        best = np.lexsort((first, -counts))[:limit]
        return self.services[found[best]].tolist()

    def close_terms(self, word: str, limit: int = 3) -> list[str]:
        """Vocabulary terms within one edit (two for long words) of a misspelt word. Bounded
        work: only the word's rarest trigrams are read (GRAM_POSTINGS_BUDGET), and only the
        CLOSE_CANDIDATES_MAX terms sharing the most of them are compared letter by letter."""
        if not is_typo_tolerant(word) or len(word) > TYPO_WORD_MAX:
            return []
        allowed = 1 if len(word) < 7 else 2
        spans = []
        for gram in sorted(_trigrams(word)):
            i = self.grams.find(gram)
            if i >= 0:  # a trigram no term has: one the typo made
                start, end = int(self.gram_offsets[i]), int(self.gram_offsets[i + 1])
                spans.append((end - start, start, end))
        # An edit changes at most 3 trigrams: a term within `allowed` edits shares all but
        # 3 * allowed of any trigrams read, so reading 3 * allowed + 1 of them (the rarest)
        # finds every such term; more, within the budget, make the count more telling.
        lists, read = [], 0
        for size, start, end in sorted(spans):
            if len(lists) > 3 * allowed and read + size > GRAM_POSTINGS_BUDGET:
                break
            lists.append(self.gram_terms[start:end])
            read += size
        if not lists:
            return []
        need = max(1, len(lists) - 3 * allowed)
        candidates, shared = np.unique(np.concatenate(lists), return_counts=True)
        near = (shared >= need) & (np.abs(self.term_lengths[candidates] - len(word)) <= allowed)
        candidates, shared = candidates[near], shared[near]
        if len(candidates) > CLOSE_CANDIDATES_MAX:
            keep = np.argsort(-shared, kind="stable")[:CLOSE_CANDIDATES_MAX]
            candidates = np.sort(candidates[keep])
        vocabulary = self.term_arrays.terms
        found = []
        for i in candidates.tolist():
            term = vocabulary[i]
            if (d := _distance(word, term, allowed)) <= allowed:
                found.append((d, term))
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


def vocabulary_arrays(vocabulary: list[str]) -> dict[str, np.ndarray]:
    """The sorted terms and the trigram map of the typo-tolerant ones (ids of the terms)."""
    grams: dict[str, array] = defaultdict(lambda: array("i"))
    for i, term in enumerate(vocabulary):
        if is_typo_tolerant(term):
            for gram in _trigrams(term):
                grams[gram].append(i)
    gram_list = sorted(grams)
    gram_offsets = np.zeros(len(gram_list) + 1, dtype=np.int64)
    np.cumsum([len(grams[g]) for g in gram_list], out=gram_offsets[1:])
    term_strings, gram_strings = SortedStrings.of(vocabulary), SortedStrings.of(gram_list)
    return {
        "term_blob": np.asarray(term_strings._blob),
        "term_offsets": np.asarray(term_strings._offsets),
        "term_lengths": np.array([len(t) for t in vocabulary], dtype=np.int32),
        "gram_blob": np.asarray(gram_strings._blob),
        "gram_offsets_strings": np.asarray(gram_strings._offsets),
        "gram_offsets": gram_offsets,
        "gram_terms": np.frombuffer(b"".join(grams[g].tobytes() for g in gram_list), np.int32),
    }


def index_arrays(territory: Territory) -> tuple[dict, dict[str, np.ndarray]]:
    """Everything the index holds, computed from the territory's documents: plain metadata
    and named arrays (what the file stores)."""
    # Postings as compact arrays while reading (no tuple per posting), numpy at the end.
    posting_docs: dict[str, array] = defaultdict(lambda: array("i"))
    posting_tfs: dict[str, array] = defaultdict(lambda: array("i"))
    doc_service, doc_length, languages = array("q"), array("i"), set()
    vector_bytes, vector_service, dimensions, mismatched = bytearray(), array("q"), 0, 0
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
            dimensions = dimensions or len(vector) // 4
            if len(vector) != dimensions * 4:
                mismatched += 1  # another model's vector, while re-embedding: left out
                continue
            vector_bytes += vector
            vector_service.append(service_id)
    if mismatched:
        logger.warning("search index: %d vectors of another size left out", mismatched)
    size = len(doc_service)
    lengths = np.frombuffer(doc_length, dtype=np.int32).astype(np.float32)
    average = float(lengths.mean()) if size else 1.0
    norms = K1 * (1 - B + B * lengths / average)
    vocabulary = sorted(posting_docs)
    frequencies = np.array([len(posting_docs[t]) for t in vocabulary], dtype=np.int64)
    posting_offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(frequencies, out=posting_offsets[1:])
    docs = np.empty(int(posting_offsets[-1]), dtype=np.int32)
    tfs = np.empty(len(docs), dtype=np.float32)
    for i, term in enumerate(vocabulary):
        start, end = posting_offsets[i], posting_offsets[i + 1]
        docs[start:end] = np.frombuffer(posting_docs.pop(term), dtype=np.int32)
        tfs[start:end] = np.frombuffer(posting_tfs.pop(term), dtype=np.int32)
    idf = np.array(
        [math.log(1 + (size - df + 0.5) / (df + 0.5)) for df in frequencies.tolist()],
        dtype=np.float32,
    )
    # BM25 in float32 as the ranking adds it up.
    scores = np.repeat(idf, frequencies) * tfs * np.float32(K1 + 1) / (tfs + norms[docs])
    del tfs
    services_of_docs = np.frombuffer(doc_service, dtype=np.int64)
    services = np.unique(services_of_docs)
    category = dict(Service.objects.filter(territory=territory).values_list("pk", "category__code"))
    codes = sorted({c or "" for c in category.values()} | {""})
    code_number = {c: n for n, c in enumerate(codes)}
    arrays = {
        **vocabulary_arrays(vocabulary),
        "posting_offsets": posting_offsets,
        "posting_docs": docs,
        "posting_scores": scores.astype(np.float32, copy=False),
        "doc_position": np.searchsorted(services, services_of_docs).astype(np.int32),
        "services": services,
        "position_category": np.array(
            [code_number[category.get(s) or ""] for s in services.tolist()], dtype=np.int32
        ),
        "vectors": np.frombuffer(vector_bytes, dtype=np.float32).reshape(-1, dimensions or 1),
        "vector_service": np.frombuffer(vector_service, dtype=np.int64),
    }
    meta = {"size": size, "languages": sorted(languages), "category_codes": codes}
    return meta, arrays


def _loaded(version: uuid.UUID | None, meta: dict, arrays: dict, path: Path | None) -> LoadedIndex:
    has_vectors = len(arrays["vector_service"]) > 0
    return LoadedIndex(
        version=version,
        size=meta["size"],
        term_arrays=TermArrays(
            SortedStrings(arrays["term_blob"], arrays["term_offsets"]),
            arrays["posting_offsets"],
            arrays["posting_docs"],
            arrays["posting_scores"],
        ),
        term_lengths=arrays["term_lengths"],
        grams=SortedStrings(arrays["gram_blob"], arrays["gram_offsets_strings"]),
        gram_offsets=arrays["gram_offsets"],
        gram_terms=arrays["gram_terms"],
        doc_position=arrays["doc_position"],
        services=arrays["services"],
        position_category=arrays["position_category"],
        category_codes=np.array(meta["category_codes"], dtype=str),
        vectors=arrays["vectors"] if has_vectors else None,
        vector_service=arrays["vector_service"] if has_vectors else None,
        languages=set(meta["languages"]),
        path=path,
    )


def build_index(territory: Territory) -> LoadedIndex:
    """The index in this process's memory, not shared (a territory never indexed, tests,
    or a machine where the file cannot be written)."""
    version = _version(territory)
    meta, arrays = index_arrays(territory)
    return _loaded(version, meta, arrays, None)


def index_file_build(territory: Territory, *, replace: bool = False) -> Path | None:
    """Write the index file of the territory's current token unless it exists (or when
    `replace`, e.g. a damaged one), and remove older ones. One build per territory at a
    time on this machine: a process that waited finds the file done. None if the
    territory was never indexed."""
    with index_file_lock(territory.pk):
        version = _version(territory)  # read before the documents: never older than them
        if version is None:
            return None
        path = index_file_path(territory.pk, version.hex)
        if replace or not path.exists():
            started = time.perf_counter()
            meta, arrays = index_arrays(territory)
            size = index_file_write(path, token=version.hex, meta=meta, arrays=arrays)
            del arrays
            logger.info(
                "search index file: %d documents, %.0f MB, %.1f s",
                meta["size"],
                size / 1e6,
                time.perf_counter() - started,
            )
        index_files_prune(territory.pk, keep=path)
    return path


def index_file_update(territory: Territory) -> None:
    """After the documents' transaction commits: write the file the workers will map, so
    that none of them builds it. Never raises: a worker builds a missing file itself."""
    try:
        index_file_build(territory)
    except Exception:
        logger.warning("search index file not written; workers will build it", exc_info=True)


def _mapped(path: Path) -> LoadedIndex:
    token, meta, arrays = index_file_read(path)
    return _loaded(uuid.UUID(token), meta, arrays, path)


def _open(territory: Territory, version: uuid.UUID) -> LoadedIndex:
    """The index of `version` from its file, building the file if needed (first start,
    another machine, a failed indexer); in memory if no file can be written."""
    replace = False
    try:
        return _mapped(index_file_path(territory.pk, version.hex))
    except IndexFileError:
        logger.warning("search index file damaged: rebuilt", exc_info=True)
        replace = True
    except OSError:
        pass  # not built yet, or replaced by a newer token meanwhile: build the current one
    try:
        path = index_file_build(territory, replace=replace)
        if path is not None:
            return _mapped(path)
    except (OSError, IndexFileError):
        logger.warning("search index file not written: index kept in memory", exc_info=True)
    return build_index(territory)


_cache: dict[int, LoadedIndex] = {}
_lock = threading.Lock()


def loaded_index(territory: Territory) -> LoadedIndex:
    """The territory's index, switched to the new file when its documents changed. While
    one thread loads (or builds) it, the others answer from the previous index instead of
    queueing behind it."""
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
            index = _open(territory, version)
            _cache[territory.pk] = index
    finally:
        _lock.release()
    return index

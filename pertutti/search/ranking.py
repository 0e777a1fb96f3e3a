"""Ranking a query: lexical (BM25 over every language a service is available in, with
stemming, everyday words and typo tolerance) fused with semantic similarity of
multilingual embeddings by reciprocal rank fusion."""

import logging
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import py3langid

from pertutti.search.embeddings import get_embedder
from pertutti.search.index import LoadedIndex
from pertutti.search.normalize import STEMMERS, stem, words
from pertutti.search.vocabulary import vocabulary

logger = logging.getLogger(__name__)
MAX_QUERY_CHARS = 500  # a 10,000-character paste is cut, not refused
RRF_K = 60
# e5 similarities are all high (0.75-0.9) for any text: their order is informative, their
# value is not (a nonsense query scores like a real one), so only the top few are used.
SEMANTIC_TOP = 10
COMMON_SHARE = 0.5
LEXICAL_TOP = 1000  # candidates kept for fusion (and reported); a person reads the first 20
EXPLAINED = 200
HELPER_THREADS = 4  # per process: a worker's requests share them
SPLIT_PRODUCT_FROM = 10_000  # document vectors; below, a second thread costs more than it saves
LANGUAGES = ["it", "ro", "ar", "sq", "en", "fr", "es", "zh", "uk", "ru", "ur", "pa", "bn"]
py3langid.set_languages(LANGUAGES)


@dataclass
class Ranking:
    service_ids: list[int] = field(default_factory=list)
    matched: dict[int, list[str]] = field(default_factory=dict)  # "matches: medico di base"
    close: list[int] = field(default_factory=list)  # nearest meanings when nothing matched
    language: str = ""
    semantic: bool = False

    @property
    def empty(self) -> bool:
        return not self.service_ids


def detect_language(query: str, fallback: str) -> str:
    if len(query.strip()) < 3:
        return fallback
    code, _ = py3langid.classify(query)
    return "zh-hans" if code == "zh" else code


def _variants(word: str, languages: list[str]) -> set[str]:
    return {word} | {stem(word, code) for code in languages if code in STEMMERS}


def rank(index: LoadedIndex, query: str, *, ui_language: str, source_language: str) -> Ranking:
    query = query[:MAX_QUERY_CHARS]
    language = detect_language(query, ui_language)
    languages = list(dict.fromkeys([language, ui_language, source_language]))
    ranking = Ranking(language=language)
    # Short words in most documents ("di", "per", "the") say nothing about a need.
    common = max(3, int(index.size * COMMON_SHARE))

    def is_common(word: str) -> bool:
        return len(word) <= 4 and any(
            index.document_frequency(t) > common for t in _variants(word, languages)
        )

    typed = words(query)
    query_words = [w for w in dict.fromkeys(typed) if not is_common(w)][:32]
    if not typed or index.size == 0:
        return ranking
    embedding = _embed_meanwhile(index, query)

    needs = vocabulary().match(query)
    expansion = [
        w for need in needs for phrase in need.italian for w in words(phrase) if not is_common(w)
    ]
    weighted = [(w, 1.0) for w in query_words] + [
        (w, 0.6) for w in dict.fromkeys(expansion) if w not in query_words
    ]
    n_docs = index.size
    doc_score = np.zeros(n_docs, dtype=np.float32)
    coverage = np.zeros(n_docs, dtype=np.int16)
    word_hits: list[tuple[str, np.ndarray]] = []
    for word, weight in weighted:
        variants = [t for t in _variants(word, languages) if t in index.term_arrays]
        if not variants and weight == 1.0:
            variants = index.close_terms(word)  # typo tolerance
            weight = 0.8
        if not variants:
            continue
        if len(variants) == 1:
            docs, best_scores = index.term_arrays[variants[0]]
            doc_score[docs] += weight * best_scores
            hit_docs = docs
        else:
            best = np.zeros(n_docs, dtype=np.float32)
            for term in variants:
                docs, scores = index.term_arrays[term]
                best[docs] = np.maximum(best[docs], scores)
            doc_score += weight * best
            hit_docs = np.flatnonzero(best)
        if word in query_words:
            coverage[hit_docs] += 1
        word_hits.append((word, hit_docs))

    lexical: list[int] = []
    if word_hits:
        # Documents matching more of the person's own words come first, then BM25; a
        # service counts with its best document (any of its languages).
        value = coverage.astype(np.float32) * 1000 + doc_score
        per_service = np.zeros(len(index.services), dtype=np.float32)
        np.maximum.at(per_service, index.doc_position, value)
        found = np.flatnonzero(per_service)
        if len(found) > LEXICAL_TOP:
            # Only the best LEXICAL_TOP are sorted (ties at the cut all kept, then cut in
            # position order, exactly as a full stable sort would).
            cut = -np.partition(-per_service[found], LEXICAL_TOP - 1)[LEXICAL_TOP - 1]
            found = found[per_service[found] >= cut]
        top = found[np.argsort(-per_service[found], kind="stable")][:LEXICAL_TOP]
        lexical = index.services[top].tolist()
        # Explanations only for the best few: which words matched.
        shown = np.zeros(len(index.services), dtype=bool)
        shown[top[:EXPLAINED]] = True
        for word, hit_docs in word_hits:
            positions = index.doc_position[hit_docs]
            for position in np.unique(positions[shown[positions]]).tolist():
                ranking.matched.setdefault(int(index.services[position]), []).append(word)
        for words_matched in ranking.matched.values():
            words_matched.sort()

    semantic = _semantic(index, embedding)
    ranking.semantic = semantic is not None
    semantic = semantic or []
    need_categories = {c for need in needs for c in need.categories}
    by_need = []
    if need_categories:
        ranked = lexical + semantic
        in_need = np.isin(index.categories(ranked), list(need_categories))
        by_need = [s for s, yes in zip(ranked, in_need, strict=True) if yes]

    if lexical or needs:
        candidates = set(lexical) | set(semantic[:SEMANTIC_TOP]) | set(by_need)
        lists = [lexical, semantic, list(dict.fromkeys(by_need))]
        if language not in index.languages:
            # Words of a language we have no text in match Italian only by chance
            # ("social" → "sociale"): meaning counts twice.
            lists.append(semantic)
    elif semantic and language not in index.languages:
        # No text in the person's language yet: the embeddings still understand it.
        candidates, lists = set(semantic[:SEMANTIC_TOP]), [semantic]
    else:
        ranking.close = semantic[:3]  # offered as "maybe you mean", not as results
        return ranking  # nothing is about this query: zero results, suggestions instead
    fused: dict[int, float] = defaultdict(float)
    for ranked in lists:
        for position, service in enumerate(ranked):
            if service in candidates:
                fused[service] += 1.0 / (RRF_K + position + 1)
    ranking.service_ids = sorted(fused, key=lambda s: -fused[s])
    return ranking


@lru_cache(maxsize=1)
def _helpers() -> ThreadPoolExecutor:
    """Threads for the parts of a search that release the GIL (created in each worker at
    its first search, never before a fork)."""
    return ThreadPoolExecutor(max_workers=HELPER_THREADS, thread_name_prefix="search")


def _embed_meanwhile(index: LoadedIndex, query: str) -> Future[np.ndarray] | None:
    """Start embedding the query (12 ms, in C without the GIL) while the lexical ranking
    runs (up to 6 ms) in the request's thread."""
    embedder = get_embedder()
    if embedder is None or index.vectors is None:
        return None
    return _helpers().submit(lambda: embedder.queries([query])[0])


def _semantic(index: LoadedIndex, embedding: Future[np.ndarray] | None) -> list[int] | None:
    """Services by similarity of meaning, best first (None without embeddings)."""
    if embedding is None or index.vectors is None:
        return None
    vector = embedding.result()
    # The product with every document vector is bound by memory bandwidth (77 MB at 50,000
    # documents): two halves on two threads take half the time. Python threads rather than
    # OpenBLAS's, whose waiting threads spin and slow down concurrent searches.
    if len(index.vectors) < SPLIT_PRODUCT_FROM:
        similarities = index.vectors @ vector
    else:
        half = len(index.vectors) // 2
        second = _helpers().submit(np.dot, index.vectors[half:], vector)
        similarities = np.concatenate([index.vectors[:half] @ vector, second.result()])
    want = min(len(similarities), SEMANTIC_TOP * 12)
    top = np.argpartition(-similarities, want - 1)[:want] if want else np.array([], dtype=int)
    order = top[np.argsort(-similarities[top])]
    seen: dict[int, None] = {}
    for i in order:
        seen.setdefault(int(index.vector_service[i]))
        if len(seen) >= SEMANTIC_TOP * 3:
            break
    return list(seen)

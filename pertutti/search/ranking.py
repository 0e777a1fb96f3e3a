"""Ranking a query: lexical (BM25 over every language a service is available in, with
stemming, everyday words and typo tolerance) fused with semantic similarity of
multilingual embeddings by reciprocal rank fusion; then a relevance threshold splits the
services that match from those that may only help (docs/search.md, "Precision").

The work a query can cause is bounded whatever its length: the words considered, their
typo corrections, the vocabulary's expansions and the text embedded are all capped, so a
pasted page costs a few ordinary searches, not hundreds.
"""

import logging
import math
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

from pertutti.search.embeddings import get_embedder, query_vector
from pertutti.search.index import LoadedIndex
from pertutti.search.need_meanings import needs_by_meaning
from pertutti.search.normalize import STEMMERS, normalize, stem, words
from pertutti.search.stopwords import is_function_word, is_function_word_anywhere
from pertutti.search.vocabulary import NeedMatch, edit_distance, vocabulary

logger = logging.getLogger(__name__)
MAX_QUERY_CHARS = 500  # a 10,000-character paste is cut, not refused
MAX_WORDS = 16  # content words considered, the rarest first: a sentence's need is rare
MAX_TYPO_WORDS = 4  # words of one query looked up for typos (each a bounded scan)
MAX_EXPANSIONS = 24  # Italian words a query's needs add
EMBEDDED_CHARS = 300  # of the query: e5's cost grows with length, its meaning does not
RRF_K = 60
SEMANTIC_TOP = 10
COMMON_SHARE = 0.5
LEXICAL_TOP = 1000  # candidates kept for fusion; a person reads the first 20
HELPER_THREADS = 4  # per process: a worker's requests share them
SPLIT_PRODUCT_FROM = 10_000  # document vectors; below, a second thread costs more than it saves
LANGUAGES = ["it", "ro", "ar", "sq", "en", "fr", "es", "zh", "uk", "ru", "ur", "pa", "bn"]


def _language_identifier(languages: list[str]) -> LanguageIdentifier:
    """py3langid's identifier for `languages` only. Its own `set_languages` keeps the
    tables of all its 97 languages for a later reset: 28 MB more in every worker."""
    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    wanted = set(languages)
    kept = [i for i, code in enumerate(classes) if code in wanted]
    return LanguageIdentifier(
        ptc[:, kept], pc[kept], [classes[i] for i in kept], nextmove, output, tk_row=row
    )


IDENTIFIER = _language_identifier(LANGUAGES)

# The relevance threshold, calibrated on bench/search_queries_dev.json only (docs/search.md).
# A service matches when its best document holds at least MATCH_SHARE of the query's
# information (the rarity-weighted share of its content words found there) and scores at
# least MATCH_OF_BEST of the best service's BM25; or when it is of the category of a specific
# need the query names and has lexical evidence of it; or when meaning alone is confident.
MATCH_SHARE = 0.4
MATCH_OF_BEST_SHARE = 0.8  # of the best service's share: nobody may hold every word
MATCH_OF_BEST = 0.5
NEED_OF_BEST = 0.4  # of the best BM25, for a service of a named need's category
NEED_Z = 3.0  # or meaning that stands out this far
RELATED_SHARE = 0.3
SUPPORT_SHARE = 0.3
SUPPORT_OF_BEST = 0.6
SUPPORT_Z = 2.3
TYPO_FACTOR = 0.7  # a corrected word counts less than a word typed right
EXPANSION_FACTOR = 0.6  # the vocabulary's Italian words for a need, against the person's own
TYPO_MAX_SHARE = 0.2  # a correction found in more of the documents says nothing
TYPO_FROM = 5  # letters; shorter words have too many neighbours one edit away
TWO_EDITS_FROM = 8
UNKNOWN_FACTOR = 0.5  # of a rare word's weight, for a word found nowhere
# e5 similarities are all high (0.75-0.9) for any text, so their value is never used; how far
# the best stand out from all the others is: a nonsense query's similarities are flat.
SEMANTIC_CONFIDENT_Z = 4.0
SEMANTIC_RELATED_Z = 2.8
SEMANTIC_MATCHES = 3  # at most, from meaning alone
Z_MIN_DOCUMENTS = 40  # document vectors below which standard scores are noise
RELATED_MAX = 5
# A query made of words (not random letters) that few services match by the rules above:
# the services its meaning is nearest to, if they stand out at all, are results too, up to
# FILL_TO. A sentence in a language with no text of its own rarely shares a word with the
# service that helps, and an empty page helps nobody; random letters still find nothing.
FILL_TO = 3
FILL_Z = 1.8


@dataclass(frozen=True)
class WordMatch:
    """A word of the person's query and the index terms it met (its stems, or what a typo
    was corrected to): explanations are built from these, never from expansions alone."""

    word: str
    terms: tuple[str, ...]
    typo: bool = False


@dataclass(frozen=True)
class PhraseMatch:
    """An Italian phrase of the vocabulary that a need of the query added (its normalised
    words), with the person's words that named the need: a service that holds the whole
    phrase is explained as "medico di base (tabib)"."""

    words: tuple[str, ...]
    reader_words: tuple[str, ...]


@dataclass
class Ranking:
    service_ids: list[int] = field(default_factory=list)  # the matches, best first
    related: list[int] = field(default_factory=list)  # may help; never counted as results
    close: list[int] = field(default_factory=list)  # nearest meanings when nothing matched
    language: str = ""
    semantic: bool = False
    word_matches: list[WordMatch] = field(default_factory=list)
    phrase_matches: list[PhraseMatch] = field(default_factory=list)
    nearest_only: bool = False  # every result is one of the nearest meanings (FILL_TO)

    @property
    def empty(self) -> bool:
        return not self.service_ids

    @property
    def unmet(self) -> bool:
        """Nothing matched by the rules: no result, or only the nearest meanings (the needs
        report counts these searches too)."""
        return self.empty or self.nearest_only


def detect_language(query: str, fallback: str) -> str:
    if len(query.strip()) < 3:
        return fallback
    code, _ = IDENTIFIER.classify(query)
    return "zh-hans" if code == "zh" else code


def _variants(word: str, languages: list[str]) -> set[str]:
    return {word} | {stem(word, code) for code in languages if code in STEMMERS}


def _content_words(typed: list[str], languages: list[str], index: LoadedIndex) -> list[str]:
    """The words that say what is needed; a query made only of function words ("dove",
    "where") is searched with them."""
    common = max(3, int(index.size * COMMON_SHARE))

    def is_common(word: str) -> bool:
        # Short words in most documents say nothing, in a language without a stop list too.
        return len(word) <= 4 and any(
            index.document_frequency(t) > common for t in _variants(word, languages)
        )

    distinct = list(dict.fromkeys(typed))
    content = [w for w in distinct if not is_function_word(w, languages) and not is_common(w)]
    return content or distinct


def _rarest(content: list[str], languages: list[str], index: LoadedIndex) -> list[str]:
    """At most MAX_WORDS words, the rarest first (a word in no document is rarest of all),
    in the order typed."""
    if len(content) <= MAX_WORDS:
        return content

    def frequency(word: str) -> int:
        return max((index.document_frequency(t) for t in _variants(word, languages)), default=0)

    kept = set(sorted(content, key=frequency)[:MAX_WORDS])
    return [w for w in content if w in kept]


def _needs(
    query: str, languages: list[str], index: LoadedIndex, readers: set[str]
) -> list[NeedMatch]:
    """The needs the query names. A word found in the index as typed is never read as a typo
    of a vocabulary word, and a typo is corrected only into the languages of the query
    (Italian "padrone" is not Spanish "padrón" mistyped); another form of a word is read
    only in the reader's languages, not the territory's (French "patron", a boss, is not a
    form of Italian "patronato")."""
    scripts = {code.split("-")[0] for code in languages}
    own = {code.split("-")[0] for code in readers}  # the detected and interface languages

    def known(word: str) -> bool:
        return any(t in index.term_arrays for t in _variants(word, languages))

    def kept(match: NeedMatch) -> bool:
        found_in = {code.split("-")[0] for code in match.languages}
        if match.inflected:
            return bool(found_in & own)
        return not match.typo or bool(found_in & scripts)

    return [match for match in vocabulary().match_detail(query, known_word=known) if kept(match)]


def _needs_by_meaning(vector: np.ndarray | None) -> list[NeedMatch]:
    """A need whose vocabulary term the whole query means nearly the same as
    (search.need_meanings)."""
    return [
        NeedMatch(need, normalize(term), (), (), (), by_meaning=True)
        for need, term in needs_by_meaning(vector)
    ]


def _idf(frequency: int, size: int) -> float:
    return math.log(1 + size / (1 + frequency))


@dataclass
class _Evidence:
    """Per document: BM25 of the person's words, the rarity-weighted share of them found,
    and the same for the vocabulary's expansions."""

    score: np.ndarray
    weight: np.ndarray
    expansion: np.ndarray
    mass: float = 0.0  # the query's information: the weights of its words found anywhere


_local = threading.local()


def _scratch(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three zeroed arrays of a document each, kept by the thread between its searches:
    fresh ones cost a millisecond each at 50,000 documents (the allocator maps and faults
    new pages every time), zeroing kept ones a few microseconds."""
    arrays = getattr(_local, "arrays", None)
    if arrays is None or arrays.shape[1] != size:
        arrays = _local.arrays = np.zeros((3, size), dtype=np.float32)
    else:
        arrays.fill(0)
    return arrays[0], arrays[1], arrays[2]


def _lexical(
    index: LoadedIndex, content: list[str], languages: list[str], ranking: Ranking
) -> _Evidence:
    n_docs = index.size
    evidence = _Evidence(*_scratch(n_docs))
    typo_lookups = 0
    for word in content:
        variants = [t for t in _variants(word, languages) if t in index.term_arrays]
        typo = False
        if not variants and typo_lookups < MAX_TYPO_WORDS:
            typo_lookups += 1
            variants = _corrections(index, word)
            typo = True
        if not variants:
            # A word found nowhere still counts in what the query asks: "lorem ipsum dolor"
            # is not "dolore", though a service holds that.
            evidence.mass += _idf(0, n_docs) * UNKNOWN_FACTOR
            continue
        frequency = max(index.document_frequency(t) for t in variants)
        idf = _idf(frequency, n_docs) * (TYPO_FACTOR if typo else 1.0)
        docs, best = _best_scores(index, variants)
        evidence.score[docs] += best * (TYPO_FACTOR if typo else 1.0)
        evidence.weight[docs] += idf
        evidence.mass += idf
        ranking.word_matches.append(WordMatch(word, tuple(variants), typo))
    return evidence


def _corrections(index: LoadedIndex, word: str) -> list[str]:
    """Index terms a misspelt word may mean: one edit away (two from 8 letters), the first
    letter kept (people rarely mistype it: "paddrone" is not "madrone"), and not so frequent
    that a correction would match half the territory."""
    if len(word) < TYPO_FROM:
        return []  # a short word has too many neighbours one edit away
    allowed = 2 if len(word) >= TWO_EDITS_FROM else 1
    limit = max(3, int(index.size * TYPO_MAX_SHARE))
    return [
        term
        for term in index.close_terms(word)
        if term[0] == word[0]
        and edit_distance(word, term, allowed) <= allowed
        and index.document_frequency(term) <= limit
    ]


def _best_scores(index: LoadedIndex, variants: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The documents holding any of the terms (each once) and the best score of each:
    sparse, so that a query's words cost their postings, not the size of the territory."""
    if len(variants) == 1:
        return index.term_arrays[variants[0]]
    docs = np.concatenate([index.term_arrays[t][0] for t in variants])
    scores = np.concatenate([index.term_arrays[t][1] for t in variants])
    order = np.lexsort((-scores, docs))  # by document, its best score first
    docs, scores = docs[order], scores[order]
    first = np.ones(len(docs), dtype=bool)
    first[1:] = docs[1:] != docs[:-1]
    return docs[first], scores[first]


def _expansions(
    index: LoadedIndex,
    needs: list[NeedMatch],
    content: list[str],
    source_language: str,
    evidence: _Evidence,
    ranking: Ranking,
) -> None:
    """The Italian words of the needs the query names, scored apart from the person's own."""
    added = 0
    seen = set(content)
    for match in needs:
        for phrase in match.need.italian:
            phrase_words = words(phrase)
            for word in phrase_words:
                term = stem(word, source_language)
                if is_function_word(word, [source_language]) or term not in index.term_arrays:
                    continue
                if word in seen or added >= MAX_EXPANSIONS:
                    continue
                seen.add(word)
                added += 1
                docs, scores = index.term_arrays[term]
                evidence.expansion[docs] += scores * EXPANSION_FACTOR
            if phrase_words and not match.by_meaning:  # no word of the reader's to name
                ranking.phrase_matches.append(PhraseMatch(tuple(phrase_words), match.words))


def _per_service(index: LoadedIndex, per_doc: np.ndarray) -> np.ndarray:
    """A service counts with its best document (any of its languages)."""
    values = np.zeros(len(index.services), dtype=np.float32)
    np.maximum.at(values, index.doc_position, per_doc)
    return values


def rank(index: LoadedIndex, query: str, *, ui_language: str, source_language: str) -> Ranking:
    query = query[:MAX_QUERY_CHARS]
    language = detect_language(query, ui_language)
    languages = list(dict.fromkeys([language, ui_language, source_language]))
    ranking = Ranking(language=language)
    typed = words(query)
    if not typed or index.size == 0:
        return ranking
    embedding = _embed_meanwhile(index, query[:EMBEDDED_CHARS])
    content = _content_words(typed, languages, index)
    content = _rarest(content, languages, index)
    needs = _needs(query, languages, index, {language, ui_language})
    evidence = _lexical(index, content, languages, ranking)
    vector = embedding.result() if embedding is not None else None
    if not needs:  # the listed words come first; meaning names a need they missed
        needs = _needs_by_meaning(vector)
    _expansions(index, needs, content, source_language, evidence, ranking)

    services = index.services
    lexical_score = _per_service(index, evidence.score + evidence.expansion)
    share = _per_service(index, evidence.weight) / evidence.mass if evidence.mass else None
    found = np.flatnonzero(lexical_score)
    if len(found) > LEXICAL_TOP:
        cut = -np.partition(-lexical_score[found], LEXICAL_TOP - 1)[LEXICAL_TOP - 1]
        found = found[lexical_score[found] >= cut]
    lexical_positions = found[np.argsort(-lexical_score[found], kind="stable")][:LEXICAL_TOP]
    lexical = services[lexical_positions].tolist()

    semantic_result = _semantic(index, vector)
    ranking.semantic = semantic_result is not None
    semantic, z = semantic_result or ([], {})

    # A broad need (work, money, a permit) gives way to a specific one named with it ("my boss
    # has not paid me": unpaid wages, not every job centre); alone, it is what was asked.
    specific = {c for m in needs if not m.need.generic for c in m.need.categories}
    generic = {c for m in needs if m.need.generic for c in m.need.categories} - specific
    if not specific:
        specific, generic = generic, set()
    need_categories = specific | generic
    by_need: list[int] = []
    if need_categories:
        ranked = lexical + semantic
        in_need = index.in_categories(ranked, need_categories)
        by_need = list(dict.fromkeys(s for s, yes in zip(ranked, in_need, strict=True) if yes))

    # Fusion orders everything that has any evidence; the threshold decides what is a match.
    lists = [lexical, semantic, by_need]
    if language not in index.languages:
        # Words of a language we have no text in match Italian only by chance
        # ("social" → "sociale"): meaning counts twice.
        lists.append(semantic)
    ordered = _fused(lists)

    matches, related = _threshold(
        index,
        ordered,
        lexical_score=lexical_score,
        lexical_positions=lexical_positions,
        share=share,
        semantic=semantic,
        z=z,
        specific=specific,
        generic=generic,
        own_text=language in index.languages,
    )
    enough = index.vectors is not None and len(index.vectors) >= Z_MIN_DOCUMENTS
    if len(matches) < FILL_TO and enough and _made_of_words(typed, ranking):
        nearest = [s for s in semantic if z[s] >= FILL_Z and s not in matches]
        ranking.nearest_only = not matches and bool(nearest)
        matches += nearest[: FILL_TO - len(matches)]
        related = [s for s in related if s not in matches]
    ranking.service_ids = matches
    ranking.related = related[:RELATED_MAX]
    if not matches:
        ranking.close = [s for s in semantic if z.get(s, 0) >= SEMANTIC_RELATED_Z][:3]
    return ranking


def _fused(lists: list[list[int]]) -> list[int]:
    """Reciprocal rank fusion: each service's sum of 1 / (RRF_K + rank) over the lists, the
    highest first, ties in the order services first appear (added up in list order, as a
    loop over the lists would: the same sums to the last bit)."""
    ids = np.concatenate([np.asarray(ranked, dtype=np.int64) for ranked in lists])
    if not len(ids):
        return []
    gains = np.concatenate(
        [1.0 / (RRF_K + np.arange(len(ranked), dtype=np.int64) + 1) for ranked in lists]
    )
    services, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    sums = np.bincount(inverse, weights=gains, minlength=len(services))
    return services[np.lexsort((first, -sums))].tolist()


def _made_of_words(typed: list[str], ranking: Ranking) -> bool:
    """Whether the query holds a real word: one the index or the vocabulary knows (as typed
    or corrected), or a function word of any language ("mi", "të", "мне"). Random letters
    ("qwpoeiru", "йцукенгшщз") hold none."""
    if ranking.word_matches:
        return True
    known = vocabulary().knows
    return any(
        len(word) >= 2 and not word.isdigit() and (is_function_word_anywhere(word) or known(word))
        for word in typed
    )


def _threshold(
    index: LoadedIndex,
    ordered: list[int],
    *,
    lexical_score: np.ndarray,
    lexical_positions: np.ndarray,
    share: np.ndarray | None,
    semantic: list[int],
    z: dict[int, float],
    specific: set[str],
    generic: set[str],
    own_text: bool,
) -> tuple[list[int], list[int]]:
    """The services that match and those that may only help, each in fused order (the rules
    and their calibration: docs/search.md, "Precision")."""
    if not ordered:
        return [], []
    positions = index.positions(ordered)
    hit = np.isin(positions, lexical_positions)
    best = float(lexical_score[lexical_positions[0]]) if len(lexical_positions) else 0.0
    relative = lexical_score[positions] / best if best else np.zeros(len(ordered))
    shares = share[positions] if share is not None else np.zeros(len(ordered))
    best_share = float(share.max()) if share is not None else 0.0
    scores = np.array([z.get(s, 0.0) for s in ordered]) if z else np.zeros(len(ordered))
    category = index.position_category[positions]
    of_specific = np.isin(category, index.category_numbers(specific))
    of_generic = np.isin(category, index.category_numbers(generic))

    words = hit & (shares >= max(MATCH_SHARE, MATCH_OF_BEST_SHARE * best_share))
    words &= relative >= MATCH_OF_BEST
    need = of_specific & ((hit & (relative >= NEED_OF_BEST)) | (scores >= NEED_Z))
    # Part of the words and meaning agreeing: a sentence describing a situation rarely
    # shares most of its words with the service that helps.
    agreeing = hit & (shares >= SUPPORT_SHARE) & (relative >= SUPPORT_OF_BEST)
    agreeing &= scores >= SUPPORT_Z
    confident = [s for s in semantic if z[s] >= SEMANTIC_CONFIDENT_Z][:SEMANTIC_MATCHES]
    if semantic and len(index.vectors) < Z_MIN_DOCUMENTS and not own_text:
        # Too few documents for standard scores to mean anything; in a language with no text
        # of its own, the nearest meaning is all there is (as before the threshold).
        confident = semantic[:1]
    meaning = np.isin(np.asarray(ordered), confident)
    match = words | need | agreeing | meaning
    weak = ~match & (
        (hit & (shares >= RELATED_SHARE)) | of_generic | (scores >= SEMANTIC_RELATED_Z)
    )
    array = np.asarray(ordered)
    return array[match].tolist(), array[weak].tolist()


@lru_cache(maxsize=1)
def _helpers() -> ThreadPoolExecutor:
    """Threads for the parts of a search that release the GIL (created in each worker at
    its first search, never before a fork)."""
    return ThreadPoolExecutor(max_workers=HELPER_THREADS, thread_name_prefix="search")


def _embed_meanwhile(index: LoadedIndex, query: str) -> Future[np.ndarray] | None:
    """Start embedding the query (12 ms, in C without the GIL) while the lexical ranking
    runs (up to 6 ms) in the request's thread; a query asked recently is not embedded again
    (`embeddings.query_vector`)."""
    embedder = get_embedder()
    if embedder is None or index.vectors is None:
        return None
    return _helpers().submit(query_vector, embedder, query)


def _semantic(
    index: LoadedIndex, vector: np.ndarray | None
) -> tuple[list[int], dict[int, float]] | None:
    """Services by similarity of meaning, best first, and how far each stands out from the
    similarities of all documents (standard scores); None without embeddings."""
    if vector is None or index.vectors is None:
        return None
    # The product with every document vector is bound by memory bandwidth (77 MB at 50,000
    # documents): two halves on two threads take half the time. Python threads rather than
    # OpenBLAS's, whose waiting threads spin and slow down concurrent searches.
    if len(index.vectors) < SPLIT_PRODUCT_FROM:
        similarities = index.vectors @ vector
    else:
        half = len(index.vectors) // 2
        second = _helpers().submit(np.dot, index.vectors[half:], vector)
        similarities = np.concatenate([index.vectors[:half] @ vector, second.result()])
    similarities = similarities.astype(np.float32, copy=False)
    spread = float(similarities.std()) or 1.0
    mean = float(similarities.mean())
    want = min(len(similarities), SEMANTIC_TOP * 12)
    top = np.argpartition(-similarities, want - 1)[:want] if want else np.array([], dtype=int)
    order = top[np.argsort(-similarities[top])]
    z: dict[int, float] = {}
    for i in order:
        service = int(index.vector_service[i])
        if service not in z:
            z[service] = (float(similarities[i]) - mean) / spread
        if len(z) >= SEMANTIC_TOP * 3:
            break
    return list(z), z

"""The "matches: …" line of a result: which of the person's words the service contains,
named as the reader sees the service (its text in the reader's language, or the Italian
with the reader's own word beside it: "medico di base (tabib)"). Never a word the person
did not write on its own, never a function word; a service found by meaning only, or whose
matching words the reader would not see, gets no line."""

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from pertutti.search.models import SearchDocument
from pertutti.search.normalize import stem, words
from pertutti.search.ranking import Ranking
from pertutti.search.stopwords import is_function_word_anywhere

MAX_SHOWN = 4
_TOKEN = re.compile(r"[\w\u0900-\u0dff]+")


# What may separate two words of a text without normalisation joining them: spaces and
# common punctuation, each left a non-word character by `normalize`. A text whose other
# characters are all word characters normalises word by word (`_tokens`' fast path); any
# other character (an invisible mark, an accent or an Arabic diacritic standing alone, a
# control character) sends it to the exact path that normalises the text as a whole.
_UNSAFE = re.compile(
    r"[^\w\u0900-\u0dff\s!-/:-@\[-`{-~"
    "\u00a0\u00ab\u00b0\u00b7\u00bb\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]"
)


@lru_cache(maxsize=20_000)
def _word_parts(token: str) -> tuple[str, ...]:
    """`words` of one written word (a territory's texts share a vocabulary: each distinct
    word is normalised once per process, not once per text shown)."""
    return tuple(words(token))


@lru_cache(maxsize=20_000)
def _stem(word: str, language: str) -> str:
    return stem(word, language)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for each word of a text; Chinese pairs are their own
    surface. Normalised in one call when the words line up one to one with the written
    ones (they do, but where Chinese or an invisible mark inside a word changes the count)."""
    nfkc = unicodedata.normalize("NFKC", text)
    written = _TOKEN.findall(nfkc)
    if _UNSAFE.search(nfkc):
        normalised = words(text)
    else:
        # Only plain separators between the words: `words(text)` is the words of each
        # written word in turn (normalising never joins or splits across a separator).
        normalised = [part for token in written for part in _word_parts(token)]
    if len(written) == len(normalised):
        return list(zip(written, normalised, strict=True))
    out = []
    for token in written:
        parts = _word_parts(token)
        out.extend((token if len(parts) == 1 else part, part) for part in parts)
    return out


def _labels(text: str, language: str, ranking: Ranking, *, italian: bool) -> list[str]:
    tokens = _tokens(text)
    # Snowball keeps a word's first letter (Arabic's stemmer drops prefixes): a word whose
    # first letter no term has is not stemmed at all.
    initials = {t[:1] for m in ranking.word_matches for t in m.terms}
    initials |= {w[:1] for p in ranking.phrase_matches for w in p.words}
    everything = language == "ar"
    # The words of the person that may be named (never a function word), and every term
    # they met: a word of the text that meets none of them is passed over at once.
    named = [m for m in ranking.word_matches if not is_function_word_anywhere(m.word)]
    met = {t for m in named for t in m.terms}
    labels: dict[str, str] = {}  # one per word of the person, at its first occurrence
    stemmed: dict[str, str] = {}  # each distinct word once: met again, it names nothing new
    for surface, word in tokens:
        if word in stemmed:
            continue
        term = stemmed[word] = _stem(word, language) if everything or word[:1] in initials else ""
        if not term or (term not in met and word not in met):
            continue
        if is_function_word_anywhere(word):  # "where" in an Italian text too
            continue
        for match in named:
            if match.word in labels or (term not in match.terms and word not in match.terms):
                continue
            same = not match.typo and (word == match.word or stem(match.word, language) == term)
            labels[match.word] = surface if same else f"{surface} ({match.word})"
    if italian and ranking.phrase_matches and len(labels) < MAX_SHOWN:
        # The vocabulary's Italian for a need, where the service holds the whole phrase and
        # the person's own words did not already explain it.
        present = set(stemmed.values())
        stems: list[str] = []
        for phrase in ranking.phrase_matches:
            reader = " ".join(phrase.reader_words)
            if reader in labels or any(w in labels for w in phrase.reader_words):
                continue
            wanted = [stem(w, language) for w in phrase.words]
            if not present.issuperset(wanted):
                continue  # a word of the phrase is missing: no need to look for it
            stems = stems or [stemmed[word] for _, word in tokens]
            for start in range(len(stems) - len(wanted) + 1):
                if stems[start : start + len(wanted)] == wanted:
                    surface = " ".join(s for s, _ in tokens[start : start + len(wanted)])
                    labels[reader] = f"{surface} ({reader})"
                    break
    return list(labels.values())[:MAX_SHOWN]


def explanations(
    ranking: Ranking, service_ids: list[int], *, ui_language: str, source_language: str
) -> dict[int, tuple[str, ...]]:
    """For the services shown (a page of them: one query for their texts)."""
    if not service_ids or not (ranking.word_matches or ranking.phrase_matches):
        return {}
    texts: dict[int, dict[str, str]] = defaultdict(dict)
    rows = SearchDocument.objects.filter(
        service_id__in=service_ids, language__in={ui_language, source_language}
    ).values_list("service_id", "language", "text")
    for service_id, language, text in rows:
        texts[service_id][language] = text
    out = {}
    for service_id in service_ids:
        available = texts.get(service_id, {})
        # The reader sees the service in their language where it is translated.
        language = ui_language if ui_language in available else source_language
        if language not in available:
            continue
        italian = language == source_language
        labels = _labels(available[language], language, ranking, italian=italian)
        if labels:
            out[service_id] = tuple(labels)
    return out

"""The "matches: …" line of a result: which of the person's words the service contains,
named as the reader sees the service (its text in the reader's language, or the Italian
with the reader's own word beside it: "medico di base (tabib)"). Never a word the person
did not write on its own, never a function word; a service found by meaning only, or whose
matching words the reader would not see, gets no line."""

import re
import unicodedata
from collections import defaultdict

from pertutti.search.models import SearchDocument
from pertutti.search.normalize import stem, words
from pertutti.search.ranking import Ranking
from pertutti.search.stopwords import is_function_word_anywhere

MAX_SHOWN = 4
_TOKEN = re.compile(r"[\w\u0900-\u0dff]+")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for each word of a text; Chinese pairs are their own
    surface. Normalised in one call when the words line up one to one with the written
    ones (they do, but where Chinese or an invisible mark inside a word changes the count)."""
    written = _TOKEN.findall(unicodedata.normalize("NFKC", text))
    normalised = words(text)
    if len(written) == len(normalised):
        return list(zip(written, normalised, strict=True))
    out = []
    for token in written:
        parts = words(token)
        out.extend((token if len(parts) == 1 else part, part) for part in parts)
    return out


def _labels(text: str, language: str, ranking: Ranking, *, italian: bool) -> list[str]:
    tokens = _tokens(text)
    # Snowball keeps a word's first letter (Arabic's stemmer drops prefixes): a word whose
    # first letter no term has is not stemmed at all.
    initials = {t[:1] for m in ranking.word_matches for t in m.terms}
    initials |= {w[:1] for p in ranking.phrase_matches for w in p.words}
    everything = language == "ar"
    stems = [
        stem(word, language) if everything or word[:1] in initials else "" for _, word in tokens
    ]
    labels: dict[str, str] = {}  # one per word of the person, at its first occurrence
    for (surface, word), term in zip(tokens, stems, strict=True):
        if not term or is_function_word_anywhere(word):  # "where" in an Italian text too
            continue
        for match in ranking.word_matches:
            if match.word in labels or (term not in match.terms and word not in match.terms):
                continue
            if is_function_word_anywhere(match.word):
                continue
            same = not match.typo and (word == match.word or stem(match.word, language) == term)
            labels[match.word] = surface if same else f"{surface} ({match.word})"
    if italian:
        # The vocabulary's Italian for a need, where the service holds the whole phrase and
        # the person's own words did not already explain it.
        for phrase in ranking.phrase_matches:
            reader = " ".join(phrase.reader_words)
            if reader in labels or any(w in labels for w in phrase.reader_words):
                continue
            wanted = [stem(w, language) for w in phrase.words]
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

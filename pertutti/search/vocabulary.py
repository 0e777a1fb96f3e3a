"""The curated vocabulary of everyday words per need, in 13 languages and in Latin spellings
of Arabic, Urdu, Punjabi and Bengali (search/data/vocabulary.json, versioned and reviewed
like any translation).

A query word meets a vocabulary word when it is the same normalised word; for the
romanised lists ("ar-latn", "ur-latn", "pa-latn", "bn-latn") when its spelling folds to the
same key (`normalize.romanized_key`: "5edma" meets "khedma"; words of 5 letters or more, or
with chat digits); and, for a content word of 5
letters or more in Latin or Cyrillic letters that is neither a vocabulary word nor a function
word, within one edit (two from 8 letters). Only the first MAX_QUERY_WORDS words count, and
corrections are looked up in deletion tables built once, so a pasted page costs what a
sentence does.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from pertutti.search.normalize import base_form, normalize, romanized_key, script_languages, words
from pertutti.search.stopwords import is_function_word, is_function_word_anywhere

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.json"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
ROMANIZED = ("ar-latn", "ur-latn", "pa-latn", "bn-latn")  # when the file does not say
MAX_QUERY_WORDS = 32  # words of a query looked at; the rest of a pasted text is ignored
MAX_QUERY_CHARS = 2000  # normalised at most (a 32-word query is far shorter)
TYPO_FROM = 5  # letters: shorter words have too many neighbours one edit away
TWO_EDITS_FROM = 8
MAX_TYPO_WORD = 30  # a longer "word" is not a word anyone mistyped
MIN_KEY = 3  # romanised keys shorter than this match too much
FOLD_FROM = 5  # letters, for a word without chat digits
INFLECTED_FROM = 4  # letters: shorter words are matched as written
_VOWELS = re.compile("[aeiu]")  # of a romanised key (o is folded to u)
# Chat digits or spellings English, French and Italian words rarely have.
_ROMANISED_TRAIT = re.compile(r"[0-9]|kh|gh|aa|ee|[^cs]h[^aeiou]|h$")
_TYPO_SCRIPT = re.compile(r"^[a-z\u0400-\u04ff]+$")  # Latin and Cyrillic letters, no digits
# Bengali and Gurmukhi: the vowel signs, the virama and the nasal and gemination marks are
# what people most often leave out or mistype ("ਡਕਟਰ" for "ਡਾਕਟਰ", doctor); the consonants
# carry the word. A word meets a vocabulary word with the same consonants when it meets
# nothing as written and at least MIN_SKELETON consonants are left.
_INDIC_WORD = re.compile("^[\u0980-\u09ff\u0a00-\u0a7f]+$")
_INDIC_MARKS = re.compile(
    "[\u0981-\u0983\u09bc\u09be-\u09cd\u09d7\u0a01-\u0a03\u0a3c\u0a3e-\u0a4d\u0a51\u0a70\u0a71\u0a75]"
)
MIN_SKELETON = 3


def indic_skeleton(word: str) -> str | None:
    """The consonants (and independent vowels) of a Bengali or Gurmukhi word, None for any
    other word or when fewer than MIN_SKELETON are left: "ডাক্তার" and "ডক্তার" → "ডকতর"."""
    if not _INDIC_WORD.match(word):
        return None
    skeleton = _INDIC_MARKS.sub("", word)
    return skeleton if len(skeleton) >= MIN_SKELETON else None


# Arabic written in Latin letters glues the article and a preposition or "and" to the word
# ("ltbib", "fsbitar", "wlkhedma", "bflous"): read off a word that meets nothing as typed.
_ARABIZI_CLITIC = re.compile(r"^(?:w|f|b|d)?(?:e|a)?l(?=[a-z0-9]{4})|^(?:w|f|b)(?=[a-z0-9]{4})")


def _without_clitics(word: str) -> str | None:
    """The romanised key of an Arabizi word without the article, preposition or "and"
    glued to it ("ltbib" → "tbib", "wlkhedma" → "Xedma"); None when none is glued or too
    little is left."""
    clitic = _ARABIZI_CLITIC.match(word)
    bare = romanized_key(word[clitic.end() :]) if clitic else None
    return bare if bare and len(bare) > MIN_KEY else None


# How a query word met a vocabulary word, best first.
EXACT, VARIANT, INFLECTED, TYPO = 0, 1, 2, 3


@dataclass(frozen=True)
class Need:
    id: str
    categories: tuple[str, ...]
    italian: tuple[str, ...]
    # Broad needs (work, money, housing, a permit in general) match many services and
    # should weigh less than specific ones (unpaid wages, a bed tonight).
    generic: bool = False


@dataclass(frozen=True)
class NeedMatch:
    """A need found in a query, with the reader's own words that found it."""

    need: Need
    phrase: str  # the vocabulary phrase matched (normalised), e.g. "khedma"
    positions: tuple[int, ...]  # indexes in query_words(query) of every word that matched
    words: tuple[str, ...]  # the reader's words at those positions (normalised)
    languages: tuple[str, ...]  # lists the phrase is in: "fr", "ar-latn", "it-phonetic"...
    typo: bool = False  # met only after correcting a typing error
    variant: bool = False  # met through a romanised spelling ("5edma" for "khedma")
    inflected: bool = False  # met in another form of the word ("лікаря" for "лікар")
    by_meaning: bool = False  # the whole query means nearly what the phrase does


def query_words(query: str) -> list[str]:
    """The normalised words of a query that the vocabulary looks at (the first
    MAX_QUERY_WORDS)."""
    return words(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours is one edit); any value
    above `limit` is returned as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletions(word: str, edits: int) -> set[str]:
    """The word and every form of it with up to `edits` letters deleted."""
    out = {word}
    layer = {word}
    for _ in range(edits):
        layer = {w[:i] + w[i + 1 :] for w in layer if len(w) > 1 for i in range(len(w))}
        out |= layer
    return out


class DeletionIndex:
    """Words by every form with up to two letters deleted (symmetric deletion): the words
    within k edits of a query word share a form with one of its own deletions, so a lookup
    is a few dozen binary searches whatever the size of the vocabulary. The forms are kept
    as sorted 64-bit hashes (1 MB, not the 12 MB of a dictionary of strings); a collision
    only adds a candidate that the edit distance then rejects."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = sorted(set(entries))
        hashes: list[int] = []
        numbers: list[int] = []
        for number, entry in enumerate(self.entries):
            edits = 2 if len(entry) >= TWO_EDITS_FROM - 2 else 1
            forms = _deletions(entry, edits)
            hashes.extend(hash(form) for form in forms)
            numbers.extend([number] * len(forms))
        order = np.argsort(np.array(hashes, dtype=np.int64), kind="stable")
        self._hashes = np.array(hashes, dtype=np.int64)[order]
        self._numbers = np.array(numbers, dtype=np.int32)[order]

    def close(self, word: str, edits: int) -> list[str]:
        """Entries within `edits` edits of the word."""
        forms = np.array([hash(form) for form in _deletions(word, edits)], dtype=np.int64)
        starts = np.searchsorted(self._hashes, forms, side="left").tolist()
        ends = np.searchsorted(self._hashes, forms, side="right").tolist()
        numbers = {
            n
            for a, b in zip(starts, ends, strict=True)
            if a < b
            for n in self._numbers[a:b].tolist()
        }
        found = (self.entries[n] for n in numbers)
        return sorted(e for e in found if edit_distance(word, e, edits) <= edits)


def _vowels_differ_only(key: str, other: str) -> bool:
    return len(key) == len(other) and all(
        a == b or (a in "aeiu" and b in "aeiu") for a, b in zip(key, other, strict=True)
    )


def allowed_edits(word: str) -> int:
    """Typing errors forgiven in a word: none under 5 letters, one up to 7, two from 8."""
    if len(word) < TYPO_FROM or len(word) > MAX_TYPO_WORD:
        return 0
    return 1 if len(word) < TWO_EDITS_FROM else 2


@dataclass(frozen=True)
class Vocabulary:
    phrases: dict[str, tuple[str, ...]]  # normalised phrase -> need ids
    needs: dict[str, Need]
    # Chinese is written without spaces: its terms are looked for inside the text.
    cjk_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrase_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    romanized_words: frozenset[str] = frozenset()  # words of the romanised lists
    # Needs that, named together, mean another one: pregnancy and losing one's job are
    # discrimination at work, in whatever words and language they are said.
    combined: tuple[tuple[frozenset[str], str], ...] = ()

    def match(self, query: str) -> list[Need]:
        """Needs whose words occur in the query (whole words, any language, romanised
        spellings and typing errors met), in the vocabulary's order."""
        return [m.need for m in self.match_detail(query)]

    def match_detail(
        self, query: str, *, known_word: Callable[[str], bool] | None = None
    ) -> list[NeedMatch]:
        """One NeedMatch per need found, in the vocabulary's order: its best phrase (exact
        before romanised variant before typo, then the longest) and every query position
        that matched it. `known_word` tells which words are real words as typed (e.g.
        present in the search index: "porta", "santa"): they are never corrected."""
        typed = query_words(query)
        meets = [
            self._meets(word, correct=known_word is None or not known_word(word)) for word in typed
        ]
        hits: list[tuple[int, int, int, int, str, tuple[str, ...]]] = []
        for start, met in enumerate(meets):
            for word, how in met.items():
                for order, parts, ids in self._by_first_word.get(word, ()):
                    end = start + len(parts)
                    if end > len(typed):
                        continue
                    worst = how
                    for offset in range(1, len(parts)):
                        step = meets[start + offset].get(parts[offset])
                        if step is None:
                            break
                        worst = max(worst, step)
                    else:
                        hits.append((order, start, end, worst, " ".join(parts), ids))
        hits.sort()  # the vocabulary's order, whatever the query's
        by_need: dict[str, list[tuple[int, int, int, int, str, tuple[str, ...]]]] = {}
        for hit in hits:
            for need_id in hit[5]:
                by_need.setdefault(need_id, []).append(hit)
        found = [
            self._need_match(need_id, need_hits, typed) for need_id, need_hits in by_need.items()
        ]
        plain = normalize(query[:MAX_QUERY_CHARS])
        for phrase, ids in self.cjk_phrases.items():
            if phrase in plain:
                for need_id in ids:
                    if need_id not in by_need:
                        by_need[need_id] = []
                        found.append(
                            NeedMatch(
                                self.needs[need_id], phrase, (), (phrase,),
                                self.phrase_languages.get(phrase, ("zh",)),
                            )
                        )  # fmt: skip
        return self._combined(found)

    def _combined(self, found: list[NeedMatch]) -> list[NeedMatch]:
        """The needs found, with those named together in a `combined` rule replaced by the
        need they mean (in the first one's place, with the words of all of them)."""
        for parts, meant in self.combined:
            matched = [m for m in found if m.need.id in parts or m.need.id == meant]
            if not parts <= {m.need.id for m in matched}:
                continue
            positions = tuple(sorted({p for m in matched for p in m.positions}))
            whole = NeedMatch(
                need=self.needs[meant],
                phrase=" + ".join(m.phrase for m in matched),
                positions=positions,
                words=tuple(w for m in matched for w in m.words),
                languages=tuple(dict.fromkeys(c for m in matched for c in m.languages)),
                typo=any(m.typo for m in matched),
                variant=any(m.variant for m in matched),
                inflected=any(m.inflected for m in matched),
            )
            first = found.index(matched[0])  # every match removed below stands after it
            found = [m for m in found if m.need.id not in parts and m.need.id != meant]
            found.insert(first, whole)
        return found

    def knows(self, word: str) -> bool:
        """Whether a normalised word is a word of the vocabulary, as written or in a romanised
        spelling of one (what tells a sentence from a string of random letters)."""
        if word in self._known:
            return True
        if CJK.search(word):
            # Chinese is typed through an input method: characters, never random letters.
            return any(c in self._cjk_characters for c in word)
        if len(word) < FOLD_FROM or is_function_word_anywhere(word):
            return False
        key = romanized_key(word)
        if key and len(key) >= MIN_KEY and key in self._by_key:
            return True
        return _without_clitics(word) in self._by_key

    def _need_match(self, need_id: str, hits: list, typed: list[str]) -> NeedMatch:
        _, _, _, how, phrase, _ = min(hits, key=lambda h: (h[3], h[1] - h[2], h[0]))
        positions = sorted({p for h in hits for p in range(h[1], h[2])})
        return NeedMatch(
            need=self.needs[need_id],
            phrase=phrase,
            positions=tuple(positions),
            words=tuple(typed[p] for p in positions),
            languages=self.phrase_languages.get(phrase, ()),
            typo=how == TYPO,
            variant=how == VARIANT,
            inflected=how == INFLECTED,
        )

    def _meets(self, word: str, *, correct: bool = True) -> dict[str, int]:
        """Vocabulary words this query word stands for, and how (EXACT, VARIANT, INFLECTED,
        TYPO)."""
        cached = self._cache.get((word, correct))
        if cached is not None:
            return cached
        met: dict[str, int] = {}
        if word in self._known:
            met[word] = EXACT
        if not met and len(word) >= INFLECTED_FROM and not is_function_word_anywhere(word):
            # Another form of a vocabulary word: "лікаря" (of the doctor) for "лікар".
            for language in script_languages(word):
                for same in self._by_base.get((language, base_form(word, language)), ()):
                    met.setdefault(same, INFLECTED)
        if not is_function_word_anywhere(word):
            # Short words fold onto too many others ("book" would be Urdu "bhook", hunger)
            # unless chat digits say they are Arabizi ("wra9").
            folds = len(word) >= FOLD_FROM or (not word.isalpha() and not word.isdigit())
            key = romanized_key(word) if folds else None
            if key and len(key) >= MIN_KEY:
                for same in self._by_key.get(key, ()):
                    met.setdefault(same, VARIANT)
            if not met:
                # "ltbib" (the doctor), "fsbitar" (at the hospital): the word without its
                # clitics, when that is a romanised word of the vocabulary.
                for same in self._by_key.get(_without_clitics(word) or "", ()):
                    met.setdefault(same, VARIANT)
            edits = allowed_edits(word) if correct else 0
            if not met and edits:
                # A typing error only where the word means nothing as typed.
                if _TYPO_SCRIPT.match(word):
                    # The first letter kept, as the index's corrections keep it: people
                    # rarely mistype it, and "cacciare" (to evict) is not "vaccinare".
                    for close in self._typo_words.close(word, edits):
                        if close[0] == word[0]:
                            met.setdefault(close, TYPO)
                if key and len(key) >= MIN_KEY:
                    # Romanised spellings differ in their vowels (khedma, khidma, khadma),
                    # rarely in their consonants: only vowels may be replaced ("lunch" is not
                    # "l3onf"), or added and dropped in a word that is surely romanised
                    # (khdema, wra9i; "married" is not "marid").
                    romanised = bool(_ROMANISED_TRAIT.search(word))
                    skeleton = _VOWELS.sub("", key)
                    for close_key in self._typo_keys.close(key, edits):
                        if _vowels_differ_only(key, close_key) or (
                            romanised and _VOWELS.sub("", close_key) == skeleton
                        ):
                            for close in self._by_key[close_key]:
                                met.setdefault(close, TYPO)
        if not met and correct:
            for same in self._by_skeleton.get(indic_skeleton(word) or "", ()):
                met.setdefault(same, TYPO)
        if len(self._cache) > 20_000:  # bounded: typed words are unlimited
            self._cache.clear()
        self._cache[(word, correct)] = met
        return met

    def prepare(self) -> "Vocabulary":
        """Build the lookup tables now (about 0.2 s) rather than in someone's first search."""
        tables = ("_by_first_word", "_known", "_cjk_characters", "_by_base", "_by_key",
                  "_typo_words", "_typo_keys", "_by_skeleton")  # fmt: skip
        for table in tables:
            getattr(self, table)
        return self

    @cached_property
    def _cache(self) -> dict[tuple[str, bool], dict[str, int]]:
        return {}

    @cached_property
    def _by_first_word(self) -> dict[str, list[tuple[int, list[str], tuple[str, ...]]]]:
        """Phrases by their first word: a query is looked up, not every phrase scanned."""
        index: dict[str, list[tuple[int, list[str], tuple[str, ...]]]] = {}
        for order, (phrase, ids) in enumerate(self.phrases.items()):
            parts = phrase.split(" ")
            index.setdefault(parts[0], []).append((order, parts, ids))
        return index

    @cached_property
    def _by_base(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """Vocabulary words by (language, base form), for words typed in another form."""
        index: dict[tuple[str, str], list[str]] = {}
        for phrase, languages in self.phrase_languages.items():
            for language in {code.removesuffix("-phonetic") for code in languages}:
                for word in phrase.split(" "):
                    if len(word) < INFLECTED_FROM or word in self.romanized_words:
                        continue
                    if is_function_word(word, [language]) or language not in script_languages(word):
                        continue
                    found = index.setdefault((language, base_form(word, language)), [])
                    if word not in found:
                        found.append(word)
        return {key: tuple(found) for key, found in index.items()}

    @cached_property
    def _cjk_characters(self) -> frozenset[str]:
        return frozenset(c for phrase in self.cjk_phrases for c in phrase if CJK.match(c))

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(w for phrase in self.phrases for w in phrase.split(" "))

    @cached_property
    def _by_key(self) -> dict[str, tuple[str, ...]]:
        """Romanised vocabulary words by their spelling key."""
        index: dict[str, list[str]] = {}
        for word in sorted(self.romanized_words):
            key = romanized_key(word)
            if key and len(key) >= MIN_KEY:
                index.setdefault(key, []).append(word)
        return {key: tuple(found) for key, found in index.items()}

    @cached_property
    def _by_skeleton(self) -> dict[str, tuple[str, ...]]:
        """Bengali and Gurmukhi vocabulary words by their consonants (`indic_skeleton`)."""
        index: dict[str, list[str]] = {}
        for word in sorted(self._known):
            skeleton = indic_skeleton(word)
            if skeleton:
                index.setdefault(skeleton, []).append(word)
        return {skeleton: tuple(found) for skeleton, found in index.items()}

    @cached_property
    def _typo_words(self) -> DeletionIndex:
        # Romanised words are corrected through their keys (vowels only): letter by letter,
        # "pension" would be "tension" and Italian "paese" Urdu "paise" (money).
        return DeletionIndex(
            w
            for w in self._known - self.romanized_words
            if _TYPO_SCRIPT.match(w) and len(w) >= TYPO_FROM - 1
        )

    @cached_property
    def _typo_keys(self) -> DeletionIndex:
        return DeletionIndex(k for k in self._by_key if len(k) >= TYPO_FROM - 1)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    if not VOCABULARY_FILE.is_file():
        return Vocabulary({}, {})
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    romanized = set(data.get("romanized", ROMANIZED))
    phrases: dict[str, list[str]] = {}
    languages: dict[str, list[str]] = {}
    cjk: dict[str, list[str]] = {}
    romanized_words: set[str] = set()
    ordinary_words: set[str] = set()  # loans in romanised phrases ("bio data") are not folded
    needs = {}
    for item in data["needs"]:
        needs[item["id"]] = Need(
            item["id"],
            tuple(item["categories"]),
            tuple(item["italian"]),
            bool(item.get("generic", False)),
        )
        for language, terms in item["terms"].items():
            for term in terms:
                if CJK.search(term):
                    phrase = normalize(term).replace(" ", "")
                    cjk.setdefault(phrase, []).append(item["id"])
                else:
                    phrase = " ".join(words(term))
                    if not phrase:
                        continue
                    phrases.setdefault(phrase, []).append(item["id"])
                    if language in romanized:
                        romanized_words.update(phrase.split(" "))
                    else:
                        ordinary_words.update(phrase.split(" "))
                    # "corsi di italiano" also as "corsi italiano": people drop the small
                    # words. Only where two content words remain ("non mi pagano" keeps
                    # its "non").
                    content = [w for w in phrase.split(" ") if not is_function_word(w, [language])]
                    if len(content) >= 2 and len(content) < len(phrase.split(" ")):
                        short = " ".join(content)
                        phrases.setdefault(short, []).append(item["id"])
                        languages.setdefault(short, []).append(language)
                languages.setdefault(phrase, []).append(language)
    return Vocabulary(
        {p: tuple(dict.fromkeys(ids)) for p, ids in phrases.items()},
        needs,
        {p: tuple(dict.fromkeys(ids)) for p, ids in cjk.items()},
        {p: tuple(dict.fromkeys(codes)) for p, codes in languages.items()},
        frozenset(romanized_words - ordinary_words),
        tuple((frozenset(rule["needs"]), rule["need"]) for rule in data.get("combined", ())),
    ).prepare()

"""Function words per language (search/data/stopwords.json): articles, prepositions,
conjunctions, pronouns, auxiliaries, question words ("dove", "unde", "ku", "أين") and the
fillers of a request ("I need", "cerco"). They say how a person asks, not what about.

Lists are per language because a function word of one language is a content word of
another (Albanian "kam", "I have", is Urdu "work"): the ranking asks about the languages
involved in a query. Words are compared in their normalised form (`normalize.words`): the
lists are normalised when loaded, so they are written as people type them.
"""

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pertutti.search.normalize import words

STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.json"
# Codes as the rest of search uses them; "zh" (the language detector's) is "zh-hans".
ALIASES = {"zh": "zh-hans"}


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    data = json.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))
    lists: dict[str, frozenset[str]] = {}
    for language, entries in data["languages"].items():
        # "c'est" gives "c" and "est", "آپ کا" two words: every piece is a function word.
        lists[language] = frozenset(w for entry in entries for w in words(entry))
    return lists


FUNCTION_WORD_LANGUAGES: frozenset[str] = frozenset(_lists())


def function_words(language: str) -> frozenset[str]:
    """The normalised function words of one language (empty for a language without a list)."""
    return _lists().get(ALIASES.get(language, language), frozenset())


def is_function_word(word: str, languages: Iterable[str]) -> bool:
    """Whether a normalised word is a function word in any of these languages."""
    lists = _lists()
    return any(word in lists.get(ALIASES.get(code, code), ()) for code in languages)


@lru_cache(maxsize=1)
def _any_language() -> frozenset[str]:
    return frozenset().union(*_lists().values())


def is_function_word_anywhere(word: str) -> bool:
    """Whether a normalised word is a function word in at least one language (what typo
    correction and spelling folds leave alone)."""
    return word in _any_language()


def function_word_languages(word: str) -> list[str]:
    """The languages in which a normalised word is a function word, in the file's order."""
    return [code for code, found in _lists().items() if word in found]

"""The curated vocabulary of everyday words per need, in 13 languages and transliterations
(search/data/vocabulary.json, versioned and reviewed like any translation)."""

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from pertutti.search.normalize import normalize, words

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.json"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Need:
    id: str
    categories: tuple[str, ...]
    italian: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    phrases: dict[str, tuple[str, ...]]  # normalised phrase -> need ids
    needs: dict[str, Need]
    # Chinese is written without spaces: its terms are looked for inside the text.
    cjk_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def match(self, query: str) -> list[Need]:
        """Needs whose words occur in the query (whole words, any language)."""
        query_words = words(query)
        found: list[tuple[int, tuple[str, ...]]] = []
        for i, word in enumerate(query_words):
            for order, phrase, ids in self._by_first_word.get(word, ()):
                if query_words[i : i + len(phrase)] == phrase:
                    found.append((order, ids))
        plain = normalize(query)
        found.sort()  # the vocabulary's order, whatever the query's
        need_ids = [i for _, ids in found for i in ids] + [
            need_id
            for phrase, ids in self.cjk_phrases.items()
            if phrase in plain
            for need_id in ids
        ]
        return [self.needs[i] for i in dict.fromkeys(need_ids)]

    @cached_property
    def _by_first_word(self) -> dict[str, list[tuple[int, list[str], tuple[str, ...]]]]:
        """Phrases by their first word: a query is looked up, not every phrase scanned."""
        index: dict[str, list[tuple[int, list[str], tuple[str, ...]]]] = {}
        for order, (phrase, ids) in enumerate(self.phrases.items()):
            parts = phrase.split(" ")
            index.setdefault(parts[0], []).append((order, parts, ids))
        return index


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    if not VOCABULARY_FILE.is_file():
        return Vocabulary({}, {})
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    phrases: dict[str, list[str]] = {}
    cjk: dict[str, list[str]] = {}
    needs = {}
    for item in data["needs"]:
        needs[item["id"]] = Need(item["id"], tuple(item["categories"]), tuple(item["italian"]))
        for terms in item["terms"].values():
            for term in terms:
                if CJK.search(term):
                    cjk.setdefault(normalize(term).replace(" ", ""), []).append(item["id"])
                    continue
                phrase = " ".join(words(normalize(term)))
                if phrase:
                    phrases.setdefault(phrase, []).append(item["id"])
    return Vocabulary(
        {p: tuple(dict.fromkeys(ids)) for p, ids in phrases.items()},
        needs,
        {p: tuple(dict.fromkeys(ids)) for p, ids in cjk.items()},
    )

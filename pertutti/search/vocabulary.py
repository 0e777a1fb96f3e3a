"""The curated vocabulary of everyday words per need, in 13 languages and transliterations
(search/data/vocabulary.json, versioned and reviewed like any translation)."""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
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
        text = " " + " ".join(words(query)) + " "
        plain = normalize(query)
        found = [
            need_id
            for phrase, ids in self.phrases.items()
            if f" {phrase} " in text
            for need_id in ids
        ] + [
            need_id
            for phrase, ids in self.cjk_phrases.items()
            if phrase in plain
            for need_id in ids
        ]
        return [self.needs[i] for i in dict.fromkeys(found)]


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

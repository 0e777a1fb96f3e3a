"""Text normalisation and terms for search, per script and language.

Everything a person may type must meet the text it means: case, accents, Unicode
compatibility forms, Arabic and Urdu letter variants, diacritics and tatweel, and
word endings (a Snowball stemmer where one exists for the language).
"""

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

import Stemmer

# Snowball stemmers available in PyStemmer for our languages; the others are matched
# on their folded words (and by the embeddings).
STEMMERS = {
    "it": "italian", "en": "english", "fr": "french", "es": "spanish", "ro": "romanian",
    "ru": "russian", "ar": "arabic", "uk": "russian",
}  # fmt: skip
# Ukrainian shares enough endings with Russian for the Russian stemmer to help recall.

_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef variants
        "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي",  # yeh variants (Arabic, Persian, Urdu)
        "ة": "ه", "ۃ": "ه", "ہ": "ه", "ھ": "ه", "ۀ": "ه",  # taa marbuta and heh forms
        "ك": "ک", "ڪ": "ک",  # kaf: Arabic and Urdu keyboards give different code points
        "ؤ": "و", "ئ": "ي",
        "\u0640": None,  # tatweel
    }
)  # fmt: skip
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w\u0900-\u0dff]+")  # \w misses Indic combining marks
_LATIN_LIKE = re.compile(r"^[a-z\u0400-\u04ff\u0370-\u03ff]+$")  # Latin, Cyrillic, Greek


def normalize(text: str) -> str:
    """NFKC, case folding, no accents on Latin letters, one form per Arabic letter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_MAP)
    # Strip combining accents from Latin and Cyrillic letters only: Indic vowel signs and
    # marks are letters, not accents.
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1] < "\u0500":
            if kept[-1] in "иИ" and char == "\u0306":  # keep й
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def words(text: str) -> list[str]:
    """Words of normalised text; Chinese (no spaces) becomes characters and their pairs."""
    out: list[str] = []
    for token in _WORD.findall(normalize(text)):
        if _CJK.search(token):
            chars = [c for c in token if _CJK.match(c)]
            out.extend(chars)
            out.extend(a + b for a, b in pairwise(chars))
            rest = _CJK.sub(" ", token).split()
            out.extend(rest)
        else:
            out.append(token)
    return out


@lru_cache(maxsize=16)
def _stemmer(language: str) -> "Stemmer.Stemmer | None":
    algorithm = STEMMERS.get(language)
    return Stemmer.Stemmer(algorithm) if algorithm else None


def stem(word: str, language: str) -> str:
    stemmer = _stemmer(language)
    if stemmer is None or len(word) < 4:
        return word
    return stemmer.stemWord(word)


def terms(text: str, language: str) -> list[str]:
    """Index terms: each word stemmed for the text's language (the word itself if none)."""
    return [stem(w, language) for w in words(text)]


def is_typo_tolerant(word: str) -> bool:
    """Typos are corrected in alphabetic scripts where one wrong letter keeps a word
    recognisable; Arabic script and Chinese are left to the embeddings."""
    return len(word) >= 4 and bool(_LATIN_LIKE.match(word))

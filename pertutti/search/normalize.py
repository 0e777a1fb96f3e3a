"""Text normalisation and terms for search, per script and language.

Everything a person may type must meet the text it means: case, accents, Unicode
compatibility forms, Arabic and Urdu letter variants, diacritics and tatweel, and
word endings (a Snowball stemmer where one exists for the language). Arabic, Urdu, Punjabi
and Bengali written in Latin letters have many spellings of one word ("5edma", "khedma",
"khidma"): `romanized_key` folds them to one key for the vocabulary.
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
# Invisible format characters (bidi marks, zero-width joiners, BOM, soft hyphen, Arabic
# number signs, tags): a pasted or RTL-typed word may carry them inside ("طب\u200dيب"), and
# they change nothing a reader sees, so they are dropped. Control characters (NUL...) split.
_FORMAT = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001-\U000e007f\U000e0100-\U000e01ef]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """NFKC, case folding, no accents on Latin letters, one form per Arabic letter, no
    invisible format characters."""
    text = _CONTROL.sub(" ", _FORMAT.sub("", text))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_MAP)
    # Strip combining accents from Latin and Cyrillic letters only: Indic vowel signs and
    # marks are letters, not accents.
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub(_kept_marks, decomposed))


# Combining marks after a Latin, Greek or Cyrillic letter (one regular expression rather than
# a loop over characters: a pasted page is normalised in well under a millisecond).
_LATIN_MARKS = re.compile(
    "(?<=[\x00-\u04ff])[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def _kept_marks(match: re.Match[str]) -> str:
    # и + breve is й, a letter of its own in Russian and Ukrainian.
    if match.group().startswith("\u0306") and match.string[match.start() - 1] in "иИ":
        return "\u0306"
    return ""


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


# Endings stripped from a word of a language without a Snowball stemmer, for matching the
# vocabulary only (the index keeps whole words there): case and number endings of Bengali,
# Punjabi, Urdu (normalised: ے and ی are ي), Albanian and Ukrainian, longest first. A word
# is cut once, and only where enough of it stays to mean something.
_ENDINGS_AS_WRITTEN = {
    "bn": ("গুলোর", "গুলোকে", "গুলো", "দেরকে", "দের", "েরা", "ের", "কে", "তে", "টা", "টি", "রা",
           "য়", "র", "ে"),
    "pa": ("ਿਆਂ", "ੀਆਂ", "ਆਂ", "ਾਂ", "ੇ", "ੀ", "ਾ"),
    "ur": ("وں", "يں", "ي", "ه", "ا"),
    "sq": ("ave", "ve", "në", "ën", "ës", "it", "ut", "in", "un", "ja", "ët", "i", "u", "a",
           "ë", "e", "t"),
    "uk": ("ами", "ями", "ові", "еві", "ого", "ому", "ими", "ій", "ів", "ям", "ах", "ях", "ою",
           "ею", "ом", "ем", "а", "я", "у", "ю", "і", "ї", "и", "е", "о", "ь"),
}  # fmt: skip
LIGHT_ENDINGS = {
    language: tuple(unicodedata.normalize("NFC", e) for e in endings)
    for language, endings in _ENDINGS_AS_WRITTEN.items()
}  # as `normalize` leaves them (Bengali য় is two code points after NFC)
LIGHT_MIN_STEM = {"bn": 2, "pa": 2, "ur": 2, "sq": 4, "uk": 3}
_SCRIPT_LANGUAGES = (
    (re.compile(r"^[a-z]+$"), ("it", "en", "fr", "es", "ro", "sq")),
    (re.compile(r"^[\u0400-\u04ff]+$"), ("ru", "uk")),
    (re.compile(r"^[\u0600-\u06ff]+$"), ("ar", "ur")),
    (re.compile(r"^[\u0980-\u09ff]+$"), ("bn",)),
    (re.compile(r"^[\u0a00-\u0a7f]+$"), ("pa",)),
)


def base_form(word: str, language: str) -> str:
    """A normalised word without its inflection in one language, for matching everyday
    words of the vocabulary to what people type ("ডাক্তারের", of the doctor, is "ডাক্তার";
    "mjekun" is "mjek"): the Snowball stem, or the word without one light ending."""
    # Ukrainian by its own endings here, though the index borrows the Russian stemmer.
    if language not in LIGHT_ENDINGS:
        return stem(word, language)
    for ending in LIGHT_ENDINGS[language]:
        if word.endswith(ending) and len(word) - len(ending) >= LIGHT_MIN_STEM[language]:
            return word[: -len(ending)]
    return word


def script_languages(word: str) -> tuple[str, ...]:
    """The languages of ours written in the script of a normalised word (none for a word
    mixing scripts or holding digits)."""
    for pattern, languages in _SCRIPT_LANGUAGES:
        if pattern.match(word):
            return languages
    return ()


def terms(text: str, language: str) -> list[str]:
    """Index terms: each word stemmed for the text's language (the word itself if none)."""
    return [stem(w, language) for w in words(text)]


def is_typo_tolerant(word: str) -> bool:
    """Typos are corrected in alphabetic scripts where one wrong letter keeps a word
    recognisable; Arabic script and Chinese are left to the embeddings."""
    return len(word) >= 4 and bool(_LATIN_LIKE.match(word))


# Latin spellings of Arabic (with chat digits), Urdu, Punjabi and Bengali: one key per word
# whatever the spelling. Only the vocabulary's romanised words are looked up by this key, so
# it can be coarse without changing how ordinary words of other languages match.
_CHAT_DIGITS = str.maketrans({"2": "", "3": "", "5": "X", "6": "t", "7": "h", "8": "g", "9": "k"})
_DIGRAPHS = (
    ("sch", "C"), ("sh", "C"), ("ch", "C"), ("kh", "X"), ("gh", "g"), ("ph", "f"), ("th", "t"),
    ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ck", "k"), ("q", "k"), ("c", "k"), ("v", "w"),
)  # fmt: skip
_ROMAN_WORD = re.compile(r"^[a-z0-9]*[a-z][a-z0-9]*$")
_DIPHTHONG_E = re.compile(r"[ae][iy](?![aeiou])")  # hai, kapray, mein: said "e"
_DIPHTHONG_O = re.compile(r"a[uw](?![aeiou])")  # naukri, nawkri: said "o"
_Y_VOWEL = re.compile(r"(?:(?<=[^aeiou])|^)y(?![aeiou])")  # y as a vowel, not before one
_VOWEL_CLASS = str.maketrans("o", "u")  # o~u~ou~oo (i~ee~y above)
_RUNS = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aiu])h$")  # tankhah, madrasah


def romanized_key(word: str) -> str | None:
    """One key for the Latin spellings of a word of Arabic ("Arabizi", chat digits 2 3 5 6 7
    8 9), Urdu, Punjabi or Bengali: 5edma, khedma → "Xedma"; nokri, naukri → "nukri";
    wra9, wraq → "wrak"; makaan, makan → "makan"; tabeeb, tabib → "tabib".

    For a normalised word (`words()`); None for anything else than Latin letters and digits,
    or for a number. Folds: chat digits to letters, sh/ch → one letter, kh, gh/8, q/9/k/c,
    v/w, aspirated consonants (bh, dh, th, ph) to plain ones, doubled letters, i/ee/y,
    o/u/ou/oo/au, ai/ay/ei → e, a final h after a vowel. The vowels a and e stay apart
    ("email" would otherwise be "3amal", "team" "ta3am"): khedma and khadma are one edit
    apart, which the vocabulary's typo tolerance forgives in words of 5 letters or more."""
    if not _ROMAN_WORD.match(word):
        return None
    key = word.translate(_CHAT_DIGITS)
    for pair, single in _DIGRAPHS:
        key = key.replace(pair, single)
    key = key.replace("ee", "i")  # tabeeb, beemar: a long i, not an e
    key = _DIPHTHONG_O.sub("o", _DIPHTHONG_E.sub("e", key))
    key = _Y_VOWEL.sub("i", key).translate(_VOWEL_CLASS)
    key = _FINAL_H.sub("", _RUNS.sub(r"\1", key))
    return key or None

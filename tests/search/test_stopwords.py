import json

import pytest

from pertutti.search.normalize import words
from pertutti.search.stopwords import (
    FUNCTION_WORD_LANGUAGES,
    STOPWORDS_FILE,
    function_word_languages,
    function_words,
    is_function_word,
    is_function_word_anywhere,
)

LANGUAGES = [
    "it", "ro", "ar", "sq", "en", "fr", "es", "zh-hans", "uk", "ru", "ur", "pa", "bn",
    "ar-latn", "ur-latn", "pa-latn", "bn-latn",
]  # fmt: skip

# "Where" (and a few other question words) typed as people type them, per language.
QUESTION_WORDS = {
    "it": ["dove", "come", "quando", "cosa", "perché"],
    "ro": ["unde", "cum", "când", "ce"],
    "ar": ["أين", "اين", "كيف", "متى", "ماذا", "فين", "وين"],
    "sq": ["ku", "si", "kur", "çfarë"],
    "en": ["where", "how", "when", "what"],
    "fr": ["où", "comment", "quand", "quoi"],
    "es": ["dónde", "cómo", "cuándo", "qué"],
    "zh-hans": ["哪里", "哪儿", "怎么", "什么"],
    "uk": ["де", "як", "коли", "що"],
    "ru": ["где", "как", "когда", "что"],
    "ur": ["کہاں", "کیسے", "کب", "کیا"],
    "pa": ["ਕਿੱਥੇ", "ਕਿਵੇਂ", "ਕਦੋਂ", "ਕੀ"],
    "bn": ["কোথায়", "কিভাবে", "কখন", "কী"],
    "ar-latn": ["fin", "wayn", "kifach", "imta", "chno", "3lach"],
    "ur-latn": ["kahan", "kaise", "kab", "kya", "kidhar"],
    "pa-latn": ["kithe", "kiwe", "kado", "ki"],
    "bn-latn": ["kothay", "kivabe", "kokhon", "ki"],
}


def test_every_language_has_a_list():
    assert set(LANGUAGES) <= FUNCTION_WORD_LANGUAGES
    for language in LANGUAGES:
        assert len(function_words(language)) >= 50, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_question_words_are_function_words(language):
    for typed in QUESTION_WORDS[language]:
        for word in words(typed):  # as the query gives it: normalised
            assert is_function_word(word, [language]), (language, typed, word)


def test_lists_are_compared_in_normalised_form():
    # Stored as typed (accents, hamza, Arabic kaf); compared after normalize.words().
    assert is_function_word("perche", ["it"]) and is_function_word("ou", ["fr"])
    assert is_function_word("donde", ["es"]) and is_function_word("cand", ["ro"])
    assert is_function_word(words("إلى")[0], ["ar"])
    for language in LANGUAGES:
        for word in function_words(language):
            # Chinese words become characters and pairs: every piece is in the list too.
            assert word in words(word) and set(words(word)) <= function_words(language)


def test_elisions_and_single_letters_are_kept():
    assert {"l", "d", "un", "s", "c", "qu"} <= function_words("fr")
    assert {"l", "d", "un", "all"} <= function_words("it")
    assert {"a"} <= function_words("en")


def test_lists_are_per_language():
    # Albanian "kam" (I have) is Urdu/Hindi "work"; Italian "dove" is an English bird.
    assert is_function_word("kam", ["sq"])
    assert not is_function_word("kam", ["ur-latn", "en"])
    assert not is_function_word("dove", ["en"])
    assert "sq" in function_word_languages("kam")
    assert is_function_word_anywhere("kam")
    assert not is_function_word_anywhere("medico")


def test_content_words_are_not_in_the_lists():
    for word in ["medico", "lavoro", "casa", "doctor", "work", "help", "aide", "ajutor", "khedma"]:
        assert not is_function_word_anywhere(word), word


def test_unknown_language_and_alias():
    assert function_words("xx") == frozenset()
    assert not is_function_word("dove", ["xx"])
    assert function_words("zh") == function_words("zh-hans")


def test_the_file_is_well_formed():
    data = json.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))
    for language, entries in data["languages"].items():
        assert entries and len(entries) == len(set(entries)), language
        assert all(isinstance(e, str) and e.strip() == e and e for e in entries), language

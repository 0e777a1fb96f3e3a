import pytest

from pertutti.search.normalize import normalize, terms, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Médico DI Bàse", "medico di base"),  # case and Latin accents
        ("ﬁle", "file"),  # NFKC compatibility forms
        ("ٱلْعَرَبِيَّة", "العربيه"),  # Arabic diacritics, alef wasla, taa marbuta
        ("الإقامة", "الاقامه"),  # alef with hamza
        ("طـــبيب", "طبيب"),  # tatweel
        ("مستشفى", "مستشفي"),  # alef maksura and yeh
        ("ڈاکٹر", "ڈاکٹر"),  # Urdu letters kept
        ("كتاب", "کتاب"),  # Arabic kaf and Urdu keheh meet
        ("Йод Ёлка", "йод елка"),  # Cyrillic: й kept, ё folded
        ("ਡਾਕਟਰ", "ਡਾਕਟਰ"),  # Gurmukhi vowel signs are letters, not accents
        ("ডাক্তার", "ডাক্তার"),  # Bengali virama kept
    ],
)
def test_normalize_per_script(text, expected):
    assert normalize(text) == expected


def test_chinese_is_split_into_characters_and_pairs():
    assert words("找工作") == ["找", "工", "作", "找工", "工作"]


def test_stemming_per_language():
    assert terms("corsi medici", "it") == terms("corso medico", "it")
    assert terms("doctors", "en") == terms("doctor", "en")
    assert terms("médecins", "fr") == terms("médecin", "fr")


@pytest.mark.parametrize("text", ["", "!!!", "😀😀", "\u0000\ufeff", '"*NEAR OR:-'])
def test_odd_input_gives_no_words_and_no_error(text):
    assert isinstance(words(text), list)
    assert words("!!!") == []

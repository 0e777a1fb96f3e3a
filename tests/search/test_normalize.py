import pytest

from pertutti.search.normalize import (
    base_form,
    normalize,
    romanized_key,
    script_languages,
    terms,
    words,
)


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("طب\u200dيب", ["طبيب"]),  # zero-width joiner inside a word
        ("\u200fطبيب\u200f", ["طبيب"]),  # right-to-left marks around it
        ("me\u00addico", ["medico"]),  # soft hyphen
        ("\ufeffmedico", ["medico"]),  # byte order mark
        ("medico\u0000di\u0000base", ["medico", "di", "base"]),  # NUL separates, no crash
        ("تلقيح\u202c", ["تلقيح"]),  # bidi embedding end
    ],
)
def test_invisible_characters_are_dropped(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1234 5678",
        "?!.,;:--",
        "😀🙏🏽👍",
        "\u200d\u200f\u200e",
        "\x00\x01\x1f",
        "مرحبا hello Привет 你好",
    ],
)
def test_bad_input_never_raises(text):
    result = words(text)
    assert isinstance(result, list)
    assert all(w and not any(c in w for c in "\x00\u200d\u200f") for w in result)


def test_mixed_scripts_keep_each_word():
    assert words("medico طبيب врач 医生") == ["medico", "طبيب", "врач", "医", "生", "医生"]


@pytest.mark.parametrize(
    "spellings",
    [
        ("5edma", "khedma"),  # chat digit 5 = kh
        ("cha8el", "chaghel", "shaghel"),  # 8 = gh, ch = sh
        ("chghol", "sh8ol"),
        ("shoghl", "shughl"),  # o ~ u
        ("wra9", "wraq", "wrak"),  # 9 = q = k
        ("lwra9", "lwraq"),
        ("is3af", "isaaf"),  # 3 (ain) dropped, doubled vowels
        ("mo7ami", "mohami", "muhami"),  # 7 = h
        ("t6bib", "tbib"),  # 6 = t
        ("mustashfa", "mostashfa", "mostachfa", "moustachfa"),
        ("iqama", "ikama", "i9ama"),
        ("tabib", "tabeeb"),  # ee = i
        ("naukri", "nokri"),  # au = o
        ("makan", "makaan"),
        ("kirayedar", "kirayedaar"),
        ("kagaz", "kaghaz"),  # gh = g
        ("kapray", "kapre"),  # ay = e
        ("tankha", "tankhah"),  # final h
        ("vakil", "wakil"),  # v = w
        ("laapata", "lapata"),
        ("beemar", "bimar"),
    ],
)
def test_romanized_spellings_meet(spellings):
    keys = {romanized_key(s) for s in spellings}
    assert len(keys) == 1 and None not in keys, dict(zip(spellings, keys, strict=False))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("email", "3amal"),  # a and e stay apart: ordinary words do not become Arabizi
        ("team", "ta3am"),
        ("lunch", "l3onf"),
        ("work", "wra9"),
        ("tika", "taka"),  # vaccine (Urdu) is not money (Bengali)
        ("dar", "door"),
        ("khana", "kana"),  # kh is not k
    ],
)
def test_different_words_keep_different_keys(first, second):
    assert romanized_key(first) != romanized_key(second)


@pytest.mark.parametrize("word", ["112", "2024", "", "طبيب", "врач", "médico", "a b"])
def test_romanized_key_is_only_for_latin_words(word):
    assert romanized_key(word) is None


def test_ordinary_words_are_left_as_they_are_by_normalisation():
    # The romanised key is a separate lookup: words() never rewrites what was typed.
    assert words("khedma 5edma wra9 medico") == ["khedma", "5edma", "wra9", "medico"]


@pytest.mark.parametrize(
    ("word", "language", "base"),
    [
        ("ডাক্তারের", "bn", "ডাক্তার"),
        ("ইতালিতে", "bn", "ইতালি"),
        ("ਡਾਕਟਰਾਂ", "pa", "ਡਾਕਟਰ"),
        ("mjekun", "sq", "mjek"),
        ("лікаря", "uk", "лікар"),
        ("medici", "it", "medic"),
        ("bus", "sq", "bus"),  # too short to lose an ending
    ],
)
def test_base_form(word, language, base):
    assert base_form(words(word)[0], language) == base


def test_script_languages():
    assert script_languages("medico") == ("it", "en", "fr", "es", "ro", "sq")
    assert script_languages("лікар") == ("ru", "uk")
    assert script_languages(words("ডাক্তার")[0]) == ("bn",)
    assert script_languages("a1") == ()  # digits: no language's word

import json

import pytest

from pertutti.search import vocabulary as vocabulary_module
from pertutti.search.vocabulary import (
    MAX_QUERY_WORDS,
    VOCABULARY_FILE,
    DeletionIndex,
    allowed_edits,
    edit_distance,
    indic_skeleton,
    query_words,
    vocabulary,
)


def needs(query: str, **kwargs) -> list[str]:
    return [m.need.id for m in vocabulary().match_detail(query, **kwargs)]


@pytest.mark.parametrize(
    ("query", "need"),
    [
        # Moroccan, Algerian, Tunisian, Egyptian words in Latin letters and chat digits.
        ("bghit 5edma", "job"),
        ("khedma", "job"),
        ("khidma", "job"),
        ("cha8el", "job"),
        ("kayn chi lwra9", "residence_permit"),
        ("kwaghet", "residence_permit"),
        ("bla wra9", "care_without_papers"),
        ("kart sejour", "residence_permit"),
        ("permesso", "residence_permit"),
        ("sbitar", "hospital"),
        ("mostachfa", "hospital"),
        ("tbib", "doctor"),
        ("nkri dar", "housing"),
        ("lkra", "housing"),
        ("makla", "food"),
        ("jou3an", "food"),
        ("fin nn3es", "bed_tonight"),
        ("mo7ami", "lawyer"),
        ("ma khlsnich", "labour_rights"),
        ("l7ogra", "discrimination"),
        ("kaydrbni rajli", "violence_women"),
        ("chomage", "unemployment_benefit"),
        # The same in Arabic script.
        ("بغيت نخدم", "job"),
        ("الوراق", "residence_permit"),
        ("سبيطار", "hospital"),
        ("ماكلة", "food"),
        # Urdu, Punjabi, Bengali in Latin letters.
        ("naukri", "job"),
        ("nokri chahiye", "job"),
        ("kaam", "job"),
        ("ghar kiraya", "housing"),
        ("makaan", "housing"),
        ("daktar", "doctor"),
        ("haspatal", "hospital"),
        ("khana", "food"),
        ("kaghzaat", "paperwork_help"),
        ("kam da course", "vocational_training"),
        ("kagoj nai", "care_without_papers"),
    ],
)
def test_maghrebi_and_romanised_words(query, need):
    assert need in needs(query)


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("5adma", "job"),  # spelling variants that are not listed meet a listed one
        ("khdema", "job"),
        ("nawkri", "job"),
        ("nokarii", "job"),
        ("kirayedaar", "housing"),
        ("moustashfa", "hospital"),
        ("tabeb", "doctor"),
        ("wra9i", "residence_permit"),
    ],
)
def test_unlisted_romanised_spellings_meet(query, need):
    found = vocabulary().match_detail(query)
    assert need in [m.need.id for m in found]
    assert all(m.variant or m.typo for m in found if m.need.id == need)


@pytest.mark.parametrize(
    ("query", "need", "language"),
    [
        ("medicc", "doctor", "it"),
        ("spitalull", "hospital", "ro"),
        ("medecinn", "doctor", "fr"),
        ("trabajoo", "job", "es"),
        ("doctr family", "doctor", "en"),
        ("mjekk", "doctor", "sq"),
        ("avokatt", "lawyer", "sq"),
        ("лікарр", "doctor", "uk"),
        ("врачь", "doctor", "ru"),
        ("адвокатт", "lawyer", "ru"),
        ("psichiatraa", "mental_health", "it"),
    ],
)
def test_typing_errors_are_forgiven(query, need, language):
    found = {m.need.id: m for m in vocabulary().match_detail(query)}
    assert need in found, (language, query)
    assert found[need].typo or found[need].inflected  # "врачь": a form, or a typo, of "врач"


def test_short_words_known_words_and_function_words_are_never_corrected():
    assert needs("gpp") == []  # under 5 letters: "gp" is too near everything
    assert needs("dovee") == []  # nothing to correct it to
    assert needs("quando") == []  # a function word, whatever vocabulary word is near
    # A vocabulary word is taken as typed, not "corrected" into a neighbour.
    found = vocabulary().match_detail("spital")
    assert [m.need.id for m in found] == ["hospital"] and not found[0].typo


def test_words_the_caller_knows_are_not_corrected():
    assert "doctor" in needs("medicc")
    assert "doctor" not in needs("medicc", known_word=lambda w: w == "medicc")


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("ltbib", "doctor"),  # the article glued to an Arabizi word
        ("fsbitar", "hospital"),  # "in the hospital"
        ("wlkhedma", "job"),  # "and the work"
        ("bflous", "money_help"),  # "with money"
    ],
)
def test_arabizi_clitics_are_read_off(query, need):
    found = {m.need.id: m for m in vocabulary().match_detail(query)}
    assert need in found and found[need].variant
    assert vocabulary().knows(query.split()[-1])


def test_clitics_are_not_read_off_ordinary_words():
    # What is left must be a romanised word of the vocabulary, and of more than 3 letters.
    for query in ["blood", "walking", "bread", "black", "listen", "freedom", "wrong", "delay"]:
        assert needs(query) == [], query
    assert "doctor" not in needs("ltb")  # too little left


def test_ordinary_words_do_not_become_arabizi():
    # Their romanised keys would be near Arabizi words, but a and e stay apart and a
    # correction of a romanised key may only change vowels.
    for query in ["email", "team", "lunch", "small", "porta", "talks", "ticket", "book"]:
        assert needs(query) == [], query


def test_match_detail_says_which_words_matched():
    found = vocabulary().match_detail("ho bisogno del medico di base per mio figlio")
    doctor = next(m for m in found if m.need.id == "doctor")
    assert doctor.phrase == "medico di base"
    assert doctor.positions == (3, 4, 5) and doctor.words == ("medico", "di", "base")
    assert "it" in doctor.languages and not doctor.typo and not doctor.variant


def test_match_detail_names_the_romanised_list():
    found = vocabulary().match_detail("bghit 5edma")
    job = next(m for m in found if m.need.id == "job")
    assert job.positions == (1,) and job.words == ("5edma",)
    assert job.languages == ("ar-latn",)


def test_match_keeps_its_old_answer():
    # Needs, in the vocabulary's order, as the ranking has always called it.
    matched = vocabulary().match("medico di base")
    assert matched[0].id == "doctor"
    assert [n.id for n in matched] == needs("medico di base")
    assert vocabulary().match("") == [] and vocabulary().match("xyzzy") == []


def test_chinese_is_found_inside_the_text():
    found = vocabulary().match_detail("我想看医生")
    assert "doctor" in [m.need.id for m in found]
    doctor = next(m for m in found if m.need.id == "doctor")
    assert doctor.positions == () and doctor.languages == ("zh",)


def test_generic_needs_are_marked():
    by_id = vocabulary().needs
    assert by_id["job"].generic and by_id["money_help"].generic and by_id["housing"].generic
    assert by_id["residence_permit"].generic
    assert not by_id["labour_rights"].generic and not by_id["violence_women"].generic
    assert not by_id["bed_tonight"].generic
    assert 4 <= sum(n.generic for n in by_id.values()) <= len(by_id) // 3


def test_only_the_first_words_of_a_long_query_count():
    filler = ["parola"] * 100
    late = " ".join([*filler, "medico"])
    early = " ".join(["medico", *filler])
    assert len(query_words(late)) == MAX_QUERY_WORDS
    assert needs(late) == []
    assert "doctor" in needs(early)


def test_a_pasted_page_is_bounded():
    # 200 different words of 10 letters, 1,000+ characters: only MAX_QUERY_WORDS are looked
    # at, each with one set of corrections.
    text = " ".join(f"{i:03d}zqxwvutsr" for i in range(200))
    assert len(text) > 1000
    vocab = vocabulary()
    vocab._cache.clear()
    vocab.match_detail(text)
    assert len(vocab._cache) == MAX_QUERY_WORDS
    assert vocab.match_detail("a" * 1000) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "1234567890",
        "!!!???",
        "😀😀😀",
        "\x00\x00",
        "\u200d\u200f",
        "طبيب doctor врач 医生",
    ],
)
def test_bad_input_gives_a_list(query):
    assert isinstance(vocabulary().match_detail(query), list)


def test_invisible_characters_do_not_hide_a_word():
    assert "doctor" in needs("طب\u200dيب")
    assert "doctor" in needs("\u200fطبيب\u200f")
    assert "doctor" in needs("me\u00addico")


def test_edit_distance_and_allowed_edits():
    assert edit_distance("medico", "medcio", 2) == 1  # a swap is one edit
    assert edit_distance("medico", "medic", 2) == 1
    assert edit_distance("medico", "lavoro", 2) == 3  # above the limit: limit + 1
    assert [allowed_edits("x" * n) for n in (4, 5, 7, 8, 12)] == [0, 1, 1, 2, 2]
    assert allowed_edits("x" * 200) == 0


def test_deletion_index_finds_words_within_the_edits():
    index = DeletionIndex(["medico", "medicina", "lavoro", "avvocato"])
    assert index.close("medicco", 1) == ["medico"]
    assert index.close("medicinna", 2) == ["medicina"]
    assert index.close("avvocatto", 2) == ["avvocato"]
    assert index.close("zzzzzz", 2) == []


def test_the_romanised_lists_are_split_and_generic_is_a_boolean():
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    assert data["romanized"] == ["ar-latn", "ur-latn", "pa-latn", "bn-latn"]
    allowed = set(data["languages"]) | set(data["romanized"]) | set(data["variants"])
    for need in data["needs"]:
        assert "translit" not in need["terms"], need["id"]
        assert set(need["terms"]) <= allowed, need["id"]
        assert isinstance(need["generic"], bool), need["id"]
        assert need["terms"].get("ar-latn"), need["id"]
        for terms in need["terms"].values():
            assert len(terms) == len(set(terms)), need["id"]


def test_a_vocabulary_file_without_the_new_keys_still_loads(tmp_path, monkeypatch):
    file = tmp_path / "vocabulary.json"
    file.write_text(
        '{"version": 1, "needs": [{"id": "doctor", "categories": ["health"], '
        '"italian": ["medico di base"], "terms": {"en": ["gp"], "translit": ["tabib"]}}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(vocabulary_module, "VOCABULARY_FILE", file)
    vocabulary_module.vocabulary.cache_clear()
    try:
        loaded = vocabulary_module.vocabulary()
        assert [n.id for n in loaded.match("tabib")] == ["doctor"]
        assert not loaded.needs["doctor"].generic
    finally:
        vocabulary_module.vocabulary.cache_clear()


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("ডাক্তারকে দেখাতে চাই", "doctor"),  # Bengali: to the doctor
        ("адвокатові", "lawyer"),  # Ukrainian dative
        ("вакцинами", "vaccination"),  # Ukrainian/Russian instrumental
        ("mjekut", "doctor"),  # Albanian genitive
        ("patronati", "paperwork_help"),  # Italian plural, through the Snowball stem
    ],
)
def test_other_forms_of_a_word_meet_it(query, need):
    found = {m.need.id: m for m in vocabulary().match_detail(query)}
    assert need in found, query
    word = query.split()[0]
    if word not in vocabulary()._known:  # listed as such one day: then met as written
        assert found[need].inflected and not found[need].typo


def test_short_words_and_function_words_are_not_read_as_other_forms():
    # "medi" would be a form of "medico" in Italian; "dove" is a function word.
    assert not [m for m in vocabulary().match_detail("medi dove") if m.inflected]


def test_knows_tells_words_from_random_letters():
    knows = vocabulary().knows
    assert knows("medico") and knows("tabeeb")  # listed; a romanised spelling of a listed word
    assert knows("孕检")  # Chinese: a character of the vocabulary
    assert not knows("qwpoeiru") and not knows("йцукенгшщз") and not knows("xkcdzq")


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("ਫੈਮਿਲੀ ਡਕਟਰ", "doctor"),  # Gurmukhi: the kanna of ਡਾਕਟਰ left out
        ("ডক্তার", "doctor"),  # Bengali: the aa-kar of ডাক্তার left out
        ("ডাকতার", "doctor"),  # Bengali: the virama (hasanta) left out
    ],
)
def test_bengali_and_gurmukhi_words_without_their_vowel_signs_meet(query, need):
    found = {m.need.id: m for m in vocabulary().match_detail(query)}
    assert need in found, query
    assert found[need].typo


def test_the_consonants_of_a_word():
    assert indic_skeleton("ডাক্তার") == indic_skeleton("ডক্তার") == "ডকতর"
    assert indic_skeleton("ਡਾਕਟਰ") == "ਡਕਟਰ"
    assert indic_skeleton("কাজ") is None  # two consonants: too many words share them
    assert indic_skeleton("doctor") is None and indic_skeleton("طبيب") is None


def test_a_word_met_as_written_is_not_met_by_its_consonants():
    # ডাক্তার is a vocabulary word: met exactly, never as a mistyped other word.
    found = {m.need.id: m for m in vocabulary().match_detail("ডাক্তার")}
    assert not found["doctor"].typo


@pytest.mark.parametrize(
    "query",
    [
        "je suis enceinte et mon chef veut me virer",
        "am fost concediata pentru ca sunt gravida",
        "më pushuan nga puna sepse mbeta shtatzënë",
        "tardawni mn lkhedma 7it ana 7amla",
    ],
)
def test_needs_named_together_mean_another(query):
    # Pregnant and losing one's job: discrimination at work, not a pregnancy clinic.
    found = {m.need.id: m for m in vocabulary().match_detail(query)}
    assert "discrimination" in found, query
    assert "pregnancy" not in found and "labour_rights" not in found
    # The reader's words of both parts are kept for the explanation.
    assert len(found["discrimination"].words) >= 2


def test_one_need_of_a_combination_alone_stays_itself():
    assert [m.need.id for m in vocabulary().match_detail("je suis enceinte")] == ["pregnancy"]
    found = [m.need.id for m in vocabulary().match_detail("mon chef ne me paie pas")]
    assert "labour_rights" in found and "discrimination" not in found


def test_the_combinations_name_known_needs():
    data = json.loads(vocabulary_module.VOCABULARY_FILE.read_text(encoding="utf-8"))
    ids = {need["id"] for need in data["needs"]}
    for rule in data["combined"]:
        assert len(rule["needs"]) >= 2 and set(rule["needs"]) <= ids and rule["need"] in ids

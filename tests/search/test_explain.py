"""The "matches" line names what the reader sees in the service: words of its text in the
reader's language, or the Italian with the reader's own word beside it; never a function
word, never the vocabulary's Italian alone."""

import pytest

from pertutti.importing.services import services_import_file
from pertutti.search.engine import search
from pertutti.search.filters import ServiceFilters
from pertutti.search.stopwords import is_function_word_anywhere
from pertutti.translations.exchange import import_xliff
from tests.conftest import DEMO_CSV, REPO
from tests.search.test_search import MONDAY_10


@pytest.fixture
def demo_ar(lodi, settings):
    settings.PERTUTTI_PUBLISH_DRAFTS = True
    services_import_file(territory=lodi, path=DEMO_CSV)
    data = (REPO / "demo/lodi/translations/ar.xlf").read_bytes()
    import_xliff(territory=lodi, language="ar", data=data, status="draft")
    return lodi


def matched(territory, query, ui):
    outcome = search(territory, ServiceFilters(query=query), MONDAY_10, ui_language=ui)
    return {r.service.code: r.matched for r in outcome.results}


def test_italian_words_are_named_as_the_service_writes_them(demo_ar):
    found = matched(demo_ar, "medico di base", "it")
    assert found["LPT-026"] == ("medico", "base")  # "di" is a function word: never named
    assert all(not is_function_word_anywhere(w) for labels in found.values() for w in labels)


def test_an_arabic_reader_sees_the_arabic_words_of_the_translation(demo_ar):
    found = matched(demo_ar, "طبيب", "ar")
    assert found["LPT-026"] == ("طبيب",)
    from pertutti.search.models import SearchDocument

    arabic = SearchDocument.objects.get(service__code="LPT-026", language="ar").text
    assert "طبيب" in arabic  # the word shown is in the text the reader sees


def test_the_vocabulary_italian_is_shown_with_the_readers_word_beside_it(demo_ar):
    """The Latin-letter Arabic "tabib" found the doctors through the vocabulary: the
    Italian phrase the service holds, with "tabib" beside it, never the phrase alone."""
    found = matched(demo_ar, "tabib", "it")
    assert "LPT-026" in found
    for labels in found.values():
        for label in labels:
            assert label.endswith("(tabib)"), label
    assert any(label.startswith("medico di base") for label in found["LPT-026"])


def test_a_typo_is_named_with_what_the_reader_typed(demo_ar):
    found = matched(demo_ar, "dormitrio", "it")
    assert "Dormitorio (dormitrio)" in found["LPT-039"]
    # A word the stemmer already meets is the same word: named as the service writes it.
    assert "Dormitorio" in matched(demo_ar, "dormitoro", "it")["LPT-039"]


@pytest.mark.parametrize(
    ("query", "ui"),
    [
        ("patronato", "ar"),
        ("طبيب", "ar"),
        ("permesso di soggiorno", "ar"),
        ("tabib", "it"),
        ("medic de familie", "ro"),
        ("corsi italiano", "it"),
    ],
)
def test_every_word_named_is_in_the_text_the_reader_sees(demo_ar, query, ui):
    from pertutti.search.models import SearchDocument

    found = matched(demo_ar, query, ui)
    assert found
    for code, labels in found.items():
        documents = dict(
            SearchDocument.objects.filter(service__code=code).values_list("language", "text")
        )
        seen = documents.get(ui) or documents["it"]  # the translation, or the Italian
        for label in labels:
            shown = label.split(" (")[0]
            assert shown in seen, (code, label)


@pytest.mark.parametrize(
    "text",
    [
        "Medico di base: visite, ricette (gratuito) – l’ufficio «sportello» … orari 9-12.",
        "ÉCOLE naïve İstanbul straße ﬁle ½ kg Ⅻ ⑩ ㍱ Ǆemal ŉ K Å",
        "طبيب عام مـدرسة ﻻ ﷺ",
        "طَبِيب",  # Arabic diacritics: the exact path
        "e\u0301te n\u0303o",  # accents standing alone: the exact path
        "a\u200db c\u200dd 中文",  # invisible joiners inside words: the exact path
        "soft\u00adhyphen \ufeffinizio a\x00b x\x0by tab\tnew\nline",
        "中文課程 italiano 免费",
        "हिन्दी पाठ বাংলা ਪੰਜਾਬੀ",
        "ᾳ x\u0345y ہ\u0654",
    ],
)
def test_texts_are_split_into_words_as_when_normalised_whole(text, monkeypatch):
    """The fast path normalises word by word, cached: the same words, the same surfaces as
    the exact path (the whole text normalised), which every text takes when `_UNSAFE`
    matches anything."""
    import re

    from pertutti.search import explain

    fast = explain._tokens(text)
    monkeypatch.setattr(explain, "_UNSAFE", re.compile(r"[\s\S]"))
    assert fast == explain._tokens(text)

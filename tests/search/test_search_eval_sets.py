"""The two query sets of bench/search_eval.py hold together: valid, pointing at services that
exist, the test part big and varied enough, and no query in both parts (the test part must
stay unseen by whoever tunes the search on the dev part)."""

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "bench" / "search_queries_dev.json"
TEST = REPO / "bench" / "search_queries_test.json"
TEST_LANGUAGES = ("it", "ro", "ar", "sq", "en", "fr", "es", "zh", "uk", "ru", "ur", "pa", "bn",
                  "ar-latn", "ur-latn", "pa-latn", "bn-latn")  # fmt: skip


def _queries(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def _eval_module():
    spec = importlib.util.spec_from_file_location("search_eval", REPO / "bench/search_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", [DEV, TEST], ids=["dev", "test"])
def test_a_part_is_well_formed(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["queries"]
    for item in document["queries"]:
        assert set(item) <= {"q", "lang", "expected", "note"}, item
        assert isinstance(item["q"], str) and item["q"].strip(), item
        assert isinstance(item["lang"], str) and item["lang"], item
        assert isinstance(item["expected"], list), item
        assert len(set(item["expected"])) == len(item["expected"]), item


def test_the_test_part_says_so():
    assert json.loads(TEST.read_text(encoding="utf-8"))["part"] == "test"


@pytest.mark.parametrize("path", [DEV, TEST], ids=["dev", "test"])
def test_every_expected_service_is_a_demo_service(path):
    with (REPO / "demo/lodi/mappatura-servizi-lodi.csv").open(encoding="utf-8") as file:
        codes = {row["codice"] for row in csv.DictReader(file)}
    assert len(codes) == 70
    unknown = {c for item in _queries(path) for c in item["expected"] if c not in codes}
    assert not unknown


def test_the_test_part_covers_every_language_and_transliteration():
    ranked = Counter(item["lang"] for item in _queries(TEST) if item["expected"])
    short = {lang: ranked[lang] for lang in TEST_LANGUAGES if ranked[lang] < 10}
    assert not short, f"fewer than 10 queries with expected services: {short}"


def test_the_test_part_has_situations_typos_and_nonsense():
    queries = _queries(TEST)
    notes = Counter(item.get("note") for item in queries)
    assert notes["situation"] >= 20
    assert len({i["lang"] for i in queries if i.get("note") == "situation"}) >= 10
    typo_languages = {i["lang"] for i in queries if i.get("note") == "typo"}
    assert len(typo_languages & {"it", "en", "fr", "es", "ro", "sq", "ru", "uk"}) >= 5
    nonsense = [i for i in queries if i.get("note") == "nonsense"]
    assert len(nonsense) >= 8
    assert all(i["expected"] == [] for i in nonsense)
    # An empty expected set only where no service is the answer.
    assert all(i.get("note") in ("nonsense", "function-words") for i in queries
               if not i["expected"])  # fmt: skip


def test_no_query_is_in_both_parts():
    dev = {_normalised(item["q"]) for item in _queries(DEV)}
    shared = [item["q"] for item in _queries(TEST) if _normalised(item["q"]) in dev]
    assert not shared


def test_every_query_is_asked_in_a_language_of_the_site():
    ui_language = _eval_module().ui_language
    site = {code for code, _ in settings.LANGUAGES}
    langs = {item["lang"] for path in (DEV, TEST) for item in _queries(path)}
    assert {lang: ui_language(lang) for lang in langs if ui_language(lang) not in site} == {}
    assert ui_language("ar-latn") == ui_language("bn-latn") == "it"
    assert ui_language("zh") == "zh-hans"


def test_precision_counts_only_queries_whose_results_are_all_relevant():
    scored = _eval_module().scored
    relevant = {"LPT-001", "LPT-002"}
    assert scored([], 0, {"LPT-001"}, relevant)["all_relevant"] == 0.0
    assert scored(["LPT-002", "LPT-001"], 2, {"LPT-001"}, relevant) == {
        "r5": 1.0, "mrr": 0.5, "n": 2, "all_relevant": 1.0,
    }  # fmt: skip
    one_stray = scored(["LPT-001", "LPT-009"], 2, {"LPT-001"}, relevant)
    assert one_stray["all_relevant"] == 0.0 and one_stray["r5"] == 1.0
    assert scored([f"LPT-0{n}" for n in range(10, 16)] + ["LPT-001"], 7, {"LPT-001"},
                  relevant)["r5"] == 0.0  # fmt: skip

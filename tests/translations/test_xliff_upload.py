"""The XLIFF upload of the workspace: the round trip, every bad file, the size limit applied
before the body is read, over-long targets, and the search index updated in the background."""

import re

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pertutti.search.models import SearchDocument
from pertutti.translations import exchange
from pertutti.translations.exchange import export_language
from pertutti.translations.models import Translation
from tests.staff import sign_in
from tests.translations.conftest import source_of
from tests.translations.test_xliff import fill_targets

URL = "/en/translate/ar/xliff/import/"


@pytest.fixture
def translator(people):
    return people["translator_ar"]


@pytest.fixture
def signed_in(client, translator):
    return sign_in(client, translator, verified=False)


def upload(data: bytes, name: str = "ar.xlf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xliff+xml")


@pytest.fixture
def no_reindex(monkeypatch):
    """The index work a web upload may do: texts written, no vector computed in the
    request, one task enqueued for them."""
    enqueued: list[int] = []

    class FakeTask:
        def enqueue(self, territory_id: int) -> None:
            enqueued.append(territory_id)

    def synchronous(**kwargs):
        raise AssertionError("the web upload computed vectors inside the request")

    monkeypatch.setattr(exchange, "search_vectors_update", synchronous)
    monkeypatch.setattr(exchange.tasks, "search_vectors_task", FakeTask())
    return enqueued


def test_download_and_upload_through_the_workspace(
    signed_in, lodi, one_service, translator, no_reindex, django_capture_on_commit_callbacks
):
    response = signed_in.get("/it/translate/ar/xliff/export/?version=1.2")
    assert response["Content-Disposition"] == 'attachment; filename="lodi-ar-xliff1.2.xlf"'
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(URL, {"file": upload(fill_targets(response.content, "1.2"))})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"\d+ translations imported\. 0 unchanged\.", page)
    assert Translation.objects.filter(language="ar", translator=translator).exists()
    assert no_reindex == [lodi.pk]  # enqueued after the commit, not run in the request


def test_the_texts_are_searchable_at_once_and_the_task_adds_their_vectors(
    signed_in, lodi, one_service, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from pertutti.search import indexing

    class Embedder:
        name = "test-model"

        def passages(self, texts):
            return np.ones((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr(indexing, "get_embedder", lambda: Embedder())
    monkeypatch.setattr(indexing, "vector_model_name", lambda: Embedder.name)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    data = fill_targets(export_language(lodi, "ar"), "2.0", make=lambda s: f"عربي {s}")
    assert not SearchDocument.objects.filter(language="ar").exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in.post(URL, {"file": upload(data)})
    document = SearchDocument.objects.get(language="ar", service=one_service)
    assert "عربي" in document.text  # written with the translations: lexical search has it
    assert document.vector is None  # computed after the commit, not in the request
    for callback in callbacks:  # the commit: the worker's task runs (immediate backend)
        callback()
    document.refresh_from_db()
    assert document.vector_model == "test-model"
    assert np.frombuffer(bytes(document.vector), dtype=np.float32).tolist() == [1.0] * 4


def test_bad_uploads_say_why_and_import_nothing(signed_in, lodi, one_service, no_reindex):
    response = signed_in.post(URL, {"file": upload(b"<xliff")})
    assert response.status_code == 400
    assert "Nothing was imported: not a valid XML file" in response.content.decode()
    wrong = export_language(lodi, "ar").replace(b'trgLang="ar"', b'trgLang="fr"')
    response = signed_in.post(URL, {"file": upload(wrong)})
    assert response.status_code == 400
    assert "target language is &#x27;fr&#x27;" in response.content.decode()
    response = signed_in.post(URL, {})
    assert response.status_code == 400 and "Choose a file." in response.content.decode()
    assert not Translation.objects.exists() and no_reindex == []


def test_over_long_targets_are_rejected_and_the_rest_imported(
    signed_in, lodi, one_service, no_reindex, django_capture_on_commit_callbacks
):
    """The probe: a 45 MB target for one text was published. Now a target longer than its
    source allows (here 20,001 characters, above the absolute ceiling) is reported."""
    name = source_of(one_service, "name")

    def make(source: str) -> str:
        return "ب" * 20_001 if source == name.text else f"[ar] {source}"

    data = fill_targets(export_language(lodi, "ar"), "2.0", make=make)
    with django_capture_on_commit_callbacks(execute=True):
        page = signed_in.post(URL, {"file": upload(data)}).content.decode()
    assert "Rejected: the translation is too long for its Italian text" in page
    assert re.search(r"<li dir=\"ltr\">service\.TST-001\.name\.[0-9a-f]{16}</li>", page)
    assert not Translation.objects.filter(source=name).exists()
    description = Translation.objects.get(source=source_of(one_service, "description"))
    assert description.text == "[ar] Aiuto per il permesso di soggiorno."
    assert no_reindex == [lodi.pk]


def csrf_client(translator, page: str = URL) -> tuple[Client, str]:
    """A client that enforces CSRF as browsers meet it, and the token of the form."""
    client = sign_in(Client(enforce_csrf_checks=True), translator, verified=False)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(page).content.decode()
    )
    return client, token.group(1)


def test_a_file_over_the_limit_is_stopped_while_it_arrives(
    lodi, one_service, translator, settings, no_reindex
):
    """The form's token comes first, then the file: the limit stops reading the file after
    `PERTUTTI_MAX_UPLOAD_BYTES`, before the view sees it (the CSRF check reads the form only
    after the limit is in place)."""
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 1000
    client, token = csrf_client(translator)
    data = fill_targets(export_language(lodi, "ar"), "2.0")
    assert 1000 < len(data) < 60_000  # declared length within the allowance for the form
    response = client.post(URL, {"csrfmiddlewaretoken": token, "file": upload(data)})
    assert response.status_code == 413
    assert "The file is too large: at most 1000\xa0bytes." in response.content.decode()
    assert not Translation.objects.exists()


def test_a_file_declared_over_the_limit_is_refused_unread(
    lodi, one_service, translator, settings, monkeypatch, no_reindex
):
    from django.http.multipartparser import MultiPartParser

    def parse(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 1000
    client, token = csrf_client(translator)
    big = upload(b"x" * 100_000)
    response = client.post(URL, {"csrfmiddlewaretoken": token, "file": big})
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not Translation.objects.exists()


def test_the_page_states_the_limit(signed_in, one_service, settings):
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    assert "at most 10.0\xa0MB" in signed_in.get(URL).content.decode()


def test_an_upload_without_csrf_token_imports_nothing(lodi, one_service, translator, no_reindex):
    client, _token = csrf_client(translator)
    data = fill_targets(export_language(lodi, "ar"), "2.0")
    assert client.post(URL, {"file": upload(data)}).status_code == 403
    assert not Translation.objects.exists()


def test_a_translator_of_another_language_cannot_upload(client, lodi, one_service, people):
    sign_in(client, people["translator_fr"], verified=False)
    data = fill_targets(export_language(lodi, "ar"), "2.0")
    assert client.post(URL, {"file": upload(data)}).status_code == 403
    assert not Translation.objects.exists()


def test_the_task_does_nothing_for_a_territory_gone_meanwhile(db):
    from pertutti.search.tasks import search_index_update_task

    assert search_index_update_task.call(999_999) == 0

"""Writes of the search index: one document per service and language, then its vector.

The text of a document is written in the transaction of the change that needs it (an
import, a translation upload: `search_documents_write`), so lexical search serves the new
text as soon as the change commits. Its vector (0.13 s per text on one core) comes after,
outside that transaction (`search_vectors_update`): from the background worker, or from a
command once its import has committed. A document whose text changed loses its old vector
until then: semantic search leaves it out rather than match the text it no longer has.

`search_index_check` compares every document with the text its service has now, without
writing: it finds what an import killed between its commit and its indexing left behind.
"""

import hashlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from pertutti.directory.models import Location, Service, ServiceStatus
from pertutti.search.embeddings import BACKENDS, get_embedder
from pertutti.search.index import index_file_update
from pertutti.search.models import SearchDocument, SearchIndexState
from pertutti.search.parallel_embedding import BATCH, available_cores, passages_embedded
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.translations.models import Translation
from pertutti.translations.selectors import Localizer

logger = logging.getLogger(__name__)
FIELDS = ("name", "eligibility", "description", "application_process", "required_documents")
# Below this many texts a pool's start (a second per process, loading the model) costs
# more than it saves: embedded in this process.
POOL_MIN_TEXTS = 4 * BATCH
# A long embedding job publishes its vectors this often, not only at its end (each
# publication makes every process rebuild its index).
PUBLISH_SECONDS = 300.0
CHUNK = 2000  # services whose texts are computed together
# More services than this are written as the whole territory: the same result, and no
# query naming more ids than SQLite accepts (32,766 parameters).
SCOPE_MAX = 10_000

# Called with (vectors written, vectors to write) after each batch.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexUpdate:
    written: int  # documents whose text was written
    embedded: int  # vectors computed
    removed: int
    pending: int = 0  # documents left without a current vector


@dataclass(frozen=True)
class IndexCheck:
    """How the stored documents differ from what the services say now."""

    documents: int  # stored
    stale: list[tuple[int, str]]  # (service, language) whose text changed since written
    missing: list[tuple[int, str]]  # wanted, not stored
    orphans: list[tuple[int, str]]  # stored, no longer wanted
    without_vector: int  # current texts without a vector of the configured model

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.orphans or self.without_vector)


def document_text(service: Service, localizer: Localizer) -> tuple[str, bool]:
    """The searchable text of a service in the localizer's language, and whether any of it
    is really in that language (a document that is all fallback Italian is not worth one)."""
    municipalities = [loc.municipality.name for loc in service.locations.all() if loc.municipality]
    return _text(service, localizer, service.category, service.organization.name, municipalities)


def _text(
    service: Service,
    localizer: Localizer,
    category: Category,
    organization: str,
    municipalities: list[str],
) -> tuple[str, bool]:
    parts, translated = [], False
    for field in FIELDS:
        text = localizer.get(service, field)
        translated = translated or (text.text and not text.fallback)
        parts.append(text.text)
    parts[1:1] = [localizer.get(category, "name").text, organization, *municipalities]
    return "\n".join(p for p in parts if p), translated


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def wanted_texts(
    territory: Territory, service_ids: Collection[int] | None = None
) -> dict[tuple[int, str], str]:
    """The document text each (service, language) should have now: every active service in
    the source language, and in each language it has any translated text in."""
    services = Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
    places = Location.objects.filter(service__territory=territory, municipality__isnull=False)
    if service_ids is not None:
        services = services.filter(pk__in=service_ids)
        places = places.filter(service_id__in=service_ids)
    # Rows, not model instances with prefetched places: those took 40 s at 50,000 services.
    municipalities: dict[int, list[str]] = defaultdict(list)
    for service_id, name in places.order_by("pk").values_list("service_id", "municipality__name"):
        municipalities[service_id].append(name)
    categories = {c.pk: c for c in Category.objects.all()}
    rows = list(
        services.order_by("pk").values_list("pk", "category_id", "organization__name", *FIELDS)
    )
    languages = [
        territory.source_language,
        *sorted(
            set(
                Translation.objects.filter(source__territory=territory)
                .values_list("language", flat=True)
                .distinct()
            )
            - {territory.source_language}
        ),
    ]
    wanted: dict[tuple[int, str], str] = {}
    # In chunks: a translation lookup names its services, and SQLite takes at most
    # 32,766 parameters in a query.
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        loaded = [
            Service(pk=row[0], category_id=row[1], **dict(zip(FIELDS, row[3:], strict=True)))
            for row in chunk
        ]
        for language in languages:
            localizer = Localizer(
                language=language,
                source_language=territory.source_language,
                objects=[*loaded, *categories.values()],
            )
            for service, row in zip(loaded, chunk, strict=True):
                text, translated = _text(
                    service, localizer, categories[row[1]], row[2], municipalities[row[0]]
                )
                if language == territory.source_language or translated:
                    wanted[(service.pk, language)] = text
    return wanted


def vector_model_name() -> str:
    """The name of the configured embedding model, without loading it ("" when off)."""
    backend = BACKENDS.get(settings.PERTUTTI_EMBEDDINGS)
    return backend.name if backend is not None else ""


def _documents(
    territory: Territory, service_ids: Collection[int] | None
) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.filter(service__territory=territory)
    return documents if service_ids is None else documents.filter(service_id__in=service_ids)


def _without_current_vector(model: str) -> Q:
    return Q(vector=None) | ~Q(vector_model=model)


@transaction.atomic
def search_documents_write(
    *, territory: Territory, service_ids: Collection[int] | None = None
) -> IndexUpdate:
    """Bring the documents' texts up to date (all of the territory's, or those of
    `service_ids`), in the caller's transaction. Cheap: no embedding. A changed text loses
    its vector, and so does a vector of another model than the configured one."""
    if service_ids is not None and len(service_ids) > SCOPE_MAX:
        service_ids = None
    wanted = wanted_texts(territory, service_ids)
    existing = {
        (d.service_id, d.language): d
        for d in _documents(territory, service_ids).only(
            "pk", "service_id", "language", "fingerprint"
        )
    }
    to_write: list[SearchDocument] = []
    for key, text in wanted.items():
        fingerprint = _fingerprint(text)
        document = existing.get(key)
        if document and document.fingerprint == fingerprint:
            continue
        document = document or SearchDocument(service_id=key[0], language=key[1])
        document.text, document.fingerprint = text, fingerprint
        document.vector, document.vector_model = None, ""
        to_write.append(document)
    stale = [d.pk for key, d in existing.items() if key not in wanted]
    for document in to_write:
        if document.pk is None:
            document.save()
        else:
            document.save(update_fields=["text", "fingerprint", "vector", "vector_model"])
    SearchDocument.objects.filter(pk__in=stale).delete()
    model = vector_model_name()
    other_model = 0
    if model:
        other_model = (
            _documents(territory, service_ids)
            .exclude(vector=None)
            .exclude(vector_model=model)
            .update(vector=None, vector_model="")
        )
    if (
        to_write
        or stale
        or other_model
        or not SearchIndexState.objects.filter(territory=territory).exists()
    ):
        search_index_changed(territory=territory)
    if to_write or stale or other_model:
        logger.info(
            "search index: %d documents written, %d removed, %d vectors of another model dropped",
            len(to_write),
            len(stale),
            other_model,
        )
    pending = (
        _documents(territory, service_ids).filter(_without_current_vector(model)).count()
        if model
        else 0
    )
    return IndexUpdate(written=len(to_write), embedded=0, removed=len(stale), pending=pending)


def embedding_processes() -> int:
    """Processes for a large embedding job: PERTUTTI_EMBEDDING_PROCESSES, or one per core."""
    return settings.PERTUTTI_EMBEDDING_PROCESSES or available_cores()


def search_vectors_update(
    *,
    territory: Territory,
    processes: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Compute the vectors the territory's documents lack (or have of another model) and
    write them batch by batch; returns how many were written. Run outside any long
    transaction: a large job takes minutes. A text that changed meanwhile keeps no vector
    of its old text (each write checks the fingerprint) and waits for the next run."""
    embedder = get_embedder()
    if embedder is None:
        return 0
    pending = list(
        SearchDocument.objects.filter(service__territory=territory)
        .filter(_without_current_vector(embedder.name))
        .order_by("pk")
        .values_list("pk", "fingerprint", "text")
    )
    if not pending:
        return 0
    # Texts of like length together: a batch is padded to its longest text, and the
    # model's work grows with the padded length.
    pending.sort(key=lambda row: len(row[2]))
    processes = processes or embedding_processes()
    texts = [text for _, _, text in pending]
    backend = settings.PERTUTTI_EMBEDDINGS
    if processes > 1 and len(texts) >= POOL_MIN_TEXTS and BACKENDS[backend].name == embedder.name:
        batches = passages_embedded(
            texts,
            backend=backend,
            model_path=settings.PERTUTTI_EMBEDDINGS_MODEL_PATH,
            processes=processes,
        )
    else:
        batches = (
            (start, embedder.passages(texts[start : start + BATCH]).astype(np.float32))
            for start in range(0, len(texts), BATCH)
        )
    started = published = time.perf_counter()
    written = done = 0
    for start, vectors in batches:
        with transaction.atomic():
            for (pk, fingerprint, _), vector in zip(
                pending[start : start + len(vectors)], vectors, strict=True
            ):
                written += SearchDocument.objects.filter(pk=pk, fingerprint=fingerprint).update(
                    vector=vector.tobytes(), vector_model=embedder.name
                )
            done += len(vectors)
            if time.perf_counter() - published > PUBLISH_SECONDS and done < len(texts):
                search_index_changed(territory=territory)
                published = time.perf_counter()
        if progress is not None:
            progress(done, len(texts))
    with transaction.atomic():
        search_index_changed(territory=territory)
    seconds = time.perf_counter() - started
    logger.info(
        "search index: %d vectors written in %.1f s (%.1f passages/s, %d processes)",
        written,
        seconds,
        done / seconds if seconds else 0.0,
        processes if len(texts) >= POOL_MIN_TEXTS else 1,
    )
    return written


def progress_printed(write: Callable[[str], None], every: float = 5.0) -> Progress:
    """Progress of the vectors for a command: a line every `every` seconds and at the end."""
    started = last = time.perf_counter()

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.perf_counter()
        if done == total or now - last >= every:
            last = now
            write(f"search vectors: {done}/{total} ({done / (now - started):.1f} passages/s)")

    return progress


def search_index_update(
    *,
    territory: Territory,
    embed: bool = True,
    processes: int | None = None,
    progress: Progress | None = None,
) -> IndexUpdate:
    """Every document of the territory up to date: texts written, then (with `embed`) the
    missing vectors computed here. Without `embed` the vectors are left to a later run."""
    update = search_documents_write(territory=territory)
    if not embed:
        return update
    embedded = search_vectors_update(territory=territory, processes=processes, progress=progress)
    return IndexUpdate(
        written=update.written,
        embedded=embedded,
        removed=update.removed,
        pending=max(0, update.pending - embedded),
    )


def search_index_check(*, territory: Territory) -> IndexCheck:
    """Compare the stored documents with the texts the services have now. Writes nothing.

    Computes every text of the territory (8 s at 50,000 services on a loaded 2-core
    machine), so it runs in the background worker or a command, never in a request."""
    wanted = wanted_texts(territory)
    model = vector_model_name()
    stored = {
        (service_id, language): (fingerprint, has_vector and vector_model == model)
        for service_id, language, fingerprint, vector_model, has_vector in _documents(
            territory, None
        )
        .annotate(has_vector=ExpressionWrapper(~Q(vector=None), output_field=BooleanField()))
        .values_list("service_id", "language", "fingerprint", "vector_model", "has_vector")
    }
    stale, missing, without_vector = [], [], 0
    for key, text in wanted.items():
        found = stored.get(key)
        if found is None:
            missing.append(key)
        elif found[0] != _fingerprint(text):
            stale.append(key)
        elif model and not found[1]:
            without_vector += 1
    orphans = [key for key in stored if key not in wanted]
    return IndexCheck(
        documents=len(stored),
        stale=sorted(stale),
        missing=sorted(missing),
        orphans=sorted(orphans),
        without_vector=without_vector,
    )


def search_index_changed(*, territory: Territory) -> None:
    """Tell every process that the territory's documents changed (after writing them)."""
    SearchIndexState.objects.update_or_create(territory=territory, defaults={"token": uuid.uuid4()})
    # The workers map the new token's file: written once here, after the commit.
    transaction.on_commit(lambda: index_file_update(territory))

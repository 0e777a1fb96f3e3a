"""Writes of the search index: one document per service and language, embedded once.

Run after every import (the commands do it) and on a timer for translations saved in the
workspace (`manage.py update_search_index`). Embeddings are computed here, never while
answering a request, and only for documents whose text changed.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from pertutti.directory.models import Service, ServiceStatus
from pertutti.search.embeddings import get_embedder
from pertutti.search.models import SearchDocument, SearchIndexState
from pertutti.territories.models import Territory
from pertutti.translations.models import Translation
from pertutti.translations.selectors import Localizer

logger = logging.getLogger(__name__)
BATCH = 32
FIELDS = ("name", "eligibility", "description", "application_process", "required_documents")


@dataclass(frozen=True)
class IndexUpdate:
    written: int
    embedded: int
    removed: int


def document_text(service: Service, localizer: Localizer) -> tuple[str, bool]:
    """The searchable text of a service in the localizer's language, and whether any of it
    is really in that language (a document that is all fallback Italian is not worth one)."""
    parts, translated = [], False
    for field in FIELDS:
        text = localizer.get(service, field)
        translated = translated or (text.text and not text.fallback)
        parts.append(text.text)
    category = localizer.get(service.category, "name")
    municipalities = [loc.municipality.name for loc in service.locations.all() if loc.municipality]
    parts[1:1] = [category.text, service.organization.name, *municipalities]
    return "\n".join(p for p in parts if p), translated


def search_index_update(*, territory: Territory, embed: bool = True) -> IndexUpdate:
    services = list(
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .select_related("organization", "category")
        .prefetch_related("locations__municipality")
    )
    translated = Translation.objects.filter(source__territory=territory)
    languages = [
        territory.source_language,
        *sorted(set(translated.values_list("language", flat=True))),
    ]
    objects = [*services, *{s.category for s in services}]
    wanted: dict[tuple[int, str], str] = {}
    for language in languages:
        localizer = Localizer(
            language=language, source_language=territory.source_language, objects=objects
        )
        for service in services:
            text, translated = document_text(service, localizer)
            if language == territory.source_language or translated:
                wanted[(service.pk, language)] = text
    existing = {
        (d.service_id, d.language): d
        for d in SearchDocument.objects.filter(service__territory=territory).defer("vector")
    }
    embedder = get_embedder() if embed else None
    model_name = embedder.name if embedder else ""
    to_write: list[SearchDocument] = []
    for key, text in wanted.items():
        fingerprint = hashlib.sha256(text.encode()).hexdigest()
        document = existing.get(key)
        if (
            document
            and document.fingerprint == fingerprint
            and (not embedder or document.vector_model == model_name)
        ):
            continue
        document = document or SearchDocument(service_id=key[0], language=key[1])
        document.text, document.fingerprint = text, fingerprint
        to_write.append(document)
    embedded = 0
    if embedder and to_write:
        for start in range(0, len(to_write), BATCH):
            batch = to_write[start : start + BATCH]
            vectors = embedder.passages([d.text for d in batch]).astype(np.float32)
            for document, vector in zip(batch, vectors, strict=True):
                document.vector, document.vector_model = vector.tobytes(), model_name
            embedded += len(batch)
    stale = [pk for key, d in existing.items() if key not in wanted for pk in [d.pk]]
    with transaction.atomic():
        for document in to_write:
            document.save()
        SearchDocument.objects.filter(pk__in=stale).delete()
        if to_write or stale or not SearchIndexState.objects.filter(territory=territory).exists():
            search_index_changed(territory=territory)
    if to_write:
        logger.info("search index: %d documents written, %d embedded", len(to_write), embedded)
    return IndexUpdate(written=len(to_write), embedded=embedded, removed=len(stale))


def search_index_changed(*, territory: Territory) -> None:
    """Tell every process that the territory's documents changed (after writing them)."""
    SearchIndexState.objects.update_or_create(territory=territory, defaults={"token": uuid.uuid4()})

"""Reads of content translations: what a page shows in the reader's language."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from pertutti.translations.fingerprints import fingerprint
from pertutti.translations.models import Translation, TranslationStatus


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str  # the language the text is in, for the lang attribute
    fallback: bool  # the reader asked for another language


class Localizer:
    """Translations of many objects into one language, looked up in one query per model.

    A translation is shown only when it was made from the Italian the object has now;
    otherwise (missing or outdated) the Italian is shown and `fell_back` becomes true.
    """

    def __init__(
        self,
        *,
        language: str,
        source_language: str,
        objects: Iterable[models.Model],
        publish_drafts: bool | None = None,
    ) -> None:
        self.language = language
        self.source_language = source_language
        self.fell_back = False
        self._index: dict[tuple[int, int, str], Translation] = {}
        if language == source_language:
            return
        statuses = [TranslationStatus.TRANSLATED, TranslationStatus.REVIEWED]
        if settings.PERTUTTI_PUBLISH_DRAFTS if publish_drafts is None else publish_drafts:
            statuses.append(TranslationStatus.DRAFT)
        by_type: dict[int, set[int]] = {}
        for obj in objects:
            if obj is not None and obj.pk is not None:
                ct = ContentType.objects.get_for_model(obj)
                by_type.setdefault(ct.pk, set()).add(obj.pk)
        for ct_id, ids in by_type.items():
            rows = Translation.objects.filter(
                language=language,
                status__in=statuses,
                source__content_type_id=ct_id,
                source__object_id__in=ids,
            ).select_related("source")
            for t in rows:
                self._index[(ct_id, t.source.object_id, t.source.field)] = t

    def get(self, obj: models.Model, field: str) -> LocalizedText:
        original = getattr(obj, field) or ""
        if self.language == self.source_language or not original.strip():
            return LocalizedText(original, self.source_language, False)
        ct = ContentType.objects.get_for_model(obj)
        translation = self._index.get((ct.pk, obj.pk, field))
        if translation is not None and translation.source_fingerprint == fingerprint(original):
            return LocalizedText(translation.text, self.language, False)
        self.fell_back = True
        return LocalizedText(original, self.source_language, True)

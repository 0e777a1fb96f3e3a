"""Writes of content translations: keeping the Italian sources in step, saving, reviewing."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.translations.fingerprints import fingerprint
from pertutti.translations.models import (
    GlossaryTerm,
    SourceText,
    Translation,
    TranslationStatus,
)
from pertutti.translations.registry import translatable_fields


class TranslationError(ValueError):
    pass


def source_texts_sync(*, territory: Territory, obj: models.Model) -> int:
    """Record the current Italian of every translatable field of `obj`; returns how many changed.

    A changed text gets a new fingerprint, which is what makes its translations outdated.
    """
    content_type = ContentType.objects.get_for_model(obj)
    existing = {
        s.field: s for s in SourceText.objects.filter(content_type=content_type, object_id=obj.pk)
    }
    changed = 0
    now = timezone.now()
    for field in translatable_fields(type(obj)):
        text = getattr(obj, field) or ""
        current = existing.get(field)
        if current is None:
            if text.strip():
                SourceText.objects.create(
                    territory=territory,
                    content_type=content_type,
                    object_id=obj.pk,
                    field=field,
                    text=text,
                    fingerprint=fingerprint(text),
                    changed_at=now,
                )
                changed += 1
        elif current.text != text:
            current.text, current.fingerprint, current.changed_at = text, fingerprint(text), now
            current.save(update_fields=["text", "fingerprint", "changed_at"])
            changed += 1
    return changed


def source_texts_sync_service(*, service: Service) -> int:
    changed = source_texts_sync(territory=service.territory, obj=service)
    changed += source_texts_sync(territory=service.territory, obj=service.organization)
    schedule = getattr(service, "schedule", None)
    if schedule is not None:
        changed += source_texts_sync(territory=service.territory, obj=schedule)
    return changed


def source_texts_sync_categories(*, territory: Territory) -> int:
    return sum(source_texts_sync(territory=territory, obj=c) for c in Category.objects.all())


@transaction.atomic
def source_texts_sync_territory(*, territory: Territory) -> int:
    changed = sum(
        source_texts_sync_service(service=s)
        for s in Service.objects.filter(territory=territory).select_related(
            "organization", "schedule", "territory"
        )
    )
    return changed + source_texts_sync_categories(territory=territory)


def source_texts_read(*, obj: models.Model) -> None:
    """Count a page view of `obj`: translators' queues put the most read texts first."""
    SourceText.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).update(reads=F("reads") + 1)


def _check_language(language: str, territory: Territory) -> None:
    if language == territory.source_language or language not in territory.offered_languages:
        raise TranslationError(f"language {language!r} is not a target language of {territory}")


@transaction.atomic
def translation_save(
    *,
    source: SourceText,
    language: str,
    text: str,
    status: str,
    user: AbstractBaseUser | None = None,
    translator_name: str = "",
    expected_fingerprint: str | None = None,
) -> Translation:
    """Save a translation of the current Italian. Plain text only: it is escaped when shown.

    `expected_fingerprint` is the fingerprint of the Italian the translator saw; if the Italian
    changed meanwhile the save is refused instead of pinning the new source to an old text.
    """
    _check_language(language, source.territory)
    if status not in (TranslationStatus.DRAFT, TranslationStatus.TRANSLATED):
        raise TranslationError(f"status {status!r} cannot be set by saving")
    if not text.strip():
        raise TranslationError("empty translation")
    source = SourceText.objects.select_for_update().get(pk=source.pk)
    if expected_fingerprint is not None and expected_fingerprint != source.fingerprint:
        raise TranslationError("the Italian text changed while you were translating")
    translation, _ = Translation.objects.update_or_create(
        source=source,
        language=language,
        defaults={
            "text": text.strip(),
            "status": status,
            "source_fingerprint": source.fingerprint,
            "source_text": source.text,
            "translator": user,
            "translator_name": translator_name or (user.get_username() if user else ""),
            "translated_at": timezone.now(),
            "reviewer": None,
            "reviewed_at": None,
        },
    )
    return translation


@transaction.atomic
def translation_review(*, translation: Translation, user: AbstractBaseUser) -> Translation:
    """A second person confirms an up-to-date translation."""
    translation = (
        Translation.objects.select_for_update().select_related("source").get(pk=translation.pk)
    )
    if translation.is_outdated:
        raise TranslationError("an outdated translation cannot be reviewed")
    if translation.translator_id == user.pk and not user.is_staff:
        raise TranslationError("a translation is reviewed by someone else")
    translation.status = TranslationStatus.REVIEWED
    translation.reviewer = user  # type: ignore[assignment]
    translation.reviewed_at = timezone.now()
    translation.save(update_fields=["status", "reviewer", "reviewed_at"])
    return translation


def objects_of(sources: Iterable[SourceText]) -> set[tuple[int, int]]:
    return {(s.content_type_id, s.object_id) for s in sources}


@transaction.atomic
def glossary_load(*, territory: Territory, entries: dict[str, dict[str, str]]) -> int:
    """Create or update the territory's glossary: {"permesso di soggiorno": {"ar": "…"}}."""
    for term, translations in entries.items():
        GlossaryTerm.objects.update_or_create(
            territory=territory, term=term, defaults={"translations": translations}
        )
    return len(entries)

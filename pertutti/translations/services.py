"""Writes of content translations: keeping the Italian sources in step, saving, reviewing."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    """Refused; the message is shown to the translator as it is (translated)."""


class TranslationTooLong(TranslationError):
    """A target out of proportion to its Italian: a CAT import reports it and goes on."""


# How long a translation may be. Whole paragraphs run 1.1-1.4x their Italian, short labels
# far more (the demo's Arabic has 5.3x for one short name), so 4x the source plus 200
# characters leaves room for every real translation. The absolute ceiling keeps a pasted
# document or a hostile file (a 45 MB target was once accepted) out of pages, search
# documents and embeddings: 20,000 characters are about eight printed pages, 47 times the
# longest Italian text of the demo (423 characters).
TARGET_LENGTH_FACTOR = 4
TARGET_LENGTH_MARGIN = 200
TARGET_LENGTH_CEILING = 20_000


def target_length_limit(source_text: str) -> int:
    """The longest translation accepted for `source_text`, in characters."""
    return min(
        TARGET_LENGTH_FACTOR * len(source_text) + TARGET_LENGTH_MARGIN, TARGET_LENGTH_CEILING
    )


def source_texts_sync(
    *,
    territory: Territory,
    obj: models.Model,
    carry_translations: bool = False,
    note: str = "",
) -> int:
    """Record the current Italian of every translatable field of `obj`; returns how many changed.

    A changed text gets a new fingerprint, which is what makes its translations outdated.
    With `carry_translations` (a change marked minor: a typo, punctuation, a phone number in a
    sentence) the translations that were up to date move to the new text instead, with a
    history entry, so translators are not asked to redo them.
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
            old_text, old_fingerprint = current.text, current.fingerprint
            current.text, current.fingerprint, current.changed_at = text, fingerprint(text), now
            current.save(update_fields=["text", "fingerprint", "changed_at"])
            changed += 1
            # An emptied text has nothing left to translate: nothing is carried to it.
            if carry_translations and text.strip():
                _translations_carry(
                    source=current, old_text=old_text, old_fingerprint=old_fingerprint, note=note
                )
    return changed


def _translations_carry(
    *, source: SourceText, old_text: str, old_fingerprint: str, note: str
) -> int:
    """Move the translations made from `old_text` to the source's new text, keeping their
    status; outdated ones (made from an even older text) stay outdated."""
    entry = {
        "at": source.changed_at.isoformat(),
        "event": "carried",
        "note": note,
        "from": old_text,
        "to": source.text,
    }
    carried = list(
        Translation.objects.select_for_update().filter(
            source=source, source_fingerprint=old_fingerprint
        )
    )
    for translation in carried:
        translation.source_fingerprint = source.fingerprint
        translation.source_text = source.text
        translation.history = [*translation.history, entry]
    Translation.objects.bulk_update(carried, ["source_fingerprint", "source_text", "history"])
    return len(carried)


def source_texts_sync_service(
    *, service: Service, carry_translations: bool = False, note: str = ""
) -> int:
    """The Italian texts of a service, its organisation and its opening hours (see above)."""
    objects: list[models.Model] = [service, service.organization]
    schedule = getattr(service, "schedule", None)
    if schedule is not None:
        objects.append(schedule)
    return sum(
        source_texts_sync(
            territory=service.territory, obj=obj, carry_translations=carry_translations, note=note
        )
        for obj in objects
    )


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
        raise TranslationError(_("The translation is empty."))
    source = SourceText.objects.select_for_update().get(pk=source.pk)
    if expected_fingerprint is not None and expected_fingerprint != source.fingerprint:
        raise TranslationError(_("The Italian text changed while you were translating."))
    limit = target_length_limit(source.text)
    if len(text.strip()) > limit:
        raise TranslationTooLong(
            _(
                "The translation is too long: %(length)s characters, at most %(limit)s "
                "for this text."
            )
            % {"length": len(text.strip()), "limit": limit}
        )
    translation, _created = Translation.objects.update_or_create(
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
    """A second person confirms an up-to-date translation marked as translated.

    Checked here, not only by hiding the button: a draft (an imported machine or demo text)
    must never become "reviewed" without having been translated first.
    """
    translation = (
        Translation.objects.select_for_update()
        .select_related("source__territory")
        .get(pk=translation.pk)
    )
    if translation.is_outdated:
        raise TranslationError(_("An outdated translation cannot be reviewed."))
    if translation.status != TranslationStatus.TRANSLATED:
        raise TranslationError(_("Only a translation saved as translated can be reviewed."))
    if not user.has_perm("translations.review", translation):
        # A second person: never the translation's own translator (accounts/rules.py).
        raise TranslationError(_("You may not review this translation."))
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

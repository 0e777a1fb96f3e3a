"""Reads of content translations: what a page shows in the reader's language."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, F, Q

from pertutti.territories.models import Territory
from pertutti.translations.fingerprints import fingerprint
from pertutti.translations.models import SourceText, Translation, TranslationStatus


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str  # the language the text is in, for the lang attribute
    fallback: bool  # the reader asked for another language


class Localizer:
    """Translations of many objects into one language, looked up in one query per model.

    A translation is shown only when it was made from the Italian the object has now;
    otherwise (missing or outdated) the Italian is shown and `fell_back` becomes true.
    An object may ship its own translations (`bundled_text`: the category names, part of the
    product): they come after a translator's finished translation and before a draft.
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
        if translation is not None and translation.source_fingerprint != fingerprint(original):
            translation = None  # outdated
        if translation is not None and translation.status != TranslationStatus.DRAFT:
            return LocalizedText(translation.text, self.language, False)
        bundled = getattr(obj, "bundled_text", None)
        shipped = bundled(field, self.language) if bundled is not None else ""
        if shipped:
            return LocalizedText(shipped, self.language, False)
        if translation is not None:
            return LocalizedText(translation.text, self.language, False)
        self.fell_back = True
        return LocalizedText(original, self.source_language, True)


@dataclass(frozen=True)
class LanguageProgress:
    """Every non-empty Italian text is in one state in a language: reviewed, translated and
    awaiting review, a draft, missing, or outdated (any status, made from an older Italian).
    The five counts add up to `total`; `up_to_date` is reviewed + awaiting review."""

    language: str
    total: int
    up_to_date: int
    outdated: int
    missing: int
    drafts: int
    awaiting_review: int
    reviewed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.up_to_date / self.total) if self.total else 100

    @property
    def shares(self) -> dict[str, int]:
        """Percentages of the five states that add up to 100 (largest remainders)."""
        counts = {
            "reviewed": self.reviewed,
            "awaiting_review": self.awaiting_review,
            "drafts": self.drafts,
            "missing": self.missing,
            "outdated": self.outdated,
        }
        if not self.total:
            return dict.fromkeys(counts, 0)
        exact = {k: 100 * v / self.total for k, v in counts.items()}
        shares = {k: int(v) for k, v in exact.items()}
        by_remainder = sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)
        for key in by_remainder[: 100 - sum(shares.values())]:
            shares[key] += 1
        return shares

    @property
    def to_translate(self) -> int:
        """Texts a translator still has to write: missing or outdated."""
        return self.missing + self.outdated


def language_progress(territory: Territory, language: str) -> LanguageProgress:
    """How much of a territory's content is translated and current in `language`."""
    sources = SourceText.objects.filter(territory=territory).exclude(text="")
    total = sources.count()
    rows = Translation.objects.filter(source__in=sources, language=language)
    current = Q(source_fingerprint=F("source__fingerprint"))
    counts = rows.aggregate(
        up_to_date=Count("pk", filter=current & ~Q(status=TranslationStatus.DRAFT)),
        outdated=Count("pk", filter=~current),
        drafts=Count("pk", filter=current & Q(status=TranslationStatus.DRAFT)),
        awaiting_review=Count("pk", filter=current & Q(status=TranslationStatus.TRANSLATED)),
        reviewed=Count("pk", filter=current & Q(status=TranslationStatus.REVIEWED)),
        any=Count("pk"),
    )
    return LanguageProgress(
        language=language,
        total=total,
        up_to_date=counts["up_to_date"],
        outdated=counts["outdated"],
        missing=total - counts["any"],
        drafts=counts["drafts"],
        awaiting_review=counts["awaiting_review"],
        reviewed=counts["reviewed"],
    )

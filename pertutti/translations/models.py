"""Translations of content (not of the interface, which is gettext).

Organisations write in Italian. Each translatable Italian text of an object is a
SourceText with the fingerprint of its current wording; a Translation records the
fingerprint of the Italian it was made from, so when the Italian changes the
translation becomes outdated by itself and is kept, never deleted. This is a
documented extension of HSDS 3.0, which has no translations (docs/translations.md).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from pertutti.territories.models import Territory
from pertutti.translations.diff import word_diff


class SourceText(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    text = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the Italian text.")
    changed_at = models.DateTimeField()
    reads = models.PositiveIntegerField(default=0, help_text="Page views: orders the queues.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="one_source_per_field"
            )
        ]
        indexes = [models.Index(fields=["territory", "-reads"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id}.{self.field}"


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    TRANSLATED = "translated", "translated"
    REVIEWED = "reviewed", "reviewed"


class Translation(models.Model):
    source = models.ForeignKey(SourceText, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    text = models.TextField()
    status = models.CharField(max_length=12, choices=TranslationStatus.choices)
    source_fingerprint = models.CharField(max_length=64, help_text="Of the Italian translated.")
    source_text = models.TextField(help_text="The Italian it was made from, for the diff.")
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    translator_name = models.CharField(max_length=150, blank=True, help_text="From a CAT file.")
    translated_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # What happened to the translation besides being translated: a minor change of the Italian
    # carried it to the new text ({"at", "event": "carried", "note", "from", "to"}).
    history = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "language"], name="one_translation_per_lang")
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.language}]"

    @property
    def is_outdated(self) -> bool:
        return self.source_fingerprint != self.source.fingerprint

    @property
    def carried_over(self) -> list[dict[str, Any]]:
        """The minor changes of the Italian this translation was carried across, oldest
        first, with `at` as a datetime and the word diff of the Italian, for the editor."""
        return [
            {
                **entry,
                "at": datetime.fromisoformat(entry["at"]),
                "diff": word_diff(entry.get("from", ""), entry.get("to", "")),
            }
            for entry in self.history
            if entry.get("event") == "carried"
        ]


class GlossaryTerm(models.Model):
    """A fixed term of a territory ("permesso di soggiorno") with approved translations."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="glossary")
    term = models.CharField(max_length=120)
    note = models.TextField(blank=True)
    translations = models.JSONField(default=dict, help_text='{"ar": "…", "en": "…"}')

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "term"], name="unique_glossary_term")
        ]

    def __str__(self) -> str:
        return self.term

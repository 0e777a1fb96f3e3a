"""What the search engine stores: one document per service and language, and the daily
usage counts of the needs report (no IP, no user, no cookie)."""

import uuid

from django.db import models

from pertutti.directory.models import Service


class SearchDocument(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    text = models.TextField(help_text="Everything searchable of the service in this language.")
    fingerprint = models.CharField(max_length=64)
    vector = models.BinaryField(null=True, help_text="float32 embedding of `text`.")
    vector_model = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "language"], name="one_document_per_lang")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} [{self.language}]"


class SearchIndexState(models.Model):
    """A new token at every write of a territory's documents. Each process keeps its index
    in memory and compares tokens before a search: one primary-key read, where counting
    the documents cost 80 ms at 50,000 services. A random token, not a counter, so that
    two databases (tests, a restored backup) never look alike."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.UUIDField(default=uuid.uuid4)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.territory_id}: {self.token}"


class UsageKind(models.TextChoices):
    ZERO_RESULT = "zero_result", "zero_result"  # key: language, tab, normalised query text
    CATEGORY = "category", "category"  # key: category code
    MUNICIPALITY = "municipality", "municipality"  # key: ISTAT code
    LANGUAGE = "language", "language"  # key: interface language of a public page viewed


class UsageCount(models.Model):
    """How often something was asked for on one day: the needs report's only source. A count
    per day and no more (no time, IP, user, cookie or session), written in batches by
    `search.usage` and deleted after PERTUTTI_USAGE_RETENTION_DAYS by `prune_usage`."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=UsageKind.choices)
    key = models.CharField(max_length=255)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "day", "kind", "key"], name="one_usage_count_per_day"
            )
        ]
        indexes = [models.Index(fields=["territory", "kind", "day"], name="usage_by_kind")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}: {self.count}"

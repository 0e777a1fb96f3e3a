"""What the search engine stores: one document per service and language, and the
queries that found nothing (for the needs report; no IP, no user, no cookie)."""

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


class ZeroResultQuery(models.Model):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=200)
    language = models.CharField(max_length=10, help_text="Detected, or the interface language.")
    interface_language = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

"""The category taxonomy of services (the 11 categories of the services spreadsheet)."""

from django.db import models


class Category(models.Model):
    code = models.SlugField(unique=True, help_text="Stable identifier, never renamed.")
    name = models.CharField(max_length=120, help_text="Italian name, as in the spreadsheet.")
    description = models.TextField()
    icon = models.CharField(max_length=40, help_text="Name of the icon in the icon set.")
    position = models.PositiveSmallIntegerField(default=0)
    # The categories are part of the product, so their translations ship with the taxonomy
    # (data/categories.json) like the interface catalogue: {"ar": "…", "ur": "…"}.
    names = models.JSONField(default=dict, blank=True, help_text="Name in other languages.")
    descriptions = models.JSONField(
        default=dict, blank=True, help_text="Description in other languages."
    )

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def bundled_text(self, field: str, language: str) -> str:
        """The shipped translation of `field` ("name" or "description"), or ""."""
        bundle = {"name": self.names, "description": self.descriptions}.get(field) or {}
        return bundle.get(language, "")

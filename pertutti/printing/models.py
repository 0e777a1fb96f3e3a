"""Printing stores only short links to orientation sheets: service codes, nothing personal."""

from django.db import models

from pertutti.territories.models import Territory


class Selection(models.Model):
    key = models.CharField(max_length=12, unique=True)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    codes = models.JSONField(help_text="Service codes, in the order picked.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key}: {', '.join(self.codes)}"

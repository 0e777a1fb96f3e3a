"""Writes of the category taxonomy."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


def category_definitions() -> list[dict[str, str]]:
    return json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def categories_sync(*, category_model: Any = None) -> int:
    """Create or update the categories of the bundled taxonomy; returns how many exist.

    `category_model` lets a data migration pass its historical model.
    """
    if category_model is None:
        from pertutti.taxonomy.models import Category

        category_model = Category
    definitions = category_definitions()
    for position, item in enumerate(definitions):
        category_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "icon": item["icon"],
                "position": position,
            },
        )
    return len(definitions)

"""Writes of the category taxonomy."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


def category_definitions() -> list[dict[str, Any]]:
    return json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def categories_sync(*, category_model: Any = None) -> int:
    """Create or update the categories of the bundled taxonomy; returns how many exist.

    `category_model` lets a data migration pass its historical model; the fields that model
    does not have yet (the translations, before their migration) are left out.
    """
    if category_model is None:
        from pertutti.taxonomy.models import Category

        category_model = Category
    fields = {f.name for f in category_model._meta.get_fields()}
    definitions = category_definitions()
    for position, item in enumerate(definitions):
        values = {
            "name": item["name"],
            "description": item["description"],
            "icon": item["icon"],
            "position": position,
            "names": item.get("names", {}),
            "descriptions": item.get("descriptions", {}),
        }
        category_model.objects.update_or_create(
            code=item["code"], defaults={k: v for k, v in values.items() if k in fields}
        )
    return len(definitions)

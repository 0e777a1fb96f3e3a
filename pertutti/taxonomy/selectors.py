"""Reads of the category taxonomy, including its Open Referral HSDS 3.0 export."""

import uuid
from typing import Any

from pertutti.taxonomy.models import Category
from pertutti.territories.names import fold_name

# Stable ids: HSDS 3.0 wants UUIDs; deriving them from the code keeps them the
# same across deployments and re-imports.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pertutti.example/taxonomy/categories")
TAXONOMY_ID = str(uuid.uuid5(_NAMESPACE, "taxonomy"))


def category_by_name() -> dict[str, Category]:
    """Categories keyed by folded Italian name and by code, for matching spreadsheet cells."""
    index: dict[str, Category] = {}
    for category in Category.objects.all():
        index[fold_name(category.name)] = category
        index[fold_name(category.code)] = category
    return index


def hsds_taxonomy() -> dict[str, Any]:
    """The categories as an HSDS 3.0 taxonomy with its taxonomy_terms."""
    return {
        "taxonomy": {
            "id": TAXONOMY_ID,
            "name": "Per tutti service categories",
            "description": "The categories of the services spreadsheet (mappatura dei servizi).",
            "uri": None,
            "version": "1",
        },
        "taxonomy_terms": [
            {
                "id": str(uuid.uuid5(_NAMESPACE, c.code)),
                "code": c.code,
                "name": c.name,
                "description": c.description,
                "parent_id": None,
                "taxonomy": "pertutti-categories",
                "language": "it",
                "taxonomy_id": TAXONOMY_ID,
                "term_uri": None,
                # Extension, documented in docs/hsds-extensions.md.
                "icon": c.icon,
            }
            for c in Category.objects.all()
        ],
    }

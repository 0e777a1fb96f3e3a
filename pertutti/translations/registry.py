"""Which fields of which models are content to translate.

Names of organisations and addresses are never translated: people must recognise
them on a sign and say them at a desk.
"""

from django.db import models

from pertutti.directory.models import Organization, Schedule, Service
from pertutti.taxonomy.models import Category

TRANSLATABLE: dict[type[models.Model], tuple[str, ...]] = {
    Service: (
        "name",
        "description",
        "eligibility",
        "required_documents",
        "cost",
        "application_process",
        "accessibility",
        "languages_note",
    ),
    Organization: ("description",),
    Schedule: ("original_text",),
    Category: ("name", "description"),
}


def translatable_fields(model: type[models.Model]) -> tuple[str, ...]:
    return TRANSLATABLE.get(model, ())

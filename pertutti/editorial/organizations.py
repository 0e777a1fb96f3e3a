"""Writes of what an organisation says of itself (its public page): no review, no versions.

The description is a translation source, so it is resynced like a service's texts; the
organisation's name stays with the import, which matches rows to organisations by it.
"""

from django.db import transaction
from django.utils import timezone

from pertutti.directory.models import Organization, Service
from pertutti.translations.services import source_texts_sync


@transaction.atomic
def organization_update(
    *, organization: Organization, description: str, website: str, email: str
) -> Organization:
    organization.description = description
    organization.website = website
    organization.email = email
    organization.save(update_fields=["description", "website", "email"])
    source_texts_sync(territory=organization.territory, obj=organization)
    # Public pages are cached by the last change of a service (public.caching): touching the
    # organisation's services makes the organisation and service pages show the new text.
    Service.objects.filter(organization=organization).update(updated_at=timezone.now())
    return organization

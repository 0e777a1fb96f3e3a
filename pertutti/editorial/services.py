"""Writes of the editorial loop: publishing a change as a new version, revisions and their
review, restoring, confirming a service is still correct.

Every publication goes through `service_publish`: it refuses a change made from an older
version (optimistic locking), applies the snapshot, records the version, keeps the Italian
translation sources in step (a *minor* change carries the translations over) and re-indexes
the search after the commit.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pertutti.directory.models import Organization, Service
from pertutti.directory.snapshots import Snapshot, service_apply, service_snapshot
from pertutti.editorial.models import (
    RevisionStatus,
    ServiceRevision,
    ServiceVersion,
    VersionSource,
)
from pertutti.search.tasks import search_index_update_task
from pertutti.territories.models import Territory
from pertutti.translations.services import source_texts_sync_service

User = AbstractBaseUser


class EditorialError(ValueError):
    """A change that cannot be made; the message is for the person (translated)."""


class StaleEdit(EditorialError):
    """The service changed since the form was opened: the change is refused, not merged."""

    def __init__(self, message: str, *, current: Service) -> None:
        super().__init__(message)
        self.current = current


# Called after a revision is submitted, approved or sent back (e-mails, dashboards); the
# notifications module registers itself here so that this module needs no mail code.
revision_listeners: list[Callable[[ServiceRevision, str], None]] = []


def _notify(revision: ServiceRevision, event: str) -> None:
    for listener in revision_listeners:
        transaction.on_commit(lambda listener=listener: listener(revision, event))


def _reindex(territory: Territory) -> None:
    transaction.on_commit(lambda: search_index_update_task.enqueue(territory_id=territory.pk))


def version_record(
    *,
    service: Service,
    source: str,
    author: User | None = None,
    author_name: str = "",
    note: str = "",
    minor: bool = False,
) -> ServiceVersion:
    """Record the service as it is now as its version `service.version`."""
    return ServiceVersion.objects.create(
        service=service,
        number=service.version,
        data=service_snapshot(service),
        source=source,
        author=author if author is not None and author.is_authenticated else None,
        author_name=(author.get_username() if author is not None else author_name)[:150],
        note=note,
        minor=minor,
        created_at=timezone.now(),
    )


@transaction.atomic
def service_publish(
    *,
    service: Service,
    data: Snapshot,
    base_version: int,
    source: str,
    author: User | None,
    note: str = "",
    minor: bool = False,
) -> ServiceVersion:
    """Make `data` the published service as a new version, or raise StaleEdit."""
    current = Service.objects.select_for_update().get(pk=service.pk)
    if current.version != base_version:
        raise StaleEdit(
            _("The service changed while you were editing it."), current=current
        )  # the view shows the other change beside the person's input
    service_apply(service=current, data=data)
    current.version += 1
    current.save(update_fields=["version"])
    version = version_record(service=current, source=source, author=author, note=note, minor=minor)
    source_texts_sync_service(service=current, carry_translations=minor, note=note)
    _reindex(current.territory)
    service.refresh_from_db()
    return version


def _new_code(territory: Territory) -> str:
    """Codes of services added in the back office: NEW-0001, NEW-0002, … (never reused)."""
    taken = Service.objects.filter(territory=territory, code__startswith="NEW-").count()
    number = taken + 1
    while Service.objects.filter(territory=territory, code=f"NEW-{number:04d}").exists():
        number += 1
    return f"NEW-{number:04d}"


@transaction.atomic
def service_create(
    *,
    territory: Territory,
    organization: Organization,
    data: Snapshot,
    source: str,
    author: User | None,
    note: str = "",
) -> Service:
    """A new service from a snapshot, as version 1."""
    service = Service(territory=territory, organization=organization, code=_new_code(territory))
    service_apply(service=service, data={**data, "organization_id": organization.pk})
    service.version = 1
    service.save(update_fields=["version"])
    version_record(service=service, source=source, author=author, note=note)
    source_texts_sync_service(service=service)
    _reindex(territory)
    return service


@transaction.atomic
def revision_submit(
    *,
    organization: Organization,
    data: Snapshot,
    author: User,
    service: Service | None = None,
    base_version: int = 0,
    note: str = "",
    minor: bool = False,
    publish: bool = False,
) -> ServiceRevision:
    """An editor's change (or new service). With `publish` (a trusted organisation, or a
    reviewer's own edit) it is published at once; otherwise it waits for a reviewer while
    the public keeps the published version. A stale base is refused either way."""
    if service is not None:
        current = Service.objects.select_for_update().get(pk=service.pk)
        if current.version != base_version:
            raise StaleEdit(_("The service changed while you were editing it."), current=current)
        # An editor's newer change replaces their pending one for the same service.
        ServiceRevision.objects.filter(
            service=service, status=RevisionStatus.PENDING, author=author
        ).update(status=RevisionStatus.WITHDRAWN)
    revision = ServiceRevision.objects.create(
        territory=organization.territory,
        service=service,
        organization=organization,
        base_version=base_version,
        data={**data, "organization_id": organization.pk},
        minor=minor,
        note=note,
        author=author,
        created_at=timezone.now(),
    )
    if publish:
        _publish_revision(revision, reviewer=None, source=VersionSource.EDITOR)
        _notify(revision, "published")
    else:
        _notify(revision, "submitted")
    return revision


def _publish_revision(
    revision: ServiceRevision, *, reviewer: User | None, source: str, data: Snapshot | None = None
) -> None:
    data = data or revision.data
    if revision.service is None:
        service = service_create(
            territory=revision.territory,
            organization=revision.organization,
            data=data,
            source=source,
            author=revision.author,
            note=revision.note,
        )
        revision.service = service
        revision.published = service.versions.first()
    else:
        revision.published = service_publish(
            service=revision.service,
            data=data,
            base_version=revision.base_version,
            source=source,
            author=revision.author,
            note=revision.note,
            minor=revision.minor,
        )
    revision.status = RevisionStatus.APPROVED
    revision.reviewer = reviewer  # type: ignore[assignment]
    revision.reviewed_at = timezone.now()
    revision.data = data
    revision.save()


@transaction.atomic
def revision_approve(
    *, revision: ServiceRevision, reviewer: User, data: Snapshot | None = None, comment: str = ""
) -> ServiceRevision:
    """Publish a pending revision (as submitted, or as the reviewer edited it: `data`)."""
    revision = ServiceRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RevisionStatus.PENDING:
        raise EditorialError(_("This change is no longer waiting for review."))
    # A service changed or closed since the revision was made has a newer version: approving
    # would undo that, so service_publish refuses it (StaleEdit) and the reviewer sees both.
    revision.review_comment = comment
    _publish_revision(revision, reviewer=reviewer, source=VersionSource.REVIEW, data=data)
    _notify(revision, "approved")
    return revision


@transaction.atomic
def revision_return(*, revision: ServiceRevision, reviewer: User, comment: str) -> ServiceRevision:
    """Send a revision back to its editor with a comment; the public sees no change."""
    revision = ServiceRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RevisionStatus.PENDING:
        raise EditorialError(_("This change is no longer waiting for review."))
    if not comment.strip():
        raise EditorialError(_("Say what should change."))
    revision.status = RevisionStatus.RETURNED
    revision.reviewer = reviewer  # type: ignore[assignment]
    revision.reviewed_at = timezone.now()
    revision.review_comment = comment.strip()
    revision.save()
    _notify(revision, "returned")
    return revision


@transaction.atomic
def service_restore(
    *,
    service: Service,
    version: ServiceVersion,
    author: User,
    base_version: int | None = None,
    note: str = "",
) -> ServiceVersion:
    """Publish an earlier version again, as a new version (history is never rewritten).
    `base_version`: the version the page showed; a restore from a stale page is refused."""
    if version.service_id != service.pk:
        raise EditorialError(_("This version is of another service."))
    return service_publish(
        service=service,
        data=version.data,
        base_version=service.version if base_version is None else base_version,
        source=VersionSource.RESTORE,
        author=author,
        note=note or f"v{version.number}",
    )


@transaction.atomic
def service_verify(*, service: Service, author: User, base_version: int) -> ServiceVersion:
    """ "Still correct": a version with no change but today's verification date."""
    data: dict[str, Any] = service_snapshot(service)
    data["service"]["assured_date"] = timezone.localdate().isoformat()
    return service_publish(
        service=service,
        data=data,
        base_version=base_version,
        source=VersionSource.VERIFIED,
        author=author,
        minor=True,
    )

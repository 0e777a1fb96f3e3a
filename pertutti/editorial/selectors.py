"""Reads of the editorial loop: revisions waiting for review, an editor's outcomes."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from pertutti.editorial.models import RevisionStatus, ServiceRevision
from pertutti.territories.models import Territory


def _revisions(territory: Territory) -> QuerySet[ServiceRevision]:
    return ServiceRevision.objects.filter(territory=territory).select_related(
        "service", "organization", "author", "reviewer"
    )


def revision_of(territory: Territory, pk: int) -> ServiceRevision | None:
    """A revision of this territory, or None (another territory's id is not found)."""
    return _revisions(territory).filter(pk=pk).first()


def pending_revisions(territory: Territory) -> QuerySet[ServiceRevision]:
    """Waiting for review, the oldest first: they are dealt with in the order they came."""
    return _revisions(territory).filter(status=RevisionStatus.PENDING).order_by("created_at", "pk")


def pending_revision_count(territory: Territory) -> int:
    return ServiceRevision.objects.filter(
        territory=territory, status=RevisionStatus.PENDING
    ).count()


def author_revisions(
    territory: Territory, author: AbstractBaseUser, *, limit: int = 50
) -> QuerySet[ServiceRevision]:
    """A person's own revisions, newest first, whatever their outcome (withdrawn ones are
    replaced by a newer change and are left out)."""
    return (
        _revisions(territory)
        .filter(author=author)
        .exclude(status=RevisionStatus.WITHDRAWN)
        .order_by("-created_at", "-pk")[:limit]
    )


def returned_revisions(
    territory: Territory, author: AbstractBaseUser, *, since: datetime
) -> QuerySet[ServiceRevision]:
    """Sent back to `author` since `since` and not yet followed by a newer change of theirs to
    the same service: what still asks for their attention."""
    newer = ServiceRevision.objects.filter(
        service=OuterRef("service"), author=author, created_at__gt=OuterRef("created_at")
    )
    return (
        _revisions(territory)
        .filter(author=author, status=RevisionStatus.RETURNED, reviewed_at__gte=since)
        .filter(~Exists(newer))  # a new service (no service) never matches: never superseded
        .order_by("-reviewed_at", "-pk")
    )


def approved_revisions(
    territory: Territory, author: AbstractBaseUser, *, since: datetime
) -> QuerySet[ServiceRevision]:
    """`author`'s changes approved by a reviewer since `since`, newest first."""
    return (
        _revisions(territory)
        .filter(
            author=author,
            status=RevisionStatus.APPROVED,
            reviewer__isnull=False,  # published directly (trusted): nobody approved it
            reviewed_at__gte=since,
        )
        .order_by("-reviewed_at", "-pk")
    )

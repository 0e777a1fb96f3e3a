"""The activity log: one call records who did what. Never passwords, tokens or IP addresses."""

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from pertutti.accounts.models import AuditAction, AuditEvent
from pertutti.territories.models import Territory

RETENTION = timedelta(days=365)


def audit_record(
    *,
    action: AuditAction,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    actor_name: str = "",
    territory: Territory | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        territory=territory,
        actor=user,
        actor_name=(user.get_username() if user else actor_name)[:150],
        action=action,
        target=target[:300],
        detail=detail or {},
        created_at=timezone.now(),
    )


def sign_in_attempts_prune(*, now: Any = None) -> int:
    """Delete django-axes' records of failed sign-ins whose lock window is over.

    They hold the client's address; axes only clears them at the next sign-in, so on a quiet
    site they would stay. Live locks (attempts within the cool-off time) are kept.
    """
    from axes.models import AccessAttempt
    from django.conf import settings

    cutoff = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


def audit_prune(*, now: Any = None, keep: timedelta = RETENTION) -> int:
    """Delete events older than the retention period (12 months); returns how many."""
    cutoff = (now or timezone.now()) - keep
    deleted, _ = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def audit_events(
    *, territory: Territory, actions: Collection[str] = (), actor_id: int | None = None
) -> QuerySet[AuditEvent]:
    """The territory's activity log, newest first, narrowed to some actions and/or a person."""
    events = AuditEvent.objects.filter(territory=territory)
    if actions:
        events = events.filter(action__in=list(actions))
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events.order_by("-created_at", "-pk")


def audit_actors(*, territory: Territory) -> list[tuple[int, str]]:
    """(user id, name) of everyone who appears as the actor in the territory's log, by name."""
    rows = (
        AuditEvent.objects.filter(territory=territory, actor__isnull=False)
        .order_by()  # the default order would make DISTINCT see every row as different
        .values_list("actor_id", "actor__username")
        .distinct()
    )
    return sorted(rows, key=lambda row: row[1].casefold())

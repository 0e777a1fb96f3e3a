"""Reads for staff: what people searched for and did not find (the needs report)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from pertutti.search.models import ZeroResultQuery
from pertutti.territories.models import Territory


@dataclass(frozen=True)
class UnmetNeed:
    text: str
    language: str
    count: int
    last_seen: datetime


def unmet_needs(
    territory: Territory, limit: int = 200, *, since: datetime | None = None
) -> list[UnmetNeed]:
    queries = ZeroResultQuery.objects.filter(territory=territory)
    if since is not None:
        queries = queries.filter(created_at__gte=since)
    rows = (
        queries.values("text", "language")
        .annotate(count=Count("pk"), last_seen=Max("created_at"))
        .order_by("-count", "-last_seen")[:limit]
    )
    return [UnmetNeed(r["text"], r["language"], r["count"], r["last_seen"]) for r in rows]

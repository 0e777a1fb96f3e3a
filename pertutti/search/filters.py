"""Filters of the service list, parsed from a query string.

Public pages ignore malformed values (the rest of the page keeps working); the
list of what was ignored lets an API answer 400 instead.
"""

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from pertutti.directory.geo import parse_position

MAX_QUERY_LENGTH = 500  # a 10,000-character paste is cut, not refused
# Control characters (NUL above all: PostgreSQL cannot store it) are never typed by a person.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SORTS = ("relevance", "distance")


@dataclass(frozen=True)
class ServiceFilters:
    query: str = ""
    categories: tuple[str, ...] = ()
    municipality: str = ""  # ISTAT code
    open_now: bool = False
    free: bool = False
    walk_in: bool = False
    language: str = ""  # ISO 639-1 code spoken at the desk
    position: tuple[float, float] | None = None
    radius_km: float | None = None
    sort: str = "relevance"
    ignored: tuple[str, ...] = field(default=(), compare=False)
    # A query refused for its control characters, without them: shown back, not searched.
    unsearchable: str = field(default="", compare=False)

    @property
    def query_refused(self) -> bool:
        """The search text held control characters: not searched (`unsearchable` keeps the
        rest of it to show back)."""
        return "q" in self.ignored

    @property
    def active(self) -> bool:
        return bool(self.query or self.narrowing)

    @property
    def narrowing(self) -> bool:
        """Filters other than the search words (the filter panel opens when set)."""
        return bool(
            self.categories
            or self.municipality
            or self.open_now
            or self.free
            or self.walk_in
            or self.language
        )


def _flag(params: QueryDict, name: str, ignored: list[str]) -> bool:
    value = params.get(name, "")
    if value in ("", "0"):
        return False
    if value in ("1", "on", "true"):
        return True
    ignored.append(name)
    return False


def parse_filters(
    params: QueryDict,
    *,
    category_codes: set[str],
    municipality_codes: set[str],
    language_codes: set[str],
) -> ServiceFilters:
    ignored: list[str] = []
    query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
    unsearchable = ""
    if _CONTROL.search(query):
        ignored.append("q")
        unsearchable = " ".join(_CONTROL.sub(" ", query).split())
        query = ""
    categories = []
    for code in params.getlist("category"):
        if code in category_codes and code not in categories:
            categories.append(code)
        else:
            ignored.append("category")
    municipality = params.get("municipality", "")
    if municipality and municipality not in municipality_codes:
        ignored.append("municipality")
        municipality = ""
    language = params.get("language", "")
    if language and language not in language_codes:
        ignored.append("language")
        language = ""
    position = parse_position(params.get("lat"), params.get("lon"))
    if position is None and (params.get("lat") or params.get("lon")):
        ignored.append("lat")
    radius_km = None
    if params.get("radius_km"):
        try:
            radius_km = float(params["radius_km"])
        except ValueError:
            radius_km = None
        if radius_km is None or not 0 < radius_km <= 500 or position is None:
            ignored.append("radius_km")  # a radius needs a point
            radius_km = None
    sort = params.get("sort", "relevance")
    if sort not in SORTS or (sort == "distance" and position is None):
        if sort not in SORTS:
            ignored.append("sort")
        sort = "relevance"
    return ServiceFilters(
        query=query,
        categories=tuple(categories),
        municipality=municipality,
        open_now=_flag(params, "open_now", ignored),
        free=_flag(params, "free", ignored),
        walk_in=_flag(params, "walk_in", ignored),
        language=language,
        position=position,
        radius_km=radius_km,
        sort=sort,
        ignored=tuple(ignored),
        unsearchable=unsearchable,
    )

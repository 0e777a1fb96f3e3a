"""The typed JSON API (django-ninja, OpenAPI at /api/v1/openapi.json)."""

import math
import re
import uuid
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError

from pertutti.directory.models import Service
from pertutti.search.engine import MAX_PAGE, ServiceResult, search
from pertutti.search.filters import parse_filters
from pertutti.search.index import loaded_index
from pertutti.taxonomy.models import Category
from pertutti.territories.languages import language_name
from pertutti.territories.selectors import current_territory
from pertutti.translations.selectors import Localizer

from .schemas import ErrorOut, ServicePage, Suggestion

api = NinjaAPI(title="Per tutti API", version="1", urls_namespace="api")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pertutti.example/hsds")
MAX_PER_PAGE = 100
ISO_639 = re.compile(r"[a-z]{2,3}")


class ApiError(Exception):
    def __init__(self, detail: str, invalid: list[str] | None = None) -> None:
        self.detail, self.invalid = detail, invalid or []


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError):
    return api.create_response(request, {"detail": exc.detail, "invalid": exc.invalid}, status=400)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    invalid = sorted({str(e["loc"][-1]) for e in exc.errors})
    detail = "invalid parameters: " + ", ".join(invalid)
    return api.create_response(request, {"detail": detail, "invalid": invalid}, status=400)


class ServiceQuery(Schema):
    search: str = ""
    lang: str = ""
    page: int = 1
    per_page: int = 20
    category: str = ""
    municipality: str = ""
    open_now: bool = False
    free: bool = False
    walk_in: bool = False
    language_spoken: str = ""
    lat: str = ""
    lon: str = ""
    radius_km: str = ""


def _uuid(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


class _ServicePaths:
    """`reverse("public:service", args=[code])` for the services of one page (one language):
    the route resolved once, each code then quoted into it as `reverse` quotes it (twenty
    reverses cost about a millisecond). A code the route may refuse goes through `reverse`."""

    PLACEHOLDER = "CODE"

    def __init__(self) -> None:
        head, _, tail = reverse("public:service", args=[self.PLACEHOLDER]).rpartition(
            self.PLACEHOLDER
        )
        self._head, self._tail = head, tail

    def __call__(self, code: str) -> str:
        if not code or "/" in code:
            return reverse("public:service", args=[code])
        return self._head + quote(code, safe=RFC3986_SUBDELIMS + "/~:@") + self._tail


def _item(
    result: ServiceResult,
    localizer: Localizer,
    request: HttpRequest,
    paths: _ServicePaths,
) -> dict:
    service = result.service
    text = {f: localizer.get(service, f) for f in ("name", "description", "eligibility", "cost",
                                                   "application_process")}  # fmt: skip
    language = translation.get_language() or "it"
    return {
        "id": _uuid("service", f"{service.territory_id}:{service.code}"),
        "name": text["name"].text,
        "description": text["description"].text,
        "eligibility_description": text["eligibility"].text,
        "fees_description": text["cost"].text,
        "application_process": text["application_process"].text,
        "status": service.status,
        "assured_date": service.assured_date,
        "url": request.build_absolute_uri(paths(service.code)),
        "email": service.email,
        "organization": {
            "id": _uuid("organization", service.organization_id),
            "name": service.organization.name,
        },
        "locations": [
            {
                "id": _uuid("location", loc.pk),
                "address": loc.address,
                "postcode": loc.postcode,
                "municipality": loc.municipality.name if loc.municipality else "",
                "latitude": float(loc.latitude) if loc.latitude is not None else None,
                "longitude": float(loc.longitude) if loc.longitude is not None else None,
                "placement": loc.placement,
            }
            for loc in service.locations.all()
        ],
        "languages": [{"code": c, "name": language_name(c, language)} for c in service.languages],
        "code": service.code,
        "category": service.category.code,
        "text_language": text["name"].lang,
        "free": service.free,
        "open_now": None if result.status.state in ("unknown",) else result.status.is_open(),
        "distance_km": round(result.distance_km, 2) if result.distance_km is not None else None,
        "matched": list(result.matched),
    }


@api.get("/services", response={200: ServicePage, 400: ErrorOut}, summary="Search services")
def services(request: HttpRequest, params: Query[ServiceQuery]) -> dict:
    territory = current_territory()
    if territory is None:
        raise ApiError("no territory is loaded")
    lang = params.lang or territory.source_language
    if lang not in dict(settings.LANGUAGES):
        raise ApiError(f"unknown lang {lang!r}", ["lang"])
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise ApiError(f"per_page must be between 1 and {MAX_PER_PAGE}", ["per_page"])
    if not 1 <= params.page <= MAX_PAGE:
        raise ApiError(f"page must be between 1 and {MAX_PAGE}", ["page"])
    query = QueryDict(mutable=True)
    pairs = [
        ("q", params.search), ("category", params.category), ("municipality", params.municipality),
        ("language", params.language_spoken), ("lat", params.lat), ("lon", params.lon),
        ("radius_km", params.radius_km),
    ]  # fmt: skip
    for name, value in pairs:
        if value:
            query[name] = value
    for name in ("open_now", "free", "walk_in"):
        if getattr(params, name):
            query[name] = "1"
    if params.lat and params.lon:
        query["sort"] = "distance" if not params.search else "relevance"
    filters = parse_filters(
        query,
        # Read only when asked: most searches have neither filter.
        category_codes=set(Category.objects.values_list("code", flat=True))
        if params.category
        else set(),
        municipality_codes=set(territory.municipalities.values_list("istat_code", flat=True))
        if params.municipality
        else set(),
        # Any ISO 639 code is a valid question, even if no desk speaks it (empty result);
        # checked by shape, not against every service (50,000 rows on a large territory).
        language_codes={params.language_spoken}
        if ISO_639.fullmatch(params.language_spoken)
        else set(),
    )
    if filters.query_refused:
        raise ApiError("search must not contain control characters (such as NUL)", ["search"])
    if filters.ignored:
        names = {"q": "search", "language": "language_spoken"}
        invalid = sorted({names.get(n, n) for n in filters.ignored})
        raise ApiError("invalid filter values: " + ", ".join(invalid), invalid)
    with translation.override(lang):
        window = ((params.page - 1) * params.per_page, params.per_page)
        # The API lists no related services: they are not loaded.
        outcome = search(
            territory, filters, timezone.now(), ui_language=lang, window=window, related=False
        )
        total, page = outcome.total, outcome.results
        localizer = Localizer(
            language=lang,
            source_language=territory.source_language,
            objects=[r.service for r in page] + [r.service.category for r in page],
        )
        paths = _ServicePaths()
        contents = [_item(r, localizer, request, paths) for r in page]
    total_pages = max(1, math.ceil(total / params.per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": params.per_page,
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


@api.get("/suggest", response=list[Suggestion], summary="Suggestions while typing")
def suggest(request: HttpRequest, q: str = "", lang: str = "") -> list[dict]:
    """Fast: prefix of the last word against the index vocabulary, no embeddings."""
    territory = current_territory()
    if territory is None or len(q.strip()) < 2:
        return []
    lang = lang if lang in dict(settings.LANGUAGES) else territory.source_language
    index = loaded_index(territory)
    service_ids = index.complete(q[:100], limit=6)
    services = Service.objects.filter(pk__in=service_ids).select_related("category")
    by_pk = {s.pk: s for s in services}
    ordered = [by_pk[pk] for pk in service_ids if pk in by_pk]
    with translation.override(lang):
        localizer = Localizer(language=lang, source_language=territory.source_language,
                              objects=ordered)  # fmt: skip
        return [
            {
                "text": localizer.get(s, "name").text,
                "kind": "service",
                "url": reverse("public:service", args=[s.code]),
            }
            for s in ordered
        ]

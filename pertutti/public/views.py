"""Public pages: thin views that parse the request, call a selector or the search, render."""

import io
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pertutti.clients import client_address
from pertutti.directory import presentation
from pertutti.directory.geo import directions_url, osm_url, parse_bbox
from pertutti.directory.models import Placement, Service
from pertutti.directory.opening import open_status, weekly_table
from pertutti.directory.selectors import (
    active_services,
    closed_service,
    organization_detail,
    service_detail,
    similar_services,
)
from pertutti.editorial import reports
from pertutti.editorial.freshness import is_out_of_date
from pertutti.public import presenters, site_metadata
from pertutti.public.caching import public_page
from pertutti.public.selectors import request_last_update, spoken_language_codes
from pertutti.ratelimits import seconds_to_next_hour
from pertutti.search.engine import MAX_PAGE, SearchOutcome, ServiceResult, search
from pertutti.search.filters import parse_filters
from pertutti.search.usage import usage_filters, usage_page_view, usage_service_read
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Municipality, Territory
from pertutti.territories.selectors import request_territory, request_territory_or_404

PAGE_SIZE = 50
MAP_LIMIT = 2000  # markers in one answer of the map's endpoint; more would freeze a cheap phone


@public_page
def home(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    if territory is None:
        return render(request, "public/not_set_up.html", status=503)
    _count_view(request, territory)
    categories = list(Category.objects.all())
    localizer = presenters.localizer_for(categories, territory)
    return render(
        request,
        "public/home.html",
        {
            "categories": [(c, localizer.get(c, "name")) for c in categories],
            "service_count": active_services(territory).count(),
            "fell_back": localizer.fell_back,
            "source_language_name": _source_language_name(territory),
        },
    )


def _results_context(
    request: HttpRequest, territory: Territory, fixed: dict[str, str], *, view: str = "list"
) -> dict[str, Any]:
    """The results of a list or map page: only the cards shown are loaded (a territory may
    have tens of thousands of services); the count covers them all."""
    params = request.GET.copy()
    for name, value in fixed.items():
        params.setlist(name, [value])
    categories = list(Category.objects.all())
    municipalities = list(
        Municipality.objects.filter(territory=territory, locations__isnull=False).distinct()
    )
    spoken = spoken_language_codes(territory, as_of=request_last_update(request))
    filters = parse_filters(
        params,
        category_codes={c.code for c in categories},
        municipality_codes={m.istat_code for m in municipalities},
        language_codes=set(spoken),
    )
    _count_view(request, territory)
    # A municipality page counts even where no service is placed yet: that is a need too.
    usage_filters(
        territory_id=territory.pk,
        categories=filters.categories,
        municipality=filters.municipality or fixed.get("municipality"),
    )
    now = timezone.now()
    # The map page lists one page too: its map loads the markers of the visible area
    # from `service_map_markers`.
    number = _page_number(request.GET.get("page"))
    if filters.query_refused:
        # Not searched (a control character): the page says so and keeps the text.
        outcome = SearchOutcome([], None)
    else:
        outcome = search(territory, filters, now, window=((number - 1) * PAGE_SIZE, PAGE_SIZE))
    page = Paginator(range(outcome.total), PAGE_SIZE).get_page(number)
    if page.number != number:  # past the last page: show the last one
        window = ((page.number - 1) * PAGE_SIZE, PAGE_SIZE)
        outcome = search(territory, filters, now, window=window, record_zero=False)
    results = outcome.results
    close = outcome.close_matches(territory) if not results and not outcome.related else []
    localizer = presenters.localizer_for(
        [r.service for r in results + outcome.related] + categories + close, territory
    )
    cards = [presenters.service_card(r, now, localizer) for r in results]
    related = [presenters.service_card(r, now, localizer) for r in outcome.related]
    page.object_list = cards
    ui_languages = presenters.language_choices(spoken)
    localized_categories = [(c, localizer.get(c, "name")) for c in categories]
    close_names = [(s, localizer.get(s, "name")) for s in close]
    return {
        "view": view,
        "filters": filters,
        "categories": localized_categories,
        "municipalities": municipalities,
        "spoken_languages": ui_languages,
        "close_matches": close_names,
        # Any card, category or suggestion shown in the source language: the note says so.
        "fell_back": localizer.fell_back,
        "source_language_name": _source_language_name(territory),
        "cards": cards,
        # Weakly related services, after the matches and never counted with them.
        "related_cards": related,
        "page": page,
        "result_count": outcome.total,
        # Fixed filters of /categories/x/ become parameters, so the list/map toggle keeps them.
        "query_string": _without_page(params).urlencode(),
        "list_url": reverse("public:services"),
        "map_url": reverse("public:map"),
    }


def _page_number(raw: str | None) -> int:
    """The page asked for; anything that is not a page number is the first page."""
    try:
        return min(max(1, int(raw or 1)), MAX_PAGE)
    except ValueError:
        return 1


def _without_page(params: QueryDict) -> QueryDict:
    params = params.copy()
    params.pop("page", None)
    return params


def _render_results(
    request: HttpRequest,
    context: dict[str, Any],
    heading: str,
    *,
    heading_lang: str = "",
) -> HttpResponse:
    """`heading_lang` marks a heading that is content (a category name), not interface."""
    context.update(heading=heading, heading_lang=heading_lang)
    if context["view"] == "map":
        # The markers of the cards listed, so the map shows them before (or without) the
        # markers of the whole visible area.
        markers = [presenters.map_marker(c, with_text=False) for c in context["cards"]]
        context["markers"] = [m for m in markers if m]
        context["markers_url"] = reverse("public:map_markers")
        context["tile_url"] = settings.PERTUTTI_TILE_URL
        context["tile_attribution"] = settings.PERTUTTI_TILE_ATTRIBUTION
        template = "public/map.html"
    else:
        template = "public/results.html"
    # A refused query (control characters) is the client's error: 400, with the page.
    status = 400 if context["filters"].query_refused else 200
    return render(request, template, context, status=status)


@public_page
def service_list(request: HttpRequest) -> HttpResponse:
    context = _results_context(request, request_territory_or_404(request), {})
    return _render_results(request, context, _("Services"))


@public_page
def service_map(request: HttpRequest) -> HttpResponse:
    context = _results_context(request, request_territory_or_404(request), {}, view="map")
    return _render_results(request, context, _("Map of the services"))


@public_page
def service_map_markers(request: HttpRequest) -> HttpResponse:
    """The markers of the map page's visible area (`bbox=south,west,north,east`) with the
    page's filters, at most MAP_LIMIT of them. A read only: no view or filter counted
    (the page that asks was counted), cacheable like the pages."""
    territory = request_territory_or_404(request)
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    filters = parse_filters(
        request.GET,
        category_codes=set(Category.objects.values_list("code", flat=True)),
        municipality_codes=set(territory.municipalities.values_list("istat_code", flat=True)),
        language_codes=set(spoken_language_codes(territory, as_of=request_last_update(request))),
    )
    outcome = search(
        territory,
        filters,
        timezone.now(),
        window=(0, MAP_LIMIT),
        bbox=bbox,
        record_zero=False,
        cards=False,
    )
    localizer = presenters.localizer_for([r.service for r in outcome.results], territory)
    markers = [presenters.area_marker(r.service, localizer, bbox) for r in outcome.results]
    return JsonResponse(
        {"markers": [m for m in markers if m], "truncated": outcome.total > MAP_LIMIT},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},  # compact
    )


@public_page
def category_page(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Http404(_("There is no category “%(code)s”.") % {"code": code})
    context = _results_context(request, territory, {"category": code})
    # The heading and the tab title in the reader's language where the name is translated.
    name = next(text for c, text in context["categories"] if c.code == code)
    return _render_results(request, context, name.text, heading_lang=name.lang)


@public_page
def municipality_page(request: HttpRequest, istat_code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    municipality = territory.municipalities.filter(istat_code=istat_code).first()
    if municipality is None:
        raise Http404(_("There is no municipality with code “%(code)s”.") % {"code": istat_code})
    context = _results_context(request, territory, {"municipality": istat_code})
    return _render_results(
        request, context, municipality.name, heading_lang=territory.source_language
    )


@public_page
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    service = service_detail(territory, code)
    if service is None:
        closed = closed_service(territory, code)
        if closed is None:
            raise Http404(_("There is no service with code “%(code)s”.") % {"code": code})
        return _closed_service_page(request, territory, closed)
    now = timezone.now()
    schedule = getattr(service, "schedule", None)
    status = open_status(schedule, now, territory.time_zone)
    localizer = presenters.localizer_for(
        [service, service.category, service.organization, schedule], territory
    )
    card = presenters.service_card(ServiceResult(service, status, None, 1), now, localizer)
    fields = (
        "description", "eligibility", "required_documents", "cost", "application_process",
        "accessibility", "languages_note",
    )  # fmt: skip
    text = {field: localizer.get(service, field) for field in fields}
    text["category"] = localizer.get(service.category, "name")
    if schedule is not None:
        text["hours"] = localizer.get(schedule, "original_text")
    _count_view(request, territory)
    usage_service_read(territory_id=territory.pk, service_id=service.pk)
    location = card.location
    today = timezone.localtime(now, timezone=ZoneInfo(territory.time_zone)).date()
    context: dict[str, Any] = {
        "service": service,
        "card": card,
        "schedule": schedule,
        "week": presenters.week_rows(weekly_table(schedule, today)),
        "text": text,
        "documents": presentation.documents(text["required_documents"].text),
        "fell_back": localizer.fell_back,
        "source_language_name": _source_language_name(territory),
        "access_modes": presentation.access_labels(service),
        "closed_months": presenters.month_names(schedule.closed_months if schedule else []),
        "phones": list(service.phones.all()),
        "page_url": request.build_absolute_uri(),
        "approximate": location is not None and location.placement != Placement.EXACT,
        # From the date alone, never stored: the page stays a read, and cacheable.
        "out_of_date": is_out_of_date(service.assured_date, today),
    }
    if location and location.latitude is not None:
        marker = presenters.map_marker(card)
        context.update(
            markers=[marker] if marker else [],
            tile_url=settings.PERTUTTI_TILE_URL,
            tile_attribution=settings.PERTUTTI_TILE_ATTRIBUTION,
            directions_url=directions_url(location.latitude, location.longitude, service.name),
            osm_url=osm_url(location.latitude, location.longitude),
        )
    return render(request, "public/service.html", context)


@public_page
def service_qr(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    if service_detail(territory, code) is None:
        raise Http404(_("There is no service with code “%(code)s”.") % {"code": code})
    url = request.build_absolute_uri(reverse("public:service", args=[code.upper()]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# "Something wrong here?": a reader's report needs no account and sets no cookie. Django's
# CSRF protection needs one (the token is checked against a cookie), so this form is exempt:
# a report forged from another site can do no more than a report sent directly (no session
# or account acts), and the honeypot and the per-client rate limit bound both. The view
# never touches the session either.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        return _report_send(request, code)
    return _report_form(request, code)


def _reported_service(request: HttpRequest, code: str) -> Service:
    service = service_detail(request_territory_or_404(request), code)
    if service is None:
        raise Http404(_("There is no service with code “%(code)s”.") % {"code": code})
    return service


@public_page
def _report_form(request: HttpRequest, code: str) -> HttpResponse:
    context = {"service": _reported_service(request, code), "form": reports.ErrorReportForm()}
    return render(request, "public/report.html", context)


def _report_send(request: HttpRequest, code: str) -> HttpResponse:
    """Never cached; nothing is stored when the form is refused, the honeypot is filled or
    the client has sent its reports for this hour."""
    service = _reported_service(request, code)
    address = client_address(request)
    form = reports.ErrorReportForm(request.POST)
    if reports.report_rate_exceeded(address):
        response = _report_limited(request, service)
    elif not form.is_valid():
        response = render(
            request, "public/report.html", {"service": service, "form": form}, status=400
        )
    elif not reports.report_rate_record(address):
        response = _report_limited(request, service)
    else:
        if not form.is_robot():
            reports.error_report_submit(
                service=service,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            )
        response = render(request, "public/report_sent.html", {"service": service})
    add_never_cache_headers(response)
    return response


def _report_limited(request: HttpRequest, service: Service) -> HttpResponse:
    context = {"service": service, "limited": True}
    response = render(request, "public/report.html", context, status=429)
    response["Retry-After"] = str(seconds_to_next_hour())
    return response


@public_page
def organization_page(request: HttpRequest, pk: int) -> HttpResponse:
    territory = request_territory_or_404(request)
    organization = organization_detail(territory, pk)
    if organization is None:
        raise Http404(_("There is no organisation with number %(pk)s.") % {"pk": pk})
    _count_view(request, territory)
    now = timezone.now()
    results = [
        ServiceResult(service, open_status(getattr(service, "schedule", None), now,
                                           territory.time_zone), None, 0)
        for service in active_services(territory).filter(organization=organization)
    ]  # fmt: skip
    localizer = presenters.localizer_for([r.service for r in results] + [organization], territory)
    context = {
        "organization": organization,
        "description": localizer.get(organization, "description"),
        "cards": [presenters.service_card(r, now, localizer) for r in results],
    }
    return render(request, "public/organization.html", context)


def _closed_service_page(
    request: HttpRequest, territory: Territory, service: Service
) -> HttpResponse:
    """410 Gone, with what to do instead: services of the same kind, nearby first."""
    similar = similar_services(service)
    localizer = presenters.localizer_for([service, service.category, *similar], territory)
    context = {
        "service": service,
        "name": localizer.get(service, "name"),
        "category": localizer.get(service.category, "name"),
        "similar": [(s, localizer.get(s, "name")) for s in similar],
    }
    return render(request, "public/service_closed.html", context, status=410)


@public_page
def info_page(request: HttpRequest, page: str) -> HttpResponse:
    territory = request_territory(request)
    if territory is not None:
        _count_view(request, territory)
    # The privacy notice states how long usage counts are kept.
    months = max(1, round(settings.PERTUTTI_USAGE_RETENTION_DAYS / 30.44))
    context: dict[str, Any] = {"usage_retention_months": months}
    if territory is not None:  # the about page names the language untranslated text is in
        source = territory.source_language
        context["source_language_name"] = presenters.language_choices([source])[0][1]
    return render(request, f"public/info_{page}.html", context)


@public_page
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the page's language (linked from every page's head)."""
    data = site_metadata.web_app_manifest(request_territory_or_404(request))
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own, whatever the page links: never a 404."""
    response = HttpResponseRedirect(static(site_metadata.FAVICON))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def _source_language_name(territory: Territory) -> str:
    """The name of the language untranslated texts are shown in, for the "not yet
    translated" note."""
    return presenters.language_choices([territory.source_language])[0][1]


def _count_view(request: HttpRequest, territory: Territory) -> None:
    """One page read in this interface language, for the needs report: counted in memory
    and written in batches (search.usage), so that a public page never writes."""
    language = getattr(request, "LANGUAGE_CODE", "") or territory.source_language
    usage_page_view(territory_id=territory.pk, language=language)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 in the page's language that says what was not found and where to go instead."""
    # Our views raise Http404 with a sentence for the reader; the URL resolver raises
    # it with a dict of tried patterns, which is not for readers.
    arg = exception.args[0] if exception and exception.args else ""
    message = arg if isinstance(arg, str) and arg != "territory not loaded" else ""
    response = render(request, "404.html", {"message": message}, status=404)
    response.localized_not_found = True  # type: ignore[attr-defined]  # see public.middleware
    return response

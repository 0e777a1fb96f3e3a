"""Printed material from the public site: the orientation sheet a front desk hands over,
a service's sheet, the short link that reopens a sheet. Building is printing's business;
these views parse, call it, and answer with the PDF or the page."""

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pertutti.clients import client_address
from pertutti.printing import content
from pertutti.printing.booklets import (
    BookletFilterError,
    booklet_pdf,
    booklet_url,
    clean_filters,
)
from pertutti.printing.cache import BuildRefused, build_guard
from pertutti.printing.posters import card_pdf, poster_pdf
from pertutti.printing.selection import (
    MAX_SERVICES,
    parse_codes,
    save_selection,
    stored_selection,
)
from pertutti.printing.sheets import orientation_sheet, service_sheet, short_link
from pertutti.public import presenters
from pertutti.public.caching import public_page
from pertutti.ratelimits import hourly_record, seconds_to_next_hour
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404


def limit_builds(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """At most PERTUTTI_PRINT_BUILDS_PER_HOUR PDFs built per client and hour; PDFs already
    built (the same sheet again, the booklets of `build_booklets`) are never counted."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _signed_in(request):  # the back office links here: staff print without a limit
            return view(request, *args, **kwargs)
        address = client_address(request)

        def check() -> None:
            if not hourly_record("print", address, settings.PERTUTTI_PRINT_BUILDS_PER_HOUR):
                raise BuildRefused

        try:
            with build_guard(check):
                return view(request, *args, **kwargs)
        except BuildRefused:
            response = render(request, "public/print_limited.html", status=429)
            response["Retry-After"] = str(seconds_to_next_hour())
            response["Cache-Control"] = "no-store"
            return response

    return wrapper


def _signed_in(request: HttpRequest) -> bool:
    """Only a request with a session cookie reads the session: reading it marks anonymous
    responses `Vary: Cookie`, which would split the shared cache of public PDFs."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def pdf_response(path: Path, filename: str) -> FileResponse:
    response = FileResponse(path.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _sheet_context(request: HttpRequest, territory: Territory) -> dict:
    codes, malformed = parse_codes(request.GET.getlist("s"))
    services = content.printable_services(territory, codes[: MAX_SERVICES * 2])
    localizer = presenters.localizer_for(services.values(), territory)
    names = {code: localizer.get(service, "name") for code, service in services.items()}
    rows = []
    for code in codes:
        service = services.get(code)
        rest = ",".join(c for c in codes if c != code)
        rows.append(
            {
                "code": code,
                "service": service,
                "name": names.get(code),
                "remove_url": reverse("public:sheet")
                + (f"?{urlencode({'s': rest})}" if rest else ""),
            }
        )
    ui = getattr(request, "LANGUAGE_CODE", territory.source_language)
    error = ""
    if len(codes) > MAX_SERVICES:
        error = _(
            "A sheet holds at most %(max)s services; this selection has %(count)s. "
            "Remove some, or make two sheets."
        ) % {"max": MAX_SERVICES, "count": len(codes)}
    elif codes and not services:
        error = _("None of these codes is a service open today: check them on the services’ pages.")
    names_own = dict(settings.LANGUAGES)
    return {
        "codes": codes,
        "codes_text": ", ".join(codes),
        "malformed": malformed,
        "rows": rows,
        "found": [row for row in rows if row["service"]],
        "max_services": MAX_SERVICES,
        "error": error,
        "languages": [(c, names_own.get(c, c)) for c in territory.offered_languages],
        "chosen_language": request.GET.get("language") or ui,
        "fell_back": localizer.fell_back,
    }


@public_page
def sheet(request: HttpRequest) -> HttpResponse:
    """The operator's selection: codes in a GET form (works without JavaScript), the
    services they name, the person's language, and the button that makes the PDF."""
    territory = request_territory_or_404(request)
    context = _sheet_context(request, territory)
    status = 400 if len(context["codes"]) > MAX_SERVICES else 200
    return render(request, "public/sheet.html", context, status=status)


@limit_builds
@public_page
def sheet_pdf(request: HttpRequest) -> HttpResponse:
    """The orientation sheet as PDF. It stores the short link the first time (an idempotent
    write of codes only), so the answer is the same for everyone: cacheable."""
    territory = request_territory_or_404(request)
    language = _offered_language(request, territory, request.GET.get("language", ""))
    context = _sheet_context(request, territory)
    codes = context["codes"]
    if not codes or len(codes) > MAX_SERVICES:
        if not codes:
            context["error"] = _("Add at least one service to the sheet.")
        return render(request, "public/sheet.html", context, status=400)
    if not context["found"]:
        return render(request, "public/sheet.html", context, status=404)
    key = save_selection(territory, codes)
    result = orientation_sheet(territory, codes, language, short_url=short_link(key, language))
    return pdf_response(result.path, f"sheet-{key}-{language}.pdf")


@public_page
def sheet_short(request: HttpRequest, key: str) -> HttpResponse:
    """A printed short link: the sheet's selection, in the link's language."""
    territory = request_territory_or_404(request)
    codes = stored_selection(territory, key)
    if codes is None:
        raise Http404(_("There is no sheet with the link “%(key)s”.") % {"key": key[:20]})
    return HttpResponseRedirect(reverse("public:sheet") + "?" + urlencode({"s": ",".join(codes)}))


@limit_builds
@public_page
def service_sheet_pdf(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory_or_404(request)
    language = getattr(request, "LANGUAGE_CODE", territory.source_language)
    path = service_sheet(territory, code, language)
    if path is None:
        raise Http404(_("There is no service with code “%(code)s”.") % {"code": code[:40]})
    return pdf_response(path, f"{code.upper()}-{language}.pdf")


# Paper sizes in URLs (lower case, as people type them) -> as printing names them.
BOOKLET_PAPER = {"a5": "A5", "a4": "A4"}
POSTER_PAPER = {"a3": "A3", "a4": "A4"}


def _paper(request: HttpRequest, sizes: dict[str, str], default: str) -> str:
    asked = (request.GET.get("size") or default).strip().lower()
    if asked not in sizes:
        raise Http404(
            _("“%(size)s” is not a paper size this is printed on; choose %(sizes)s.")
            % {"size": asked[:10], "sizes": ", ".join(s.upper() for s in sizes)}
        )
    return sizes[asked]


def _filters(request: HttpRequest, territory: Territory) -> tuple[list[str], list[str]]:
    """The categories and municipalities asked for; 404 naming the first unknown one."""
    try:
        return clean_filters(
            territory, request.GET.getlist("category"), request.GET.getlist("municipality")
        )
    except BookletFilterError as exc:
        code = exc.code[:40]
        if exc.kind == "category":
            raise Http404(_("There is no category “%(code)s”.") % {"code": code}) from exc
        raise Http404(_("There is no municipality with code “%(code)s”.") % {"code": code}) from exc


def _offered_language(request: HttpRequest, territory: Territory, asked: str = "") -> str:
    """`asked` (a sheet's `language=`), else the page's language; 404 when the territory
    does not offer it."""
    language = (asked or getattr(request, "LANGUAGE_CODE", territory.source_language)).strip()
    language = language.lower()
    if language not in territory.offered_languages:
        raise Http404(
            _("“%(code)s” is not one of the languages this site is offered in.")
            % {"code": language[:20]}
        )
    return language


@public_page
def printed(request: HttpRequest) -> HttpResponse:
    """The booklets in the page's language (all services, or the needs and municipalities
    chosen in the form), the poster and the pocket card."""
    territory = request_territory_or_404(request)
    language = _offered_language(request, territory)
    categories, municipalities = _filters(request, territory)
    chosen = {"categories": categories, "municipalities": municipalities}
    booklets = [
        (_("Booklet (%(size)s)") % {"size": "A5"}, booklet_url(language, size="A5", **chosen)),
        (_("Booklet (%(size)s)") % {"size": "A4"}, booklet_url(language, size="A4", **chosen)),
    ]
    if language != territory.source_language:
        booklets += [
            (
                _("Booklet with the Italian beside (%(size)s)") % {"size": size},
                booklet_url(language, size=size, bilingual=True, **chosen),
            )
            for size in ("A5", "A4")
        ]
    all_categories = list(Category.objects.all())
    localizer = presenters.localizer_for(all_categories, territory)
    context = {
        "booklets": booklets,
        "categories": [(c, localizer.get(c, "name")) for c in all_categories],
        "municipalities": territory.municipalities.filter(locations__isnull=False).distinct(),
        "chosen_categories": categories,
        "chosen_municipalities": municipalities,
        "posters": [
            (_("Poster (%(size)s)") % {"size": "A3"}, reverse("public:poster") + "?size=a3"),
            (_("Poster (%(size)s)") % {"size": "A4"}, reverse("public:poster") + "?size=a4"),
            (_("Pocket card"), reverse("public:card")),
        ],
    }
    return render(request, "public/printed.html", context)


@limit_builds
@public_page
def booklet(request: HttpRequest) -> HttpResponse:
    """The booklet in the page's language: `size` a5 or a4, `bilingual=1` for the Italian
    beside, `category` and `municipality` (repeated or comma-separated) to print fewer."""
    territory = request_territory_or_404(request)
    language = _offered_language(request, territory)
    size = _paper(request, BOOKLET_PAPER, "a5")
    categories, municipalities = _filters(request, territory)
    bilingual = request.GET.get("bilingual") == "1"
    path = booklet_pdf(
        territory,
        language,
        size=size,
        bilingual=bilingual,
        categories=categories,
        municipalities=municipalities,
    )
    suffix = "-bilingual" if bilingual and language != territory.source_language else ""
    return pdf_response(path, f"{territory.slug}-{language}-{size.lower()}{suffix}.pdf")


@limit_builds
@public_page
def poster(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    size = _paper(request, POSTER_PAPER, "a3")
    return pdf_response(poster_pdf(territory, size), f"{territory.slug}-poster-{size.lower()}.pdf")


@limit_builds
@public_page
def card(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    return pdf_response(card_pdf(territory), f"{territory.slug}-card.pdf")

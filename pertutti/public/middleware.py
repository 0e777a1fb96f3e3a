"""Every 404 of a page, in debug mode too, is the reader's page in their language.

Django answers a 404 with its debug page (the URL patterns) while DEBUG is on, and with
`handler404` only when it is off; the reader's page should not depend on the setting.
A page path under a variant of a language code (/zh/, /en-GB/) goes to the site's code.
The JSON API keeps JSON answers.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse

from pertutti.public.language_paths import alias_redirect_url
from pertutti.public.views import not_found

API_PREFIX = "/api/"


class NotFoundMiddleware:
    """After LocaleMiddleware (the language is chosen) and before CommonMiddleware (whose
    added slash must win over a 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        if request.path_info.startswith(API_PREFIX):
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            return JsonResponse({"detail": "Not Found"}, status=404)
        redirect = alias_redirect_url(request.path_info, request.META.get("QUERY_STRING", ""))
        if redirect is not None:
            return HttpResponseRedirect(redirect)
        if getattr(response, "localized_not_found", False):
            return response
        # A view that answers 404 with its own page (an invalid invitation link) keeps it.
        if getattr(request, "resolver_match", None) is not None:
            return response
        # The URL resolver's 404 (no view ran): Django's debug page when DEBUG is on.
        return not_found(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 carries a sentence for the reader ("There is no service …")."""
        if isinstance(exception, Http404) and not request.path_info.startswith(API_PREFIX):
            return not_found(request, exception)
        return None

"""The one gate of every signed-in page: sign-in, second factor, permission, no caching."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.views.defaults import permission_denied

from pertutti.accounts.roles import needs_second_factor
from pertutti.territories.selectors import request_territory, request_territory_or_404

View = Callable[..., HttpResponse]


def is_verified(request: HttpRequest) -> bool:
    """django-otp's mark of a session confirmed with a second factor."""
    return getattr(request.user, "is_verified", lambda: False)()


def second_factor_pending(request: HttpRequest) -> bool:
    return not is_verified(request) and needs_second_factor(
        request.user, request_territory(request)
    )


def staff_view(perm: str | None = None) -> Callable[[View], View]:
    """Signed in, second factor confirmed where needed, `perm` on the territory (if given).

    Views that check a permission on another object (an organisation, a language) call
    `request.user.has_perm` themselves after this gate. Responses are never cached.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            territory = request_territory_or_404(request)
            if second_factor_pending(request):
                return redirect_to_login(
                    request.get_full_path(), login_url=resolve_url("accounts:two_factor")
                )
            try:
                if perm is not None and not request.user.has_perm(perm, territory):
                    raise PermissionDenied
                response = view(request, *args, **kwargs)
            except PermissionDenied as exc:
                # Rendered here, not by the handler, so that the refusal is not cached either.
                response = permission_denied(request, exc)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorate

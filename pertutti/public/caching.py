"""HTTP caching of public pages: ETag, Last-Modified and Cache-Control.

Pages depend on the data (last change of a service), the language, the URL and
the clock (open-now badges), so the ETag covers a time bucket as long as max-age.
"""

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

import pertutti
from pertutti.public.selectors import request_last_update

View = Callable[..., HttpResponse]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return request_last_update(request)


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    bucket = int(time.time() // max(settings.PERTUTTI_PAGE_MAX_AGE, 1))
    key = "|".join(
        [
            pertutti.__version__,
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
            str(_last_modified(request)),
            str(bucket),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def public_page(view: View) -> View:
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=settings.PERTUTTI_PAGE_MAX_AGE)
        return response

    return wrapper

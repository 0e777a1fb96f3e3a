"""HTTP caching of public pages: ETag, Last-Modified and Cache-Control.

Pages depend on the data (services, translations through the search index's token, the
territory's settings), the language, the URL and the clock (open-now badges), so the ETag
covers the data version and the open-now bucket: the stretch of time in which no service's
status can change (pertutti.response_cache.versions). The server's own cache of pages uses
the same two, so a page it keeps carries the ETag a rendered page would.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

import pertutti
from pertutti.public.selectors import request_last_update
from pertutti.response_cache.versions import clock_bucket, request_data_version

View = Callable[..., HttpResponse]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    request_data_version(request)  # reads the last update with the rest, in one query
    return request_last_update(request)


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    version = request_data_version(request)
    token = bucket = ""
    if version is not None:
        token = version.token
        bucket = clock_bucket(version, timezone.now())[0].isoformat()
    key = "|".join(
        [
            pertutti.__version__,
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
            str(_last_modified(request)),
            token,
            bucket,
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

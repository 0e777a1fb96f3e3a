"""A server-side cache of rendered public pages and public API reads.

Placed right after the security and CSP middleware, before sessions, locale, URL resolving
and the views: an answer from the cache costs one query (the data version) and one cache
read. The outer middleware (CSP, security headers, WhiteNoise, gzip) still runs on it, so
their headers are the same as on a rendered page.

Only what is the same for every reader is kept: GET and HEAD requests that carry no cookie
at all (public pages set none, so a cookie means a signed-in person or a form with a CSRF
token) to the public pages (/<lang>/…, not the back office, the workspace or the account
pages) and the public API's reads; and of their answers only 200s that set no cookie, do
not vary by cookie, are `public` (pages) or not `private`/`no-store`/`no-cache`, and whose
request did not use a CSRF token or a signed-in user.

The key is the scheme, host, path, query (parameters sorted by name, re-encoded), whether the
client takes gzip, the data version and the open-now bucket (`versions`), which the ETag of
`public.caching` covers too, so a kept page carries the ETag a rendered one would. An entry
lives until its bucket ends (the next opening or closing time of any service, or midnight),
at most PERTUTTI_RESPONSE_CACHE_SECONDS; a change of data makes new keys, so nothing is ever
invalidated by hand.
The usage counts a page makes are stored with it and counted again on each hit
(`response_cache.usage`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

import pertutti
from pertutti.response_cache import usage
from pertutti.response_cache.versions import clock_bucket, request_data_version

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
KEY_PREFIX = "page:"
MAX_BODY = 1024 * 1024  # larger answers are not worth a cache entry
API_READS = ("/api/v1/services", "/api/v1/suggest")
STAFF_SECTIONS = ("manage", "translate", "accounts")
REFUSING = {"private", "no-store", "no-cache"}
# Pages carry their language in the path; the API takes it as a parameter (`lang`) and only
# LocaleMiddleware's Vary names Accept-Language there.
VARY_ALLOWED = {"page": {"accept-encoding"}, "api": {"accept-encoding", "accept-language"}}

_gzip = GZipMiddleware(lambda request: HttpResponse())


def enabled() -> bool:
    return settings.PERTUTTI_RESPONSE_CACHE


def normalised_query(query_string: str) -> str:
    """The query as the views read it (QueryDict decodes the same way), parameters in name
    order (values of one name keep their order), so that equivalent URLs share an entry."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


class ResponseCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        codes = "|".join(re.escape(code) for code, _ in settings.LANGUAGES)
        staff = "|".join(STAFF_SECTIONS)
        self.page_path = re.compile(rf"^/(?:{codes})/(?!(?:{staff})/)")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kind = self._kind(request) if enabled() else None
        if kind is None:
            return self.get_response(request)
        version = request_data_version(request, share=False)
        if version is None:
            return self.get_response(request)
        start, end = clock_bucket(version, timezone.now())
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        parts = [
            pertutti.__version__,
            request.scheme,
            host,
            request.path,
            normalised_query(request.META.get("QUERY_STRING", "")),
            "gzip" if gzip else "identity",
            version.token,
            start.isoformat(),
        ]
        key = KEY_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        cache = caches[CACHE_ALIAS]
        try:
            entry = cache.get(key)
        except Exception:  # a shared cache that cannot be reached: render, as without one
            logger.warning("response cache unreachable", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self._hit(request, entry)
        request_data_version(request)  # what the views, ETag and footer read: no new query
        with usage.recording() as counted:
            response = self.get_response(request)
        if not self._storable(request, response, kind):
            return response
        # Compressed here as GZipMiddleware would (it leaves an encoded answer alone), so
        # that a hit does not compress the page again.
        response = _gzip.process_response(request, response)
        if len(response.content) <= MAX_BODY:
            # The key is dead when the bucket ends; the cap bounds what nothing else does.
            remaining = end.timestamp() - time.time()
            timeout = max(1, int(min(remaining, settings.PERTUTTI_RESPONSE_CACHE_SECONDS)) + 1)
            headers = list(response.headers.items())
            try:
                cache.set(key, (headers, response.content, tuple(counted)), timeout)
            except Exception:
                logger.warning("response cache unreachable", exc_info=True)
        return response

    def _kind(self, request: HttpRequest) -> str | None:
        """ "page", "api" or None (not cacheable), from the request alone."""
        if request.method not in ("GET", "HEAD"):
            return None
        if request.META.get("HTTP_COOKIE", "").strip() or "HTTP_AUTHORIZATION" in request.META:
            return None
        path = request.path_info
        if path in API_READS:
            return "api"
        if self.page_path.match(path):
            return "page"
        return None

    def _storable(self, request: HttpRequest, response: HttpResponse, kind: str) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token is in the body
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        if vary - VARY_ALLOWED[kind]:
            return False
        directives = {
            d.split("=", 1)[0].strip().lower()
            for d in cc_delim_re.split(response.get("Cache-Control", ""))
            if d.strip()
        }
        if directives & REFUSING:
            return False
        if kind == "page" and "public" not in directives:
            return False
        # Only a user someone already looked at: asking would read the session (the request
        # has no cookie, so nobody is signed in; this guards against other ways in).
        user = getattr(request, "_cached_user", None)
        return not (user is not None and user.is_authenticated)

    def _hit(self, request: HttpRequest, entry: tuple) -> HttpResponse:
        headers, body, counted = entry
        response = HttpResponse(body)
        del response.headers["Content-Type"]
        for name, value in headers:
            response.headers[name] = value
        usage.replay(counted)
        # If-None-Match / If-Modified-Since against the stored validators, as the view would.
        last_modified = response.get("Last-Modified")
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
        return conditional

"""Language codes people type or share that are not the site's own: /zh/, /zh-CN/, /en_GB/.

Each language the site serves answers under its own code only (`i18n_patterns`); a short
form or a regional variant of one of them is sent there instead of to a 404.
"""

import re

from django.utils.encoding import escape_uri_path
from django.utils.translation import get_supported_language_variant

# A first path segment that looks like a language tag (BCP 47 or POSIX spelling).
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def language_alias(segment: str) -> str | None:
    """The site's code for a variant of it ("zh-CN" -> "zh-hans", "pa-guru" -> "pa"), or None
    when `segment` is one of the site's codes already or no language the site serves.

    Django's own matching does the work over settings.LANGUAGES: the code, then its
    fallbacks (zh-cn, zh-sg, zh-my -> zh-hans), then the generic language (en-gb -> en), then
    a regional variant of the generic one (zh -> zh-hans)."""
    if not _TAG.fullmatch(segment):
        return None
    code = segment.lower().replace("_", "-")
    try:
        variant = get_supported_language_variant(code)
    except LookupError:
        return None
    return None if variant == segment else variant


def alias_redirect_url(path: str, query_string: str) -> str | None:
    """Where a path under a language alias lives, with the rest of the path and the query
    kept; None when the path's first segment is no alias. The result always starts with
    "/<code>", so no path can turn it into a link to another site."""
    if not path.startswith("/") or path.startswith("//"):
        return None
    segment, _, rest = path[1:].partition("/")
    code = language_alias(segment)
    if code is None:
        return None
    url = escape_uri_path(f"/{code}/{rest}")
    return f"{url}?{query_string}" if query_string else url

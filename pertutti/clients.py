"""Who the client is, for per-client limits (sign-in locks, reports from the public).

Behind a reverse proxy every request comes from the proxy's address; the proxy then *sets* a
header to the client's address, named by PERTUTTI_CLIENT_ADDRESS_HEADER (Django's META name,
e.g. HTTP_X_REAL_IP). Without it, one client's failures would lock everybody out.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the configured proxy header (its last address: the one the nearest
    proxy added; earlier ones the client may have forged)."""
    header = settings.PERTUTTI_CLIENT_ADDRESS_HEADER
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[-1].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "")

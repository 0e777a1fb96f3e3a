"""Per-client hourly limits on what the public may ask of the server without an account
(error reports, PDFs built on demand), counted in the shared cache.

Keys are salted hashes of the scope, the hour and the client's address: the same address
gives unrelated keys in different hours, and without the secret key nobody can tell which
address a key stands for. Nothing personal is stored or logged.
"""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

WINDOW = 3600


def _key(scope: str, address: str, now: datetime) -> str:
    hour = int(now.timestamp() // WINDOW)
    return f"{scope}-rate:" + salted_hmac(f"pertutti.{scope}", f"{hour}|{address}").hexdigest()


def hourly_exceeded(scope: str, address: str, limit: int) -> bool:
    """Has this client used its `limit` for this hour? Reads only."""
    return cache.get(_key(scope, address, timezone.now()), 0) >= limit


def hourly_record(scope: str, address: str, limit: int) -> bool:
    """Counts one use; False when it is one too many (two sent at once included)."""
    key = _key(scope, address, timezone.now())
    cache.add(key, 0, timeout=WINDOW)  # the window: the entry is gone an hour after it began
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=WINDOW)
        count = 1
    return count <= limit


def seconds_to_next_hour() -> int:
    """For Retry-After: the count starts again with the next hour."""
    return WINDOW - int(timezone.now().timestamp()) % WINDOW

"""An orientation sheet's selection: the service codes a front-desk operator picked.

The selection lives in the URL (`?s=LPT-001,LPT-013` or repeated `s=`) and on the device
(the page script keeps it in localStorage): no account, nothing about the person. A short
link (`/s/<key>/`) stores only the codes, under a key derived from them, so the same
selection always gets the same link and storing it twice changes nothing.
"""

import base64
import hashlib
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from pertutti.printing.models import Selection
from pertutti.territories.models import Territory

MAX_SERVICES = 30
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
_SPLIT = re.compile(r"[\s,;]+")


class SelectionError(ValueError):
    """A selection that cannot make a sheet; the message is for the operator."""


def parse_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes, malformed): the distinct codes in the order given, upper case, and the
    pieces that cannot be a code (shown back, never looked up)."""
    codes: list[str] = []
    malformed: list[str] = []
    for value in values:
        for piece in _SPLIT.split(value or ""):
            code = piece.strip().upper()
            if not code:
                continue
            if not _CODE.match(code):
                malformed.append(piece[:40])
            elif code not in codes:
                codes.append(code)
    return codes, malformed


def selection_key(territory: Territory, codes: list[str]) -> str:
    digest = hashlib.sha256("|".join([territory.slug, *codes]).encode()).digest()
    return base64.b32encode(digest).decode().lower()[:8]


def save_selection(territory: Territory, codes: list[str]) -> str:
    """The short-link key of `codes` (stored on first use; idempotent)."""
    if not 1 <= len(codes) <= MAX_SERVICES:
        raise SelectionError(f"a selection holds 1 to {MAX_SERVICES} services")
    key = selection_key(territory, codes)
    if not Selection.objects.filter(key=key).exists():
        try:
            with transaction.atomic():
                Selection.objects.create(key=key, territory=territory, codes=codes)
        except IntegrityError:
            pass  # stored meanwhile by another request: the same codes
    return key


def stored_selection(territory: Territory, key: str) -> list[str] | None:
    row = Selection.objects.filter(key=key.lower(), territory=territory).first()
    return list(row.codes) if row else None

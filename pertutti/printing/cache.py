"""Built PDFs on disk, one file per (what, language, data version).

A key names everything the PDF shows: the kind and selection, the language, the version of
the data (`data_version`) and of the software. When the data change the key changes, so a
stale PDF is never served; `prune` removes files no key points to any more. Writes go to a
temporary file renamed into place, so two workers building the same PDF at once both
succeed and a reader never sees half a file.
"""

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Q

import pertutti
from pertutti.directory.models import Service
from pertutti.territories.models import Territory
from pertutti.translations.models import Translation


def cache_dir() -> Path:
    return Path(settings.PERTUTTI_PRINT_DIR)


def stable_json(value: object) -> str:
    """A JSON field as the same text however it was read: PostgreSQL's jsonb gives back an
    object's keys in its own order, so the same data could otherwise make two keys."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def territory_version_parts(territory: Territory) -> list[str]:
    """What every printed piece shows of the territory and takes from the software (its
    templates and translations) and the site's address (in the QR codes)."""
    return [
        pertutti.__version__,
        territory.slug,
        territory.name,
        territory.area_name,
        territory.owner,
        territory.source_language,
        territory.phone_region,
        stable_json(territory.emergency_numbers),
        stable_json(territory.offered_languages),
        settings.PERTUTTI_SITE_URL,
    ]


def data_version(territory: Territory, language: str) -> str:
    """Changes whenever anything a PDF in `language` shows changes: a service (added,
    edited, closed), a translation into that language (added, edited, reviewed, removed),
    or the territory's own settings (name, emergency numbers, languages)."""
    services = Service.objects.filter(territory=territory).aggregate(
        last=Max("updated_at"), count=Count("pk")
    )
    translations = Translation.objects.filter(
        source__territory=territory, language=language
    ).aggregate(
        count=Count("pk"),
        translated=Max("translated_at"),
        reviewed=Max("reviewed_at"),
        drafts=Count("pk", filter=Q(status="draft")),
    )
    parts = [
        *territory_version_parts(territory),
        repr(sorted(services.items())),
        repr(sorted(translations.items())),
        str(settings.PERTUTTI_PUBLISH_DRAFTS),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class BuildRefused(Exception):
    """A build guard refused to build a PDF now (a client's hourly limit)."""


# Serving a cached PDF costs nothing, building one up to seconds of CPU: a page that lets the
# public ask for PDFs sets a guard that runs only before a real build (see `build_guard`).
_guard: ContextVar[Callable[[], None] | None] = ContextVar("print_build_guard", default=None)


@contextmanager
def build_guard(check: Callable[[], None]) -> Iterator[None]:
    """Within the block, `check()` runs before each PDF that has to be built; it raises
    BuildRefused to refuse."""
    token = _guard.set(check)
    try:
        yield
    finally:
        _guard.reset(token)


def cached_pdf(key: str, build: Callable[[], bytes], *, prefix: str = "pdf") -> Path:
    """The path of the PDF for `key`, built by `build()` when it is not on disk yet."""
    folder = cache_dir()
    path = folder / f"{prefix}-{key}.pdf"
    if path.exists():
        os.utime(path)  # recently used: `prune` keeps it
        return path
    guard = _guard.get()
    if guard is not None:
        guard()
    data = build()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".building-", suffix=".pdf")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
    return path


def prune(
    *, keep: Iterable[Path] = (), older_than_seconds: float = 7 * 24 * 3600, prefix: str = ""
) -> int:
    """Remove PDFs nobody asked for in `older_than_seconds`, except `keep`; with `prefix`,
    only the files `cached_pdf` wrote with that prefix. Returns how many."""
    folder = cache_dir()
    if not folder.exists():
        return 0
    kept = {p.resolve() for p in keep}
    limit = time.time() - older_than_seconds
    # The key is hexadecimal: "booklet-zh" must not match "booklet-zh-hans-<key>.pdf".
    named = re.compile(rf"{re.escape(prefix)}-[0-9a-f]+\.pdf") if prefix else None
    removed = 0
    for path in folder.glob("*.pdf"):
        if named is not None and not named.fullmatch(path.name):
            continue
        if path.resolve() not in kept and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

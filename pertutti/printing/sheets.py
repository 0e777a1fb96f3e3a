"""Orientation sheets and service sheets: a few services, one or two A4 pages, as PDF."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.printing import cache, content
from pertutti.printing.locator import locator_svg, territory_frame
from pertutti.printing.pdf import language_context, render_pdf
from pertutti.printing.qr import qr_svg
from pertutti.printing.selection import MAX_SERVICES, SelectionError
from pertutti.territories.localformats import long_date
from pertutti.territories.models import Territory

# The longer texts a service sheet adds to what an orientation sheet shows.
DETAIL_FIELDS = (
    ("what", "description"),
    ("who", "eligibility"),
    ("how", "application_process"),
    ("cost", "cost"),
    ("accessibility", "accessibility"),
)


@dataclass(frozen=True)
class Sheet:
    path: Path
    found: list[str]  # codes printed, in the order asked
    skipped: list[str]  # codes asked for that are unknown or closed


def with_pictures(
    entries: list[content.PrintedService], territory: Territory, *, locator: bool = True
) -> list[content.PrintedService]:
    """Each entry with its QR code and, when it has a position, its locator."""
    frame = territory_frame(territory)
    towns = (
        [(float(m.latitude), float(m.longitude)) for m in territory.municipalities.all()]
        if locator
        else []
    )
    out = []
    for entry in entries:
        picture = ""
        if locator and entry.latitude is not None and entry.longitude is not None:
            picture = locator_svg(
                frame, towns, (entry.latitude, entry.longitude), entry.municipality
            )
        out.append(replace(entry, qr=qr_svg(entry.url), locator=picture))
    return out


def _sheet_pdf(
    territory: Territory,
    services: list[Service],
    language: str,
    *,
    kind: str,
    key_parts: tuple[str, ...],
    skipped: Sequence[str] = (),
    short_url: str = "",
    detail: bool = False,
) -> Path:
    """The A4 sheet of `services` (printing/sheet.html), from the cache when built today
    with the same data: a sheet is dated, so its key holds the day."""
    today = timezone.localdate()
    key = cache.cache_key(
        kind, *key_parts, language, cache.data_version(territory, language), today.isoformat()
    )

    def build() -> bytes:
        entries = content.printed_services(services, territory, language)
        context = {
            **language_context(language, territory.source_language),
            "territory": territory,
            "entries": with_pictures(entries, territory),
            "skipped": list(skipped),
            "short_url": short_url,
            "short_qr": qr_svg(short_url, max_version=6) if short_url else "",
            "date": long_date(today, language),
            "detail": detail,
            "detail_fields": DETAIL_FIELDS,
        }
        return render_pdf("printing/sheet.html", context, language=language)

    return cache.cached_pdf(key, build, prefix=kind)


def orientation_sheet(
    territory: Territory, codes: list[str], language: str, *, short_url: str = ""
) -> Sheet:
    """The PDF of the services `codes` (1 to MAX_SERVICES) in `language` beside the source
    language. Unknown and closed codes are skipped and named on the sheet."""
    if not 1 <= len(codes) <= MAX_SERVICES:
        raise SelectionError(f"a sheet holds 1 to {MAX_SERVICES} services, not {len(codes)}")
    services = content.printable_services(territory, codes)
    found = [code for code in codes if code in services]
    skipped = [code for code in codes if code not in services]
    path = _sheet_pdf(
        territory,
        [services[code] for code in found],
        language,
        kind="sheet",
        key_parts=(",".join(codes), short_url),
        skipped=skipped,
        short_url=short_url,
    )
    return Sheet(path, found, skipped)


def service_sheet(territory: Territory, code: str, language: str) -> Path | None:
    """The PDF of one service's page (None when there is no such active service)."""
    service = content.printable_services(territory, [code]).get(code.upper())
    if service is None:
        return None
    return _sheet_pdf(
        territory, [service], language, kind="service", key_parts=(service.code,), detail=True
    )


def short_link(key: str, language: str) -> str:
    """The absolute short link of a stored selection, in `language`."""
    return content.site_url(language, "public:sheet_short", key)

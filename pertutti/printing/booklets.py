"""The printed directory (vademecum): every active service of the territory, by need, in one
language, as a booklet for a desk or a waiting room.

A cover (the language named in its own script, the date of the data, the emergency
numbers), a table of contents by need with page numbers, then one chapter per category.
`bilingual` prints the Italian beside each text, for desks where the operator reads along;
a text not yet translated is printed in Italian and marked so in either case.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from pertutti.directory.models import Service
from pertutti.directory.phones import emergency_phones
from pertutti.directory.selectors import last_update
from pertutti.printing import cache, content
from pertutti.printing.pdf import enlarge, language_context, render_pdf
from pertutti.printing.sheets import DETAIL_FIELDS, with_pictures
from pertutti.taxonomy.models import Category
from pertutti.territories.labels import emergency_label
from pertutti.territories.localformats import long_date
from pertutti.territories.models import Territory
from pertutti.translations.selectors import Localizer

SIZES = ("A5", "A4")
_SPLIT = re.compile(r"[\s,]+")
PREFIX = "booklet"


class BookletFilterError(ValueError):
    """A category or municipality code the territory does not have."""

    def __init__(self, kind: str, code: str) -> None:
        self.kind = kind  # "category" or "municipality"
        self.code = code
        super().__init__(f"unknown {kind} code {code!r}")


@dataclass(frozen=True)
class Chapter:
    """One need: its name in the reader's language and its services."""

    anchor: str
    name: content.Pair
    entries: list[content.PrintedService]


def file_prefix(language: str) -> str:
    """Booklet files carry their language in the name, so the build command prunes only the
    languages it rebuilt."""
    return f"{PREFIX}-{language}"


def booklet_url(
    language: str,
    *,
    size: str,
    bilingual: bool = False,
    categories: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> str:
    """The path of the booklet on the public site, in `language` (the page offering it and
    the back office link the same address)."""
    query = [("size", size.lower())]
    if bilingual:
        query.append(("bilingual", "1"))
    query += [("category", code) for code in categories]
    query += [("municipality", code) for code in municipalities]
    with translation.override(language):
        return reverse("public:booklet") + "?" + urlencode(query)


def _codes(values: Iterable[str], *, lower: bool) -> list[str]:
    """Distinct codes, sorted; a value may hold several, separated by commas or spaces."""
    pieces = {piece for value in values for piece in _SPLIT.split(value or "") if piece}
    return sorted({p.lower() for p in pieces} if lower else pieces)


def clean_filters(
    territory: Territory, categories: Iterable[str], municipalities: Iterable[str]
) -> tuple[list[str], list[str]]:
    """(category codes, municipality ISTAT codes), distinct and sorted; raises
    BookletFilterError on the first code the territory does not have."""
    wanted = _codes(categories, lower=True)
    known = set(Category.objects.filter(code__in=wanted).values_list("code", flat=True))
    for code in wanted:
        if code not in known:
            raise BookletFilterError("category", code)
    towns = _codes(municipalities, lower=False)
    known = set(
        territory.municipalities.filter(istat_code__in=towns).values_list("istat_code", flat=True)
    )
    for code in towns:
        if code not in known:
            raise BookletFilterError("municipality", code)
    return wanted, towns


def booklet_services(
    territory: Territory, categories: list[str], municipalities: list[str]
) -> "QuerySet[Service]":
    """The services a booklet prints: all active ones, or those of the categories and the
    municipalities given (codes from `clean_filters`)."""
    services = content.services_for_print(territory)
    if categories:
        services = services.filter(category__code__in=categories)
    if municipalities:
        services = services.filter(
            locations__municipality__istat_code__in=municipalities
        ).distinct()
    return services


def _chapters(entries: list[content.PrintedService]) -> list[Chapter]:
    """Entries grouped by category, in the order `services_for_print` gives them."""
    chapters: list[Chapter] = []
    for entry in entries:
        code = entry.service.category.code
        if not chapters or chapters[-1].anchor != f"c-{code}":
            chapters.append(Chapter(f"c-{code}", entry.category, []))
        chapters[-1].entries.append(entry)
    return chapters


def _emergency(territory: Territory, language: str) -> list[dict[str, str]]:
    numbers = []
    for phone, kind in emergency_phones(territory):
        with translation.override(language):
            label = emergency_label(kind)
        with translation.override(territory.source_language):
            label_source = emergency_label(kind)
        display = phone.national(territory.phone_region)
        numbers.append({"display": display, "label": label, "source": label_source})
    return numbers


def _filter_names(
    territory: Territory, language: str, categories: list[str], municipalities: list[str]
) -> list[str]:
    """What a filtered booklet is limited to, named for the cover."""
    chosen = list(Category.objects.filter(code__in=categories))
    localizer = Localizer(
        language=language, source_language=territory.source_language, objects=chosen
    )
    names = [localizer.get(category, "name").text for category in chosen]
    names += list(
        territory.municipalities.filter(istat_code__in=municipalities).values_list(
            "name", flat=True
        )
    )
    return names


def booklet_context(
    territory: Territory,
    language: str,
    *,
    bilingual: bool,
    categories: list[str],
    municipalities: list[str],
) -> dict[str, Any]:
    services = booklet_services(territory, categories, municipalities)
    entries = with_pictures(
        content.printed_services(services, territory, language), territory, locator=False
    )
    updated = last_update(territory)
    own_names = dict(settings.LANGUAGES)
    return {
        **language_context(language, territory.source_language),
        # The switch decides whether the Italian prints beside each text and heading.
        "bilingual": bilingual,
        "territory": territory,
        "language_name": own_names.get(language, language),
        "date": long_date(timezone.localtime(updated).date(), language) if updated else "",
        "emergency": _emergency(territory, language),
        "chapters": _chapters(entries),
        "filters": _filter_names(territory, language, categories, municipalities),
        "detail": True,
        "detail_fields": DETAIL_FIELDS,
    }


def booklet_pdf(
    territory: Territory,
    language: str,
    *,
    size: str = "A5",
    bilingual: bool = False,
    categories: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> Path:
    """The booklet's PDF in `language` (built on first request, then from the cache).

    Raises ValueError for a size or language the territory does not print, and
    BookletFilterError (a ValueError) for an unknown category or municipality code."""
    size = size.upper()
    if size not in SIZES:
        raise ValueError(f"a booklet is printed in {' or '.join(SIZES)}, not {size!r}")
    if language not in territory.offered_languages:
        raise ValueError(f"{territory.slug} is not offered in {language!r}")
    # Italian beside Italian would print every text twice.
    bilingual = bilingual and language != territory.source_language
    wanted, towns = clean_filters(territory, categories, municipalities)
    if size == "A4":
        # The A4 booklet is the A5 one enlarged by √2 (A4 is A5 doubled): the same pages,
        # contents and page numbers in larger type (8.3 pt becomes 11.7 pt, for readers with
        # poor sight), for a fraction of a layout's cost. See docs/decisions.md.
        a5 = booklet_pdf(
            territory,
            language,
            size="A5",
            bilingual=bilingual,
            categories=wanted,
            municipalities=towns,
        )
        return cache.cached_pdf(
            cache.cache_key(PREFIX, "A4", a5.name),
            lambda: enlarge(a5.read_bytes(), A4_MM),
            prefix=file_prefix(language),
        )
    key = cache.cache_key(
        PREFIX,
        size,
        "bilingual" if bilingual else "plain",
        ",".join(wanted),
        ",".join(towns),
        language,
        cache.data_version(territory, language),
    )

    def build() -> bytes:
        context = booklet_context(
            territory,
            language,
            bilingual=bilingual,
            categories=wanted,
            municipalities=towns,
        )
        return render_pdf("printing/booklet.html", context, language=language)

    return cache.cached_pdf(key, build, prefix=file_prefix(language))


A4_MM = (210.0, 297.0)

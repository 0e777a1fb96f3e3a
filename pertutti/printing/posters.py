"""The poster (A3 or A4) and the pocket card (85 x 55 mm) that point people to the site.

Both are written for someone who cannot read Italian: the same sentence in every language
the territory offers, each in its own script and named in it, and a QR code to the home
page. They show no service, so they change only with the territory's settings, the site's
address and the software (its translations).
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import override as language_override

from pertutti.directory.phones import emergency_phones
from pertutti.printing import cache
from pertutti.printing.pdf import language_context, render_pdf
from pertutti.printing.qr import qr_svg
from pertutti.territories.bidi import text_direction
from pertutti.territories.labels import emergency_short_label
from pertutti.territories.models import Territory

# Per paper size: the base font size (every other length of the text is in em) and the
# QR code's side. A3 is A4 scaled by √2, so the poster looks the same from √2 further away.
POSTER_SIZES = {
    "A4": {"font_size": "13.5pt", "qr_size": "70mm", "margin": "12mm"},
    "A3": {"font_size": "19pt", "qr_size": "99mm", "margin": "17mm"},
}
# gettext_noop: makemessages extracts the msgid; find_sentence translates it per language.
FIND_SERVICES = gettext_noop("Find the services of %(territory)s in your language")
# The home address fits version 6 (134 bytes at level M); the card prints it at 27 mm,
# 0.6 mm a module, which phones read at arm's length.
QR_MAX_VERSION = 6


@dataclass(frozen=True)
class LanguageLine:
    code: str
    name: str  # in its own language and script
    direction: str
    sentence: SafeString  # "Find the services of … in your language"
    sentence_lang: str  # the line's language, or English while the sentence is untranslated
    sentence_direction: str


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    label: str  # in the source language


def site_home() -> str:
    return settings.PERTUTTI_SITE_URL.rstrip("/") + "/"


def area_name(territory: Territory) -> str:
    return territory.area_name or territory.name


def _translated(language: str) -> tuple[str, str]:
    """The sentence's template in `language` and the language it is really in. A language
    without its translation yet gets Django's fallback: the LANGUAGE_CODE catalog, or the
    English msgid; the line is marked as such, so an Arabic line does not lay Italian or
    English out right to left."""
    with language_override(language):
        template = gettext(FIND_SERVICES)
    if template == FIND_SERVICES:
        return template, "en"
    if language != settings.LANGUAGE_CODE:
        with language_override(settings.LANGUAGE_CODE):
            if template == gettext(FIND_SERVICES):
                return template, settings.LANGUAGE_CODE
    return template, language


def find_sentence(territory: Territory, language: str) -> tuple[SafeString, str]:
    """The invitation in `language` (HTML) and the language it is really written in. The area
    name is an isolated Italian run: inside Arabic or Urdu it keeps its own order and does
    not pull the punctuation around it."""
    template, written_in = _translated(language)
    area = format_html(
        '<bdi class="area" lang="{}" dir="ltr">{}</bdi>',
        territory.source_language,
        area_name(territory),
    )
    parts = (escape(part) for part in template.split("%(territory)s"))
    return mark_safe(area.join(parts)), written_in  # noqa: S308 - every part escaped


def language_lines(territory: Territory) -> list[LanguageLine]:
    names = dict(settings.LANGUAGES)
    lines = []
    for code in territory.offered_languages:
        if code not in names:
            continue
        sentence, written_in = find_sentence(territory, code)
        lines.append(
            LanguageLine(
                code=code,
                name=names[code],
                direction=text_direction(code),
                sentence=sentence,
                sentence_lang=written_in,
                sentence_direction=text_direction(written_in),
            )
        )
    return lines


def emergency_numbers(territory: Territory) -> list[EmergencyNumber]:
    with language_override(territory.source_language):
        return [
            EmergencyNumber(
                number=phone.national(territory.phone_region), label=emergency_short_label(kind)
            )
            for phone, kind in emergency_phones(territory)
        ]


def shown_version(territory: Territory) -> str:
    """Changes with anything the poster or the card shows (and with the software, which
    carries the translations of the sentence); not with the services."""
    parts = cache.territory_version_parts(territory)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _context(territory: Territory) -> dict[str, Any]:
    home = site_home()
    return {
        **language_context(territory.source_language, territory.source_language),
        "territory": territory,
        "lines": language_lines(territory),
        "emergency": emergency_numbers(territory),
        "qr": qr_svg(home, max_version=QR_MAX_VERSION),
        "site_url": home.rstrip("/"),
    }


def poster_pdf(territory: Territory, size: str = "A3") -> Path:
    """The poster of the site, on A3 or A4 portrait paper."""
    if size not in POSTER_SIZES:
        raise ValueError(f"poster size {size!r}: choose one of {', '.join(POSTER_SIZES)}")
    key = cache.cache_key("poster", size, shown_version(territory))

    def build() -> bytes:
        context = {**_context(territory), "size": size, **POSTER_SIZES[size]}
        return render_pdf("printing/poster.html", context, language=territory.source_language)

    return cache.cached_pdf(key, build, prefix="poster")


def card_pdf(territory: Territory) -> Path:
    """The pocket card: the site and its QR code on the front, emergency numbers on the back."""
    key = cache.cache_key("card", "85x55", shown_version(territory))

    def build() -> bytes:
        sentence, written_in = find_sentence(territory, territory.source_language)
        context = {
            **_context(territory),
            "sentence": sentence,
            "sentence_lang": written_in,
            "sentence_direction": text_direction(written_in),
        }
        return render_pdf("printing/card.html", context, language=territory.source_language)

    return cache.cached_pdf(key, build, prefix="card")

"""The territory's fixed terms, highlighted in the Italian a translator reads."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pertutti.translations.models import GlossaryTerm


@dataclass(frozen=True)
class GlossaryHit:
    term: str
    approved: str  # the approved translation in the target language, or ""


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so "Sportello Unico per l'Immigrazione" wins over "Sportello".
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def highlight(
    text: str, terms: list[GlossaryTerm], language: str
) -> tuple[SafeString, list[GlossaryHit]]:
    """The text, escaped, with each glossary term wrapped in <mark> (title: the approved
    translation); and the terms found, for the list beside the editor."""
    by_lower = {t.term.lower(): t for t in terms}
    pattern = _pattern([t.term for t in terms])
    if pattern is None:
        return mark_safe(escape(text)), []  # noqa: S308 - escaped just here
    out: list[str] = []
    hits: dict[str, GlossaryHit] = {}
    position = 0
    for match in pattern.finditer(text):
        term = by_lower[match.group(1).lower()]
        approved = term.translations.get(language, "")
        out.append(escape(text[position : match.start()]))
        title = f' title="{escape(approved)}"' if approved else ""
        out.append(f"<mark{title}>{escape(match.group(1))}</mark>")
        hits.setdefault(term.term, GlossaryHit(term.term, approved))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out)), list(hits.values())  # noqa: S308 - every piece escaped

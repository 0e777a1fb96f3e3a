"""Translation memory: earlier translations of the same or similar Italian text."""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Q

from pertutti.territories.models import Territory
from pertutti.translations.models import Translation, TranslationStatus

MIN_SIMILARITY = 0.6
_WORD = re.compile(r"\w{4,}")


@dataclass(frozen=True)
class Suggestion:
    source: str  # the Italian that was translated
    target: str
    similarity: float  # 1.0 = exact match
    status: str


def suggestions(
    *, territory: Territory, language: str, text: str, exclude_source_id: int | None = None,
    limit: int = 5,
) -> list[Suggestion]:  # fmt: skip
    """Exact and fuzzy matches among up-to-date translations of the territory.

    Candidates share at least one long word with the text (cheap filter in the database),
    then difflib ranks them; only the best `limit` above MIN_SIMILARITY are returned.
    """
    words = sorted(set(_WORD.findall(text.lower())), key=len, reverse=True)[:6]
    candidates = Translation.objects.filter(
        source__territory=territory,
        language=language,
        status__in=[TranslationStatus.TRANSLATED, TranslationStatus.REVIEWED],
    ).select_related("source")
    if exclude_source_id is not None:
        candidates = candidates.exclude(source_id=exclude_source_id)
    if words:
        query = Q()
        for word in words:
            query |= Q(source_text__icontains=word)
        candidates = candidates.filter(query)
    found: dict[tuple[str, str], Suggestion] = {}
    for t in candidates[:500]:
        if t.is_outdated:
            continue
        ratio = 1.0 if t.source_text == text else _similarity(text, t.source_text)
        if ratio >= MIN_SIMILARITY:
            key = (t.source_text, t.text)
            if key not in found or found[key].similarity < ratio:
                found[key] = Suggestion(t.source_text, t.text, round(ratio, 2), t.status)
    return sorted(found.values(), key=lambda s: (-s.similarity, s.source))[:limit]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio()

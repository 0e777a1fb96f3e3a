"""Matching keys for place names written in different ways by sixty different senders."""

import re
import unicodedata

# "S.", "San", "Sant'", "Santo", "Santa" all fold to one token, so that
# "S. Angelo Lodigiano" finds "Sant'Angelo Lodigiano". Two real municipalities that
# differ only by this word do not exist in one Italian province.
_SAINT_WORDS = frozenset({"s", "san", "sant", "santo", "santa", "st"})
_SEPARATORS = re.compile(r"[\s'’‘`´.\-–—_/,]+")


def fold_name(text: str) -> str:
    """Lowercase, accent-free, punctuation-free key of a place name."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = [w for w in _SEPARATORS.split(without_accents.casefold()) if w]
    return " ".join("s" if w in _SAINT_WORDS else w for w in words)

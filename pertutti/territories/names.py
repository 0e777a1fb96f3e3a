"""Matching keys for place names written in different ways by sixty different senders."""

import re
import unicodedata

# "S.", "San", "Sant'", "Santo", "Santa" all fold to one token, so that
# "S. Angelo Lodigiano" finds "Sant'Angelo Lodigiano". No two municipalities of one
# territory differ only by this word.
_SAINT_WORDS = frozenset({"s", "san", "sant", "santo", "santa", "st"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def fold_name(text: str) -> str:
    """Lowercase, accent-free, punctuation-free key of a place name."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_ALPHANUMERIC.sub(" ", without_accents.casefold()).split()
    return " ".join("s" if w in _SAINT_WORDS else w for w in words)

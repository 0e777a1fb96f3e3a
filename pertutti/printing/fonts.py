"""The fonts printed material is set in: Debian's Noto families, one per script.

WeasyPrint finds fonts through fontconfig and embeds the glyphs it uses (a subset) in each
PDF. Pango shapes each run of text with the first family of the stack that has its glyphs,
so one stack serves every language; a language whose own style matters (Nastaliq for Urdu,
the Simplified Chinese forms of shared Han characters) puts its family first.

Debian packages: fonts-noto-core (Latin, Cyrillic, Arabic, Nastaliq Urdu, Gurmukhi,
Bengali) and fonts-noto-cjk (Simplified Chinese). The set-up and `.ci/run` install them;
`manage.py check` warns when one is missing (printing.W001).
"""

import shutil
import subprocess
from functools import lru_cache

# Family -> the Debian package that carries it.
FAMILIES = {
    "Noto Sans": "fonts-noto-core",
    "Noto Sans Arabic": "fonts-noto-core",
    "Noto Nastaliq Urdu": "fonts-noto-core",
    "Noto Sans Gurmukhi": "fonts-noto-core",
    "Noto Sans Bengali": "fonts-noto-core",
    "Noto Sans CJK SC": "fonts-noto-cjk",
}

BASE_STACK = (
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Gurmukhi",
    "Noto Sans Bengali",
    "Noto Sans CJK SC",
)

# A language whose script needs its own family first.
_FIRST = {"ur": "Noto Nastaliq Urdu", "zh-hans": "Noto Sans CJK SC"}


def font_stack(language: str) -> str:
    """The CSS font-family value for text in `language`."""
    first = _FIRST.get(language)
    families = ([first] if first else []) + [f for f in BASE_STACK if f != first]
    return ", ".join(f'"{family}"' for family in families) + ", sans-serif"


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """The Noto families fontconfig knows (empty when fc-list itself is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [fc_list, ":", "family"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def missing_families() -> dict[str, str]:
    """Family -> Debian package, for each printing family this machine lacks."""
    found = installed_families()
    return {family: package for family, package in FAMILIES.items() if family not in found}

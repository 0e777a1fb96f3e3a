"""`manage.py check` says which font package is missing before a PDF prints boxes."""

from typing import Any

from django.core import checks

from pertutti.printing.fonts import missing_families


@checks.register()
def fonts_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    missing = missing_families()
    if not missing:
        return []
    packages = " ".join(sorted(set(missing.values())))
    return [
        checks.Warning(
            f"Printed material lacks fonts: {', '.join(sorted(missing))}.",
            hint=f"Install Debian's packages: apt-get install {packages}",
            id="printing.W001",
        )
    ]

"""What browsers ask of a site besides its pages: the icon and the web app manifest."""

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pertutti.territories.models import Territory

THEME_COLOUR = "#0066cc"  # --blue in public/site.css
BACKGROUND_COLOUR = "#ffffff"
FAVICON = "public/favicon.ico"


def web_app_manifest(territory: Territory) -> dict[str, Any]:
    """The manifest in the active language: "add to home screen" opens the home page in the
    language it was added in, and shows the territory's name under the icon."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "name": territory.name,
        "short_name": territory.name,
        "description": _(
            "Public and social services near you: where, when, what to bring, "
            "which languages are spoken."
        ),
        "lang": language,
        "dir": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
        "start_url": reverse("public:home"),
        # The whole site, so that changing language stays in the installed app.
        "scope": "/",
        "display": "minimal-ui",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("public/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("public/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("public/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("public/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }

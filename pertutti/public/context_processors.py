from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from pertutti.directory.phones import emergency_phones
from pertutti.public.selectors import request_last_update, shows_sample_data
from pertutti.territories.labels import emergency_label, emergency_short_label
from pertutti.territories.selectors import request_territory


def site(request: HttpRequest) -> dict[str, Any]:
    """What every public page shows: owner, emergency strip, language switcher, footer."""
    territory = request_territory(request)
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    names = dict(settings.LANGUAGES)
    # The territory's languages in its own order; all known ones before it is set up.
    offered = territory.offered_languages if territory else list(names)
    languages = [
        {
            "code": code,
            "name": names[code],
            "url": translate_url(request.path, code) + suffix,
            "bidi": code in settings.LANGUAGES_BIDI,
        }
        for code in offered
        if code in names
    ]
    if territory is None:
        return {"site_languages": languages}
    return {
        "territory": territory,
        "site_languages": languages,
        "emergency_numbers": [
            {
                "tel": phone.tel_uri(),
                "display": phone.national(territory.phone_region),
                "short": emergency_short_label(kind),
                "label": emergency_label(kind),
            }
            for phone, kind in emergency_phones(territory)
        ],
        "sample_data": shows_sample_data(territory),
        "last_update": request_last_update(request),
    }

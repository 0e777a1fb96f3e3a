"""Back office: the printed material of every offered language, for the desk to print."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation

from pertutti.accounts.decorators import staff_view
from pertutti.printing.booklets import booklet_url
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404

# The columns of the table: (paper, with the Italian beside).
BOOKLETS = (("A5", False), ("A4", False), ("A5", True), ("A4", True))


@dataclass(frozen=True)
class LanguageRow:
    code: str
    name: str  # in the back office's language
    own_name: str  # in its own script, as the person at the desk reads it
    links: list[str]  # one per BOOKLETS column; "" where the column does not apply


def _row(territory: Territory, code: str, name: str) -> LanguageRow:
    links = [
        ""
        if bilingual and code == territory.source_language  # Italian beside Italian
        else booklet_url(code, size=size, bilingual=bilingual)
        for size, bilingual in BOOKLETS
    ]
    return LanguageRow(code, name, dict(settings.LANGUAGES).get(code, code), links)


@staff_view("manage.access")
def printed(request: HttpRequest) -> HttpResponse:
    """Every role may print: front-desk operators hand the booklets out."""
    territory = request_territory_or_404(request)
    rows = [
        _row(territory, code, name) for code, name in language_choices(territory.offered_languages)
    ]
    # The poster and the card are in Italian (with each language's sentence on the poster).
    with translation.override(territory.source_language):
        poster_url = reverse("public:poster")
        card_url = reverse("public:card")
    context = {
        "rows": rows,
        "columns": BOOKLETS,
        "posters": [("A3", f"{poster_url}?size=a3"), ("A4", f"{poster_url}?size=a4")],
        "card_url": card_url,
    }
    return render(request, "manage/printed.html", context)


urlpatterns = [path("printed/", printed, name="printed")]

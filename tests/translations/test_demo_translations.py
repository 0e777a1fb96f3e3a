"""The demo ships English, French and Arabic drafts of every text of every demo service."""

from pathlib import Path

import pytest

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.translations.exchange import import_xliff, sources_to_translate
from pertutti.translations.models import Translation
from tests.conftest import DEMO_CSV, REPO

DEMO_TRANSLATIONS = REPO / "demo" / "lodi" / "translations"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_demo_translations_cover_every_text_and_match_the_demo_italian(lodi, language):
    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    data = Path(DEMO_TRANSLATIONS / f"{language}.xlf").read_bytes()
    report = import_xliff(territory=lodi, language=language, data=data, status="draft")
    assert (report.source_changed, report.unknown, report.empty) == ([], [], [])
    assert sources_to_translate(lodi, language).count() == 0
    translated = set(
        Translation.objects.filter(
            language=language, source__content_type__model="service"
        ).values_list("source__object_id", flat=True)
    )
    assert translated == set(Service.objects.values_list("pk", flat=True))
    assert set(Translation.objects.values_list("status", flat=True)) == {"draft"}


def test_the_demo_in_arabic_shows_arabic_text(client, lodi, settings):
    settings.PERTUTTI_PUBLISH_DRAFTS = True
    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    import_xliff(territory=lodi, language="ar", data=(DEMO_TRANSLATIONS / "ar.xlf").read_bytes(),
                 status="draft")  # fmt: skip
    page = client.get("/ar/services/LPT-055/").content.decode()
    assert '<h1 lang="ar">' in page
    assert 'class="note" role="note"' not in page  # everything on the page is translated

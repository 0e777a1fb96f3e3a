"""A translation is shown while it matches the Italian; when the Italian changes it is
kept but outdated, and the page falls back to the Italian with a notice."""

import pytest

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.search.usage import usage_flush
from pertutti.translations.models import SourceText, Translation, TranslationStatus
from pertutti.translations.services import TranslationError, translation_review, translation_save
from tests.conftest import service_row
from tests.staff import make_person
from tests.translations.conftest import source_of

# The services' messages are read as their English msgids.
pytestmark = pytest.mark.usefixtures("english")


def test_import_records_the_italian_sources(one_service):
    fields = set(
        SourceText.objects.filter(object_id=one_service.pk).values_list("field", flat=True)
    )
    assert {"name", "description", "cost", "application_process"} <= fields
    assert source_of(one_service.schedule, "original_text").text == "lun-ven 9-12"


def test_changed_italian_makes_the_translation_outdated_not_deleted(
    lodi, one_service, write_csv, django_user_model
):
    source = source_of(one_service, "description")
    translation = translation_save(
        source=source, language="ar", text="مساعدة في تصريح الإقامة.", status="translated"
    )
    assert not translation.is_outdated
    row = service_row(descrizione="Aiuto per il permesso di soggiorno e la cittadinanza.")
    services_import_file(territory=lodi, path=write_csv([row]))
    translation.refresh_from_db()
    assert translation.is_outdated
    assert translation.text == "مساعدة في تصريح الإقامة."
    assert translation.source_text == "Aiuto per il permesso di soggiorno."  # for the diff
    # An unchanged re-import does not touch the sources.
    before = SourceText.objects.get(pk=source.pk).changed_at
    services_import_file(territory=lodi, path=write_csv([row]))
    assert SourceText.objects.get(pk=source.pk).changed_at == before


def test_page_shows_the_translation_then_falls_back_with_a_notice(
    client, lodi, one_service, write_csv
):
    translation_save(
        source=source_of(one_service, "description"),
        language="ar",
        text="مساعدة في تصريح الإقامة.",
        status="reviewed" if False else "translated",
    )
    page = client.get("/ar/services/TST-001/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<p lang="ar">مساعدة في تصريح الإقامة.</p>' in page
    # The name has no translation: Italian, marked as such, with the notice.
    assert '<h1 lang="it">Segretariato sociale</h1>' in page
    assert 'class="note" role="note"' in page
    row = service_row(descrizione="Testo nuovo.")
    services_import_file(territory=lodi, path=write_csv([row]))
    page = client.get("/ar/services/TST-001/").content.decode()
    assert '<p lang="it">Testo nuovo.</p>' in page
    assert "مساعدة في تصريح الإقامة." not in page


def test_no_notice_when_everything_is_translated(client, lodi, one_service):
    for source in SourceText.objects.filter(territory=lodi):
        translation_save(
            source=source, language="en", text=f"EN {source.field}", status="translated"
        )
    page = client.get("/en/services/TST-001/").content.decode()
    assert 'class="note" role="note"' not in page
    assert '<h1 lang="en">EN name</h1>' in page


def test_drafts_are_public_only_when_the_setting_says_so(client, one_service, settings):
    translation_save(
        source=source_of(one_service, "name"), language="fr", text="Secrétariat social",
        status="draft",
    )  # fmt: skip
    settings.PERTUTTI_PUBLISH_DRAFTS = False
    assert "Secrétariat social" not in client.get("/fr/services/TST-001/").content.decode()
    settings.PERTUTTI_PUBLISH_DRAFTS = True
    assert "Secrétariat social" in client.get("/fr/services/TST-001/").content.decode()


def test_organisation_names_and_addresses_are_never_translatable(one_service):
    fields = set(SourceText.objects.values_list("field", flat=True))
    assert "address" not in fields
    organization_fields = SourceText.objects.filter(content_type__model="organization").values_list(
        "field", flat=True
    )
    assert "name" not in organization_fields


def test_review_by_a_second_person(lodi, one_service):
    alice = make_person("alice", lodi, Role.TRANSLATOR, languages=["ar"])
    bob = make_person("bob", lodi, Role.TRANSLATOR, languages=["ar"])
    translation = translation_save(
        source=source_of(one_service, "name"), language="ar", text="أمانة اجتماعية",
        status="translated", user=alice,
    )  # fmt: skip
    with pytest.raises(TranslationError, match="You may not review this translation"):
        translation_review(translation=translation, user=alice)
    reviewed = translation_review(translation=translation, user=bob)
    assert reviewed.status == TranslationStatus.REVIEWED and reviewed.reviewer == bob


def test_outdated_translations_cannot_be_reviewed(lodi, one_service, write_csv):
    bob = make_person("bob", lodi, Role.TRANSLATOR, languages=["ar"])
    translation = translation_save(
        source=source_of(one_service, "description"), language="ar", text="نص", status="translated"
    )
    services_import_file(territory=lodi, path=write_csv([service_row(descrizione="Altro.")]))
    with pytest.raises(TranslationError, match="outdated"):
        translation_review(translation=translation, user=bob)


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [("it", "x", "not a target language"), ("de", "x", "not a target language"),
     ("ar", "   ", "empty")],
)  # fmt: skip
def test_bad_saves_are_refused_and_nothing_is_stored(one_service, language, text, message):
    with pytest.raises(TranslationError, match=message):
        translation_save(
            source=source_of(one_service, "name"), language=language, text=text,
            status="translated",
        )  # fmt: skip
    assert Translation.objects.count() == 0


def test_a_save_against_an_italian_that_changed_meanwhile_is_refused(one_service):
    with pytest.raises(TranslationError, match="changed while you were translating"):
        translation_save(
            source=source_of(one_service, "name"), language="ar", text="x", status="translated",
            expected_fingerprint="0" * 64,
        )  # fmt: skip


def test_lists_use_one_query_for_all_translations(client, lodi, one_service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/ar/services/")
    translation_queries = [q for q in queries if "translations_translation" in q["sql"]]
    assert len(translation_queries) <= 2  # services and categories


def test_service_page_counts_reads(client, one_service):
    client.get("/it/services/TST-001/")
    client.get("/en/services/TST-001/")
    assert source_of(one_service, "name").reads == 0  # counted in memory: a GET never writes
    usage_flush()
    assert source_of(one_service, "name").reads == 2
    assert Service.objects.count() == 1

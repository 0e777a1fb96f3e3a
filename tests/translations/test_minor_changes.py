"""Minor changes of the Italian carry their translations; substantial ones outdate them."""

from datetime import datetime

import pytest

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.services import revision_approve, revision_submit, service_publish
from pertutti.translations.models import Translation, TranslationStatus
from pertutti.translations.selectors import Localizer
from pertutti.translations.services import source_texts_sync, translation_save
from tests.staff import make_person, sign_in
from tests.translations.conftest import source_of

OLD = "Aiuto per il permesso di soggiorno."
TYPO_FIXED = "Aiuto per il permesso di soggiorno, e il rinnovo."


@pytest.fixture
def translated(one_service):
    """An up-to-date Arabic translation (reviewed) and an outdated French one."""
    source = source_of(one_service, "description")
    translation_save(
        source=source, language="fr", text="Aide pour le titre.", status=TranslationStatus.DRAFT
    )
    one_service.description = OLD + " "  # the French is now made from an older text
    one_service.save()
    source_texts_sync(territory=one_service.territory, obj=one_service)
    source.refresh_from_db()
    ar = translation_save(
        source=source, language="ar", text="مساعدة للإقامة.", status=TranslationStatus.TRANSLATED
    )
    Translation.objects.filter(pk=ar.pk).update(status=TranslationStatus.REVIEWED)
    return one_service


def rows(service: Service) -> dict[str, Translation]:
    source = source_of(service, "description")
    return {t.language: t for t in Translation.objects.filter(source=source)}


def change_description(service: Service, text: str, **options) -> None:
    service.description = text
    service.save()
    source_texts_sync(territory=service.territory, obj=service, **options)


def test_a_minor_change_carries_up_to_date_translations(translated):
    before = rows(translated)
    change_description(translated, TYPO_FIXED, carry_translations=True, note="refuso")
    source = source_of(translated, "description")
    after = rows(translated)
    ar = after["ar"]
    assert source.text == TYPO_FIXED and source.fingerprint != before["ar"].source_fingerprint
    assert not ar.is_outdated
    assert (ar.text, ar.status, ar.source_text) == ("مساعدة للإقامة.", "reviewed", TYPO_FIXED)
    [entry] = ar.history
    assert {k: entry[k] for k in ("event", "note", "from", "to")} == {
        "event": "carried",
        "note": "refuso",
        "from": OLD + " ",
        "to": TYPO_FIXED,
    }
    assert datetime.fromisoformat(entry["at"]) == source.changed_at
    # The French was already outdated: it stays so, with its own old text and no history.
    fr = after["fr"]
    assert fr.is_outdated and fr.source_text == OLD and fr.history == []
    assert fr.source_fingerprint == before["fr"].source_fingerprint


def test_a_substantial_change_outdates_translations(translated):
    change_description(translated, "Tutt'altro servizio.")
    after = rows(translated)
    assert after["ar"].is_outdated and after["ar"].source_text == OLD + " "
    assert after["ar"].status == TranslationStatus.REVIEWED and after["ar"].history == []
    assert after["fr"].is_outdated


def test_the_public_page_shows_a_carried_translation_and_not_an_outdated_one(translated):
    change_description(translated, TYPO_FIXED, carry_translations=True)
    arabic = Localizer(language="ar", source_language="it", objects=[translated])
    assert arabic.get(translated, "description").text == "مساعدة للإقامة."
    change_description(translated, "Tutt'altro servizio.")
    arabic = Localizer(language="ar", source_language="it", objects=[translated])
    assert arabic.get(translated, "description").fallback


def test_an_emptied_text_carries_nothing(translated):
    change_description(translated, "", carry_translations=True)
    assert rows(translated)["ar"].is_outdated and rows(translated)["ar"].history == []


def test_two_minor_changes_make_two_history_entries(translated):
    change_description(translated, TYPO_FIXED, carry_translations=True, note="uno")
    change_description(translated, TYPO_FIXED + " ", carry_translations=True, note="due")
    assert [e["note"] for e in rows(translated)["ar"].history] == ["uno", "due"]


def edited(service: Service, description: str) -> dict:
    data = service_snapshot(service)
    data["service"]["description"] = description
    return data


def test_publishing_a_minor_change_carries_translations(translated):
    service_publish(
        service=translated,
        data=edited(translated, TYPO_FIXED),
        base_version=translated.version,
        source="editor",
        author=None,
        note="virgola",
        minor=True,
    )
    after = rows(translated)
    assert not after["ar"].is_outdated and after["ar"].history[0]["note"] == "virgola"
    assert after["fr"].is_outdated and after["fr"].history == []


def test_publishing_a_substantial_change_outdates_translations(translated):
    service_publish(
        service=translated,
        data=edited(translated, TYPO_FIXED),
        base_version=translated.version,
        source="editor",
        author=None,
        note="nuovo testo",
    )
    after = rows(translated)
    assert after["ar"].is_outdated and after["ar"].history == []
    assert after["fr"].is_outdated


@pytest.mark.parametrize("minor", [True, False])
def test_an_approved_revision_passes_its_minor_flag(translated, lodi, minor):
    editor = make_person("edo", lodi, Role.EDITOR, organizations=[translated.organization])
    reviewer = make_person("rita", lodi, Role.REVIEWER)
    revision = revision_submit(
        organization=translated.organization,
        service=translated,
        base_version=translated.version,
        data=edited(translated, TYPO_FIXED),
        author=editor,
        note="refuso",
        minor=minor,
    )
    assert not rows(translated)["ar"].is_outdated  # pending: nothing published yet
    revision_approve(revision=revision, reviewer=reviewer)
    assert rows(translated)["ar"].is_outdated is not minor


def test_the_editor_shows_the_carried_history_escaped(translated, lodi, client):
    change_description(
        translated, TYPO_FIXED, carry_translations=True, note="<script>alert(1)</script>"
    )
    sign_in(client, make_person("amina", lodi, Role.TRANSLATOR, languages=["ar"]))
    source = source_of(translated, "description")
    page = client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    date = source.changed_at.strftime("%Y-%m-%d")
    assert f"Carried over from a minor change on {date}:" in page
    assert '<bdi lang="it">&lt;script&gt;alert(1)&lt;/script&gt;</bdi>' in page
    assert "<script>alert" not in page
    assert "<del>" in page and "<ins>" in page  # the word diff of the minor change

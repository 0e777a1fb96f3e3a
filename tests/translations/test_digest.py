"""The translators' weekly digest (with a fixed clock) and its opt-out on the profile page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from pertutti.accounts.models import Profile, Role
from pertutti.accounts.profiles import profile_of
from pertutti.translations.digests import digest_section, translation_digests_send
from pertutti.translations.models import SourceText, TranslationStatus
from pertutti.translations.services import source_texts_sync, translation_save
from tests.staff import make_person, sign_in
from tests.translations.conftest import source_of

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PROFILE = "/it/accounts/profile/"


def translator(name, lodi, languages=("ar",), language="en", **options):
    user = make_person(name, lodi, Role.TRANSLATOR, languages=languages, **options)
    profile = profile_of(user)
    profile.language = language
    profile.save()
    return user


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_translator_gets_one_digest_a_week(one_service, lodi):
    amina = translator("amina", lodi)
    assert translation_digests_send(now=MONDAY).sent == 1
    assert sent_to() == ["amina@example.org"]
    assert Profile.objects.get(user=amina).translation_digest_sent_at == MONDAY
    for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=6)):
        assert translation_digests_send(now=MONDAY + later).sent == 0
    assert len(mail.outbox) == 1
    # A week later, even if cron starts a few seconds early.
    assert translation_digests_send(now=MONDAY + timedelta(days=7, seconds=-5)).sent == 1
    assert len(mail.outbox) == 2


def test_not_to_the_opted_out_the_inactive_or_other_roles(one_service, lodi):
    opted_out = translator("omar", lodi)
    Profile.objects.filter(user=opted_out).update(translation_digest=False)
    inactive = translator("ivan", lodi)
    inactive.is_active = False
    inactive.save()
    translator("nolang", lodi, languages=())
    for role in (Role.ADMINISTRATOR, Role.REVIEWER, Role.EDITOR, Role.OPERATOR):
        make_person(f"p-{role}", lodi, role)
    translator("amina", lodi)
    result = translation_digests_send(now=MONDAY)
    assert sent_to() == ["amina@example.org"]
    assert result.sent == 1
    assert Profile.objects.get(user=opted_out).translation_digest_sent_at is None


def test_in_the_recipients_language_with_counts_most_read_and_the_queue(
    one_service, lodi, settings
):
    settings.PERTUTTI_SITE_URL = "https://pertutti.example/"
    translator("amina", lodi, languages=["ar", "fr"], language="it")
    translator("claire", lodi, languages=["fr"], language="en")
    sources = list(SourceText.objects.filter(territory=lodi).exclude(text=""))
    assert len(sources) > 5  # the list stops at five
    description = source_of(one_service, "description")
    SourceText.objects.filter(pk=description.pk).update(reads=50)
    translation_save(source=description, language="fr", text="Aide.", status="translated")
    one_service.description = "Aiuto per il rinnovo del permesso."
    one_service.save()
    source_texts_sync(territory=lodi, obj=one_service)  # the French is now outdated

    translation_digests_send(now=MONDAY)
    messages = {m.to[0]: m for m in mail.outbox}
    amina = messages["amina@example.org"].body
    assert "arabo" in amina and "francese" in amina  # language names in her language (Italian)
    assert "https://pertutti.example/it/translate/ar/" in amina
    assert "https://pertutti.example/it/translate/fr/" in amina
    assert "https://pertutti.example/it/accounts/profile/" in amina
    claire = messages["claire@example.org"].body
    assert "French" in claire and "Arabic" not in claire
    assert "https://pertutti.example/en/translate/fr/" in claire
    new = len(sources) - 1
    assert f"{new} new texts, never translated" in claire
    assert "1 outdated text: its Italian has changed" in claire
    # The most read first, five at most.
    listed = [line for line in claire.splitlines() if line.startswith("- ")]
    assert len(listed) == 5
    assert listed[0] == "- Aiuto per il rinnovo del permesso. (service TST-001 · description)"
    assert messages["claire@example.org"].subject == f"{new + 1} texts to translate this week"


def test_the_default_site_address(one_service, lodi, settings):
    if hasattr(settings, "PERTUTTI_SITE_URL"):
        del settings.PERTUTTI_SITE_URL
    translator("amina", lodi)
    translation_digests_send(now=MONDAY)
    assert "http://127.0.0.1:8000/en/translate/ar/" in mail.outbox[0].body


def test_nothing_is_sent_when_nothing_waits(one_service, lodi):
    amina = translator("amina", lodi)
    for source in SourceText.objects.filter(territory=lodi).exclude(text=""):
        translation_save(source=source, language="ar", text="نص", status="draft")
    assert digest_section(lodi, "ar").to_do == 0
    result = translation_digests_send(now=MONDAY)
    assert (result.sent, result.nothing_to_do, mail.outbox) == (0, 1, [])
    assert Profile.objects.get(user=amina).translation_digest_sent_at is None
    # The next day the Italian changes: she hears at once, not a week later.
    one_service.description = "Un testo nuovo."
    one_service.save()
    source_texts_sync(territory=lodi, obj=one_service)
    assert translation_digests_send(now=MONDAY + timedelta(days=1)).sent == 1
    assert "1 outdated text" in mail.outbox[0].body


def test_a_carried_translation_is_not_listed(one_service, lodi):
    for source in SourceText.objects.filter(territory=lodi).exclude(text=""):
        translation_save(source=source, language="ar", text="نص", status=TranslationStatus.DRAFT)
    one_service.description = "Aiuto per il permesso di soggiorno!"
    one_service.save()
    source_texts_sync(territory=lodi, obj=one_service, carry_translations=True)
    assert digest_section(lodi, "ar").to_do == 0


def test_the_command(one_service, lodi):
    translator("amina", lodi)
    call_command("send_translation_digest", "--territory", "lodi")
    call_command("send_translation_digest")  # the same week: nothing more
    assert sent_to() == ["amina@example.org"]
    with pytest.raises(CommandError):
        call_command("send_translation_digest", "--territory", "nowhere")


# --- the opt-out on the profile page --------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.REVIEWER, Role.EDITOR, Role.OPERATOR, Role.TRANSLATOR]
)
def test_only_translators_see_the_checkbox(client, lodi, role):
    person = make_person("p", lodi, role, languages=["ar"])
    sign_in(client, person)
    page = client.get("/en/accounts/profile/").content.decode()
    shown = 'name="translation_digest"' in page
    assert shown is (role == Role.TRANSLATOR)
    if shown:
        assert "Weekly e-mail of texts to translate" in page
        assert re.search(r'<input type="checkbox" name="translation_digest"[^>]* checked>', page)


def test_a_translator_turns_the_digest_off_and_on(client, lodi):
    amina = translator("amina", lodi)
    sign_in(client, amina)
    form = {"first_name": "", "last_name": "", "language": "en"}
    assert client.post(PROFILE, form).status_code == 302  # unticked
    assert Profile.objects.get(user=amina).translation_digest is False
    page = client.get("/en/accounts/profile/").content.decode()
    assert re.search(r'<input type="checkbox" name="translation_digest"[^>]*"\s*>', page)
    client.post(PROFILE, {**form, "translation_digest": "on"})
    assert Profile.objects.get(user=amina).translation_digest is True


def test_others_cannot_change_it_by_posting_it(client, lodi):
    olga = make_person("olga", lodi, Role.OPERATOR)
    Profile.objects.update_or_create(user=olga, defaults={"translation_digest": False})
    sign_in(client, olga)
    form = {"first_name": "", "last_name": "", "language": "it", "translation_digest": "on"}
    assert client.post(PROFILE, form).status_code == 302
    assert Profile.objects.get(user=olga).translation_digest is False

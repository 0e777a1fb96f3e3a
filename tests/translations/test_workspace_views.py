"""Every workspace view once per role: anonymous, translator of another language,
translator of the language, staff."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pertutti.translations.exchange import export_language
from pertutti.translations.models import GlossaryTerm, Translation, TranslatorProfile
from pertutti.translations.services import translation_save
from tests.translations.conftest import source_of


@pytest.fixture
def users(django_user_model):
    def translator(name: str, languages: list[str]):
        user = django_user_model.objects.create_user(name, password="x-long-password-1")
        TranslatorProfile.objects.create(user=user, languages=languages)
        return user

    return {
        "ar": translator("amina", ["ar"]),
        "ar2": translator("omar", ["ar"]),
        "fr": translator("claire", ["fr"]),
        "staff": django_user_model.objects.create_user("staff", is_staff=True),
    }


def urls(source_pk: int) -> list[str]:
    return [
        "/it/translate/",
        "/it/translate/glossary/",
        "/it/translate/ar/",
        f"/it/translate/ar/{source_pk}/",
        "/it/translate/ar/xliff/export/",
        "/it/translate/ar/xliff/import/",
    ]


def test_anonymous_is_sent_to_sign_in(client, one_service):
    for url in urls(source_of(one_service, "name").pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/it/accounts/login/?next="), url


def test_a_translator_of_another_language_is_refused(client, one_service, users):
    client.force_login(users["fr"])
    for url in urls(source_of(one_service, "name").pk)[2:]:
        assert client.get(url).status_code == 403, url
    page = client.get("/it/translate/").content.decode()
    assert 'href="/it/translate/fr/"' in page and 'href="/it/translate/ar/"' not in page


@pytest.mark.parametrize("role", ["ar", "staff"])
def test_allowed_roles_see_every_view(client, one_service, users, role):
    client.force_login(users[role])
    for url in urls(source_of(one_service, "name").pk):
        assert client.get(url).status_code == 200, url


def test_sign_in_page_and_login(client, one_service, users):
    assert client.get("/it/accounts/login/").status_code == 200
    response = client.post(
        "/it/accounts/login/", {"username": "amina", "password": "x-long-password-1"}
    )
    assert response.status_code == 302 and response["Location"] == "/it/translate/"


def test_translate_save_and_go_on_with_the_next_text(client, lodi, one_service, users):
    client.force_login(users["ar"])
    source = source_of(one_service, "name")
    response = client.post(
        f"/it/translate/ar/{source.pk}/",
        {"text": "أمانة اجتماعية", "fingerprint": source.fingerprint, "action": "translated"},
    )
    assert response.status_code == 302
    assert re.match(r"/it/translate/ar/\d+/", response["Location"])
    assert response["Location"] != f"/it/translate/ar/{source.pk}/"
    translation = Translation.objects.get(source=source, language="ar")
    assert (translation.status, translation.translator) == ("translated", users["ar"])


def test_editor_shows_source_glossary_memory_and_diff(client, lodi, one_service, users, write_csv):
    GlossaryTerm.objects.update_or_create(
        territory=lodi,
        term="permesso di soggiorno",
        defaults={"translations": {"ar": "تصريح الإقامة"}},
    )
    source = source_of(one_service, "description")
    translation_save(source=source, language="ar", text="نص قديم", status="translated")
    from pertutti.importing.services import services_import_file
    from tests.conftest import service_row

    services_import_file(
        territory=lodi,
        path=write_csv([service_row(descrizione="Aiuto per il permesso di soggiorno e altro.")]),
    )
    client.force_login(users["ar"])
    page = client.get(f"/it/translate/ar/{source.pk}/").content.decode()
    assert '<mark title="تصريح الإقامة">permesso di soggiorno</mark>' in page
    assert "نص قديم" in page  # the previous translation
    assert "soggiorno<ins> e altro</ins>." in page  # what changed since the translation
    assert 'dir="rtl"' in page


def test_saving_against_a_changed_italian_shows_the_error(client, one_service, users):
    client.force_login(users["ar"])
    source = source_of(one_service, "name")
    response = client.post(
        f"/it/translate/ar/{source.pk}/",
        {"text": "x", "fingerprint": "0" * 64, "action": "translated"},
    )
    assert response.status_code == 400
    assert "changed while you were translating" in response.content.decode()
    assert not Translation.objects.exists()


def test_review_by_a_second_translator_only(client, one_service, users):
    source = source_of(one_service, "name")
    translation = translation_save(
        source=source, language="ar", text="أمانة", status="translated", user=users["ar"]
    )
    client.force_login(users["ar"])
    assert "Mark as reviewed" not in client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    assert client.post(f"/en/translate/ar/{source.pk}/", {"action": "review"}).status_code == 403
    client.force_login(users["ar2"])
    assert "Mark as reviewed" in client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    client.post(f"/en/translate/ar/{source.pk}/", {"action": "review"})
    translation.refresh_from_db()
    assert translation.status == "reviewed" and translation.reviewer == users["ar2"]


def test_xliff_download_and_upload_through_the_workspace(client, lodi, one_service, users):
    client.force_login(users["ar"])
    response = client.get("/it/translate/ar/xliff/export/?version=1.2")
    assert response["Content-Disposition"] == 'attachment; filename="lodi-ar-xliff1.2.xlf"'
    data = re.sub(
        rb"<source>(.*?)</source>",
        rb"<source>\1</source><target>\1 [ar]</target>",
        response.content,
    )
    upload = SimpleUploadedFile("ar.xlf", data, content_type="application/xliff+xml")
    page = client.post("/it/translate/ar/xliff/import/", {"file": upload}).content.decode()
    assert re.search(r"\d+ imported, 0 unchanged", page)
    assert Translation.objects.filter(language="ar", translator=users["ar"]).exists()


def test_bad_uploads_say_why_and_import_nothing(client, lodi, one_service, users):
    client.force_login(users["ar"])
    response = client.post(
        "/en/translate/ar/xliff/import/", {"file": SimpleUploadedFile("x.xlf", b"<xliff")}
    )
    assert response.status_code == 400
    assert "Nothing was imported: not a valid XML file" in response.content.decode()
    wrong = export_language(lodi, "ar").replace(b'trgLang="ar"', b'trgLang="fr"')
    response = client.post(
        "/en/translate/ar/xliff/import/", {"file": SimpleUploadedFile("x.xlf", wrong)}
    )
    assert "target language is &#x27;fr&#x27;" in response.content.decode()
    big = SimpleUploadedFile("big.xlf", b"x" * (50 * 1024 * 1024 + 1))
    response = client.post("/en/translate/ar/xliff/import/", {"file": big})
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not Translation.objects.exists()


def test_dashboard_shows_progress(client, one_service, users):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="x", status="translated"
    )
    client.force_login(users["staff"])
    page = client.get("/en/translate/").content.decode()
    assert 'href="/en/translate/ar/"' in page and "<progress" in page
    assert page.count("<tr>") >= 13  # header + 12 target languages for staff


def test_queue_lists_drafts_to_finish(client, one_service, users):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="مسودة", status="draft"
    )
    client.force_login(users["ar"])
    page = client.get("/en/translate/ar/").content.decode()
    assert "Drafts to finish" in page and "مسودة" in page

"""Every workspace view once per role: anonymous, administrator, reviewer, translator of the
language (ar), translator of another language (fr), organisation editor, front-desk operator,
another territory's administrator; then what each may do in the editor."""

import re

import pytest

from pertutti.taxonomy.models import Category
from pertutti.translations.models import GlossaryTerm, SourceText, Translation
from pertutti.translations.services import translation_save
from tests.staff import sign_in
from tests.translations.conftest import VERIFIED, source_of

ROLES = [
    "anonymous",
    "administrator",
    "reviewer",
    "translator_ar",
    "translator_fr",
    "editor",
    "operator",
    "other_administrator",
]
VIEWS = ["dashboard", "glossary", "queue", "editor", "xliff_export", "xliff_import"]
# What each role gets from each view of the Arabic workspace (302: sent to sign in).
EXPECTED = {
    "anonymous": dict.fromkeys(VIEWS, 302),
    "administrator": dict.fromkeys(VIEWS, 200),
    # Reviewers open every language to review, but never upload translations.
    "reviewer": {**dict.fromkeys(VIEWS, 200), "xliff_import": 403},
    "translator_ar": dict.fromkeys(VIEWS, 200),
    "translator_fr": {**dict.fromkeys(VIEWS, 403), "dashboard": 200, "glossary": 200},
    "editor": dict.fromkeys(VIEWS, 403),
    "operator": dict.fromkeys(VIEWS, 403),
    "other_administrator": dict.fromkeys(VIEWS, 403),
}


def url(view: str, source_pk: int) -> str:
    return {
        "dashboard": "/it/translate/",
        "glossary": "/it/translate/glossary/",
        "queue": "/it/translate/ar/",
        "editor": f"/it/translate/ar/{source_pk}/",
        "xliff_export": "/it/translate/ar/xliff/export/",
        "xliff_import": "/it/translate/ar/xliff/import/",
    }[view]


def signed_in(client, people, role: str):
    if role != "anonymous":
        sign_in(client, people[role], verified=role in VERIFIED)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_view_per_role(client, one_service, people, role):
    signed_in(client, people, role)
    source = source_of(one_service, "name")
    for view in VIEWS:
        response = client.get(url(view, source.pk))
        assert response.status_code == EXPECTED[role][view], (role, view)
        if response.status_code == 302:
            assert response["Location"].startswith("/it/accounts/login/?next="), view
        elif response.status_code == 200:
            assert "no-store" in response["Cache-Control"], view
            assert "private" in response["Cache-Control"], view


def test_a_translator_signs_in_without_a_second_factor(client, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    assert client.get("/it/translate/ar/").status_code == 200


def test_an_administrator_must_confirm_the_second_factor(client, one_service, people):
    sign_in(client, people["administrator"], verified=False)
    response = client.get("/it/translate/ar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/it/accounts/two-factor/")


def test_the_dashboard_lists_only_the_languages_one_translates(client, one_service, people):
    sign_in(client, people["translator_fr"], verified=False)
    page = client.get("/it/translate/").content.decode()
    assert 'href="/it/translate/fr/"' in page and 'href="/it/translate/ar/"' not in page
    glossary = client.get("/en/translate/glossary/").content.decode()
    assert "<dt>French</dt>" in glossary
    assert "<dt>Arabic</dt>" not in glossary


def test_an_administrator_translates_every_target_language(client, lodi, one_service, people):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="x", status="translated"
    )
    sign_in(client, people["administrator"])
    page = client.get("/en/translate/").content.decode()
    assert 'href="/en/translate/ar/"' in page and "<progress" in page
    targets = [code for code in lodi.offered_languages if code != lodi.source_language]
    assert page.count('<li class="card">') == len(targets)  # one card per language
    assert 'href="/en/translate/it/"' not in page  # Italian is the source, never a target
    assert client.get("/en/translate/it/").status_code == 403
    assert client.get("/en/translate/de/").status_code == 403  # not offered


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("administrator", 302, True),
        ("translator_ar", 302, True),
        ("reviewer", 403, False),
        ("translator_fr", 403, False),
        ("editor", 403, False),
        ("operator", 403, False),
        ("other_administrator", 403, False),
    ],
)
def test_who_may_save_an_arabic_translation(client, one_service, people, role, status, saved):
    source = source_of(one_service, "name")
    signed_in(client, people, role)
    response = client.post(
        f"/it/translate/ar/{source.pk}/",
        {"text": "أمانة اجتماعية", "fingerprint": source.fingerprint, "action": "translated"},
    )
    assert response.status_code == status
    assert Translation.objects.filter(source=source, language="ar").exists() is saved


def test_translate_save_and_go_on_with_the_next_text(client, lodi, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    source = source_of(one_service, "name")
    response = client.post(
        f"/it/translate/ar/{source.pk}/",
        {"text": "أمانة اجتماعية", "fingerprint": source.fingerprint, "action": "translated"},
    )
    assert response.status_code == 302
    assert re.match(r"/it/translate/ar/\d+/", response["Location"])
    assert response["Location"] != f"/it/translate/ar/{source.pk}/"
    translation = Translation.objects.get(source=source, language="ar")
    assert (translation.status, translation.translator) == ("translated", people["translator_ar"])


def test_editor_shows_source_glossary_memory_and_diff(client, lodi, one_service, people, write_csv):
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
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get(f"/it/translate/ar/{source.pk}/").content.decode()
    assert '<mark title="تصريح الإقامة">permesso di soggiorno</mark>' in page
    assert "نص قديم" in page  # the previous translation
    assert "soggiorno<ins> e altro</ins>." in page  # what changed since the translation
    assert 'dir="rtl"' in page


def test_saving_against_a_changed_italian_shows_the_error(client, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    source = source_of(one_service, "name")
    response = client.post(
        f"/en/translate/ar/{source.pk}/",
        {"text": "x", "fingerprint": "0" * 64, "action": "translated"},
    )
    assert response.status_code == 400
    assert "changed while you were translating" in response.content.decode()
    assert not Translation.objects.exists()


def test_an_over_long_translation_is_refused_in_the_editor(client, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    source = source_of(one_service, "name")
    response = client.post(
        f"/en/translate/ar/{source.pk}/",
        {"text": "ب" * 20_001, "fingerprint": source.fingerprint, "action": "translated"},
    )
    assert response.status_code == 400
    assert "The translation is too long" in response.content.decode()
    assert not Translation.objects.exists()


def review(client, source) -> int:
    return client.post(f"/en/translate/ar/{source.pk}/", {"action": "review"}).status_code


@pytest.mark.parametrize(
    ("role", "status", "reviewed"),
    [
        ("translator_ar", 403, False),  # its own translator
        ("translator_ar2", 302, True),  # another translator of the language
        ("administrator", 302, True),
        ("reviewer", 302, True),
        ("translator_fr", 403, False),
        ("editor", 403, False),
        ("operator", 403, False),
        ("other_administrator", 403, False),
    ],
)
def test_who_may_mark_a_translation_as_reviewed(
    client, one_service, people, role, status, reviewed
):
    source = source_of(one_service, "name")
    translation = translation_save(
        source=source,
        language="ar",
        text="أمانة",
        status="translated",
        user=people["translator_ar"],
    )
    signed_in(client, people, role)
    if status == 302:
        page = client.get(f"/en/translate/ar/{source.pk}/").content.decode()
        assert "Mark as reviewed" in page
    assert review(client, source) == status
    translation.refresh_from_db()
    assert (translation.status == "reviewed") is reviewed
    assert translation.reviewer == (people[role] if reviewed else None)


def test_a_reviewer_sees_no_save_buttons(client, one_service, people):
    source = source_of(one_service, "name")
    sign_in(client, people["reviewer"])
    page = client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    assert "Save as translated" not in page and 'name="text"' not in page
    assert "Upload a translated XLIFF file" not in client.get("/en/translate/ar/").content.decode()


def test_the_own_translator_sees_no_review_button(client, one_service, people):
    source = source_of(one_service, "name")
    translation_save(
        source=source,
        language="ar",
        text="أمانة",
        status="translated",
        user=people["translator_ar"],
    )
    sign_in(client, people["translator_ar"], verified=False)
    assert "Mark as reviewed" not in client.get(f"/en/translate/ar/{source.pk}/").content.decode()


def test_an_imported_draft_cannot_be_marked_as_reviewed(client, lodi, one_service, people):
    """The probe: any translator of the language could publish an imported draft as
    reviewed by posting action=review (only the button was hidden)."""
    source = source_of(one_service, "name")
    draft = translation_save(
        source=source,
        language="ar",
        text="مسودة",
        status="draft",
        translator_name="demo translation, not reviewed",
    )
    sign_in(client, people["translator_ar"], verified=False)
    assert "Mark as reviewed" not in client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    response = client.post(f"/en/translate/ar/{source.pk}/", {"action": "review"})
    assert response.status_code == 400
    assert "Only a translation saved as translated can be reviewed." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.reviewer, draft.reviewed_at) == ("draft", None, None)


def test_queue_lists_drafts_to_finish(client, one_service, people):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="مسودة", status="draft"
    )
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get("/en/translate/ar/").content.decode()
    assert "Drafts to finish" in page and "مسودة" in page


def test_a_post_without_csrf_token_changes_nothing(one_service, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, people["translator_ar"], verified=False)
    source = source_of(one_service, "name")
    response = client.post(
        f"/it/translate/ar/{source.pk}/",
        {"text": "أمانة", "fingerprint": source.fingerprint, "action": "translated"},
    )
    assert response.status_code == 403
    assert not Translation.objects.exists()


def test_a_forged_source_id_is_not_found(client, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    assert client.get("/it/translate/ar/999999/").status_code == 404
    response = client.post("/it/translate/ar/999999/", {"text": "x", "action": "translated"})
    assert response.status_code == 404
    assert not Translation.objects.exists()


def test_the_dashboard_counts_drafts_apart_and_the_figures_add_up(client, lodi, people):
    for source in SourceText.objects.filter(territory=lodi).exclude(text="")[:3]:
        translation_save(source=source, language="ar", text="مسودة", status="draft")
    sign_in(client, people["administrator"])
    response = client.get("/en/translate/")
    rows = dict(response.context["rows"])
    arabic = rows["Arabic"]
    assert (arabic.drafts, arabic.up_to_date, arabic.missing) == (3, 0, arabic.total - 3)
    counts = (arabic.reviewed, arabic.awaiting_review, arabic.drafts, arabic.missing,
              arabic.outdated)  # fmt: skip
    assert sum(counts) == arabic.total
    assert sum(arabic.shares.values()) == 100
    page = response.content.decode()
    assert "<dt>Drafts</dt>" in page and "<dt>Reviewed</dt>" in page
    assert f'<bdi dir="ltr">3 ({arabic.shares["drafts"]}%)</bdi>' in page
    # Every language by its name in the reader's language, never by its code.
    assert "Simplified Chinese" in page and ">zh-hans<" not in page
    assert ">cinese semplificato<" in client.get("/it/translate/").content.decode()


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ((0, 0, 515, 0, 0), (0, 0, 100, 0, 0)),
        ((1, 1, 1, 0, 0), (34, 33, 33, 0, 0)),
        ((1, 0, 0, 2, 0), (33, 0, 0, 67, 0)),
        ((0, 0, 0, 0, 0), (0, 0, 0, 0, 0)),
    ],
)
def test_the_shares_of_the_five_states_add_up_to_100(counts, shares):
    from pertutti.translations.selectors import LanguageProgress

    reviewed, to_review, drafts, missing, outdated = counts
    progress = LanguageProgress(
        language="ar", total=sum(counts), up_to_date=reviewed + to_review, outdated=outdated,
        missing=missing, drafts=drafts, awaiting_review=to_review, reviewed=reviewed,
    )  # fmt: skip
    assert tuple(progress.shares.values()) == shares


def save_all(lodi, status: str) -> None:
    for source in SourceText.objects.filter(territory=lodi).exclude(text=""):
        translation_save(source=source, language="ar", text="نص", status=status)


def test_the_queue_never_says_up_to_date_over_unfinished_drafts(client, lodi, one_service, people):
    save_all(lodi, "draft")
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get("/en/translate/ar/").content.decode()
    assert "Nothing to translate: everything is up to date." not in page
    assert "Nothing is missing or outdated, but the drafts below are not finished." in page
    assert "<dt>Drafts</dt>" in page


def test_the_queue_says_up_to_date_when_everything_is_translated(client, lodi, one_service, people):
    save_all(lodi, "translated")
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get("/en/translate/ar/").content.decode()
    assert "Nothing to translate: everything is up to date." in page
    assert "not finished" not in page


def test_the_queue_of_a_territory_with_no_text(client, lodi, people):
    SourceText.objects.filter(territory=lodi).delete()
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get("/en/translate/ar/").content.decode()
    assert "There is no text to translate yet." in page
    assert "Nothing to translate" not in page and "<progress" not in page


def test_the_queue_says_how_many_it_shows_of_how_many(client, lodi, one_service, people):
    from pertutti.translations import views

    sign_in(client, people["translator_ar"], verified=False)
    views.QUEUE_LENGTH, before = 2, views.QUEUE_LENGTH
    try:
        page = client.get("/en/translate/ar/").content.decode()
    finally:
        views.QUEUE_LENGTH = before
    total = SourceText.objects.filter(territory=lodi).exclude(text="").count()
    assert f"The 2 most read of {total} texts to translate." in page


def test_the_editor_speaks_the_interface_language(client, lodi, one_service, people):
    source = source_of(one_service, "name")
    translation_save(
        source=source, language="ar", text="مسودة", status="draft",
        translator_name="demo translation, not reviewed",
    )  # fmt: skip
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get(f"/it/translate/ar/{source.pk}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert "Servizio" in heading and "Nome" in heading and 'dir="ltr"' in heading
    assert "service" not in heading and "name" not in heading
    assert "draft ·" not in page  # the status is a translated word, not the stored value
    assert "<bdi>demo translation, not reviewed</bdi>" in page  # a name, shown as given
    english = client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    assert "Draft · <bdi>demo translation, not reviewed</bdi>" in english
    category = source_of(Category.objects.get(code="health"), "description")
    page = client.get(f"/it/translate/ar/{category.pk}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert "Categoria" in heading and "Descrizione" in heading


def test_the_editor_names_who_saved_a_translation_in_the_workspace(client, one_service, people):
    people["translator_ar2"].first_name, people["translator_ar2"].last_name = "Omar", "Haddad"
    people["translator_ar2"].save()
    source = source_of(one_service, "name")
    translation_save(source=source, language="ar", text="أمانة", status="translated",
                     user=people["translator_ar2"])  # fmt: skip
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get(f"/en/translate/ar/{source.pk}/").content.decode()
    assert "Translated, waiting for review · <bdi>Omar Haddad</bdi>" in page


def test_the_queue_names_kinds_and_fields_in_the_interface_language(client, one_service, people):
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get("/it/translate/ar/").content.decode()
    assert 'Servizio <bdi dir="ltr" class="code">TST-001</bdi> · Nome' in page
    assert 'Categoria <bdi dir="ltr" class="code">health</bdi> · Nome' in page


@pytest.mark.parametrize("path", ["", "glossary/", "ar/"])
def test_the_workspace_shows_neither_emergency_numbers_nor_the_sample_data_note(
    client, lodi, people, path
):
    from pertutti.importing.services import services_import_file
    from tests.conftest import DEMO_CSV

    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    public = client.get("/it/").content.decode()
    assert 'class="sos"' in public and 'class="sample"' in public  # the public sees both
    sign_in(client, people["translator_ar"], verified=False)
    page = client.get(f"/it/translate/{path}").content.decode()
    assert 'class="sos"' not in page and 'class="sample"' not in page


def test_service_codes_and_fields_stay_left_to_right_in_the_arabic_workspace(
    client, one_service, people
):
    """An Arabic interface must not turn "LPT-013" into "013-LPT"."""
    sign_in(client, people["translator_ar"], verified=False)
    queue = client.get("/ar/translate/ar/").content.decode()
    assert f'<bdi dir="ltr" class="code">{one_service.code}</bdi>' in queue
    source = source_of(one_service, "name")
    editor = client.get(f"/ar/translate/ar/{source.pk}/").content.decode()
    assert f'<bdi dir="ltr" class="code">{one_service.code}</bdi>' in editor

"""The service functions' own rules, whatever page or file calls them: only a translated,
up-to-date text is reviewed, by a second person; a target's length is bounded by its source."""

import pytest

from pertutti.accounts.models import Role
from pertutti.importing.services import services_import_file
from pertutti.translations import permissions
from pertutti.translations.models import Translation
from pertutti.translations.services import (
    TARGET_LENGTH_CEILING,
    TranslationError,
    TranslationTooLong,
    target_length_limit,
    translation_review,
    translation_save,
)
from tests.conftest import service_row
from tests.staff import make_person
from tests.translations.conftest import source_of

# The services' messages are read as their English msgids.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def saved(one_service, people):
    """An Arabic translation by the first Arabic translator, marked as translated."""
    return translation_save(
        source=source_of(one_service, "name"),
        language="ar",
        text="أمانة",
        status="translated",
        user=people["translator_ar"],
    )


@pytest.mark.parametrize("status", ["draft", "reviewed"])
def test_only_a_translated_text_is_reviewed(saved, people, status):
    Translation.objects.filter(pk=saved.pk).update(status=status)
    with pytest.raises(TranslationError, match="Only a translation saved as translated"):
        translation_review(translation=saved, user=people["translator_ar2"])
    saved.refresh_from_db()
    assert saved.status == status and saved.reviewer is None


def test_an_outdated_translation_is_not_reviewed(lodi, saved, people, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(servizio="Altro nome")]))
    with pytest.raises(TranslationError, match="outdated"):
        translation_review(translation=saved, user=people["administrator"])
    saved.refresh_from_db()
    assert saved.status == "translated"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("translator_ar", False),  # its own translator, never
        ("translator_ar2", True),
        ("administrator", True),
        ("reviewer", True),
        ("translator_fr", False),
        ("editor", False),
        ("operator", False),
        ("other_administrator", False),
    ],
)
def test_who_may_review_in_the_service(saved, people, role, allowed):
    user = people[role]
    assert permissions.can_review(user, saved) is allowed
    if allowed:
        translation_review(translation=saved, user=user)
        saved.refresh_from_db()
        assert (saved.status, saved.reviewer) == ("reviewed", user)
    else:
        with pytest.raises(TranslationError, match="You may not review this translation"):
            translation_review(translation=saved, user=user)
        saved.refresh_from_db()
        assert (saved.status, saved.reviewer) == ("translated", None)


def test_an_administrator_does_not_review_their_own_translation(one_service, people):
    """`is_staff` no longer counts, and an administrator is no exception to "a second person"."""
    own = translation_save(
        source=source_of(one_service, "name"),
        language="ar",
        text="أمانة",
        status="translated",
        user=people["administrator"],
    )
    with pytest.raises(TranslationError):
        translation_review(translation=own, user=people["administrator"])


def test_is_staff_grants_nothing(lodi, one_service, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert permissions.translatable_languages(staff, lodi) == []
    assert not permissions.can_translate(staff, lodi, "ar")


def test_a_translator_translates_only_their_languages_where_offered(lodi):
    person = make_person("multi", lodi, Role.TRANSLATOR, languages=["ar", "fr", "de", "it"])
    assert permissions.translatable_languages(person, lodi) == [
        code for code in lodi.offered_languages if code in ("ar", "fr")
    ]


@pytest.mark.parametrize(
    ("source_length", "limit"),
    [(0, 200), (4, 216), (423, 1892), (4_950, 20_000), (100_000, TARGET_LENGTH_CEILING)],
)
def test_the_target_length_limit(source_length, limit):
    assert target_length_limit("a" * source_length) == limit


def test_an_over_long_target_is_refused_and_nothing_saved(one_service):
    source = source_of(one_service, "name")
    limit = target_length_limit(source.text)
    with pytest.raises(TranslationTooLong, match=f"at most {limit}"):
        translation_save(source=source, language="ar", text="ب" * (limit + 1), status="draft")
    assert not Translation.objects.exists()
    # Surrounding spaces do not count; exactly the limit is accepted.
    translation_save(source=source, language="ar", text=f"  {'ب' * limit}\n", status="draft")
    assert len(Translation.objects.get().text) == limit

"""The category names ship translated into every language of the software, like the
interface catalogue, and the pages use them where no translator's translation exists."""

import json

import pytest
from django.conf import settings

from pertutti.taxonomy.models import Category
from pertutti.taxonomy.services import CATEGORIES_FILE, categories_sync
from pertutti.translations.models import Translation, TranslationStatus
from pertutti.translations.selectors import Localizer
from pertutti.translations.services import translation_save
from tests.translations.conftest import source_of

SOURCE = settings.LANGUAGE_CODE
TARGETS = [code for code, _name in settings.LANGUAGES if code != SOURCE]


def test_the_file_names_and_describes_every_category_in_every_language():
    """Fails the day a language joins settings.LANGUAGES without its category names."""
    missing = [
        (item["code"], field, language)
        for item in json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
        for field in ("names", "descriptions")
        for language in TARGETS
        if not item.get(field, {}).get(language, "").strip()
    ]
    assert missing == []


def test_the_file_holds_no_language_the_software_does_not_know():
    known = {code for code, _name in settings.LANGUAGES}
    for item in json.loads(CATEGORIES_FILE.read_text(encoding="utf-8")):
        assert set(item["names"]) <= known and set(item["descriptions"]) <= known


def test_every_category_has_a_name_in_all_languages_after_migrating(db):
    categories = list(Category.objects.all())
    assert len(categories) == 11
    for category in categories:
        assert category.name.strip()  # the source language
        for language in TARGETS:
            assert category.bundled_text("name", language).strip(), (category.code, language)
            assert category.bundled_text("description", language).strip()
    health = Category.objects.get(code="health")
    assert health.bundled_text("name", "ur") == "صحت"
    assert health.bundled_text("name", "zh-hans") == "医疗健康"
    assert health.bundled_text("name", "pa") == "ਸਿਹਤ"
    assert health.bundled_text("name", "xx") == ""
    assert health.bundled_text("icon", "ur") == ""  # only names and descriptions ship


def test_sync_restores_the_shipped_names(db):
    Category.objects.filter(code="health").update(names={}, descriptions={})
    categories_sync()
    assert Category.objects.get(code="health").names["bn"] == "স্বাস্থ্য"


def localized(category: Category, language: str, *, publish_drafts: bool = True):
    localizer = Localizer(
        language=language,
        source_language="it",
        objects=[category],
        publish_drafts=publish_drafts,
    )
    return localizer.get(category, "name"), localizer.fell_back


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (None, "صحت"),  # no translator's row: the shipped name
        (TranslationStatus.DRAFT, "صحت"),  # a draft does not replace the shipped name
        (TranslationStatus.TRANSLATED, "صحت و علاج"),  # a translator's own wording wins
        (TranslationStatus.REVIEWED, "صحت و علاج"),
    ],
)
def test_a_finished_translation_wins_over_the_shipped_name(lodi, status, shown):
    health = Category.objects.get(code="health")
    if status is not None:
        saved = translation_save(
            source=source_of(health, "name"), language="ur", text="صحت و علاج", status="draft"
        )
        Translation.objects.filter(pk=saved.pk).update(status=status)
    text, fell_back = localized(health, "ur")
    assert (text.text, text.lang, text.fallback, fell_back) == (shown, "ur", False, False)


def test_an_outdated_translation_gives_way_to_the_shipped_name(lodi):
    health = Category.objects.get(code="health")
    translation_save(
        source=source_of(health, "name"), language="ur", text="پرانا", status="translated"
    )
    health.name = "Salute e cure"  # the Italian changed after the translation
    text, fell_back = localized(health, "ur")
    assert (text.text, fell_back) == ("صحت", False)


def test_without_a_shipped_name_the_source_is_shown_and_flagged(db):
    health = Category.objects.get(code="health")
    health.names = {}
    text, fell_back = localized(health, "ur")
    assert (text.text, text.lang, text.fallback, fell_back) == ("Salute", "it", True, True)


def test_the_source_language_shows_the_italian(db):
    text, fell_back = localized(Category.objects.get(code="health"), "it")
    assert (text.text, text.lang, fell_back) == ("Salute", "it", False)

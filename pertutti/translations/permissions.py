"""Who may translate or review which language: staff all, a translator only their own."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from pertutti.territories.models import Territory
from pertutti.translations.models import Translation, TranslatorProfile

User = AbstractBaseUser | AnonymousUser


def target_languages(territory: Territory) -> list[str]:
    return [code for code in territory.offered_languages if code != territory.source_language]


def translatable_languages(user: User, territory: Territory) -> list[str]:
    if not user.is_authenticated:
        return []
    targets = target_languages(territory)
    if user.is_staff:
        return targets
    profile = TranslatorProfile.objects.filter(user=user).first()
    allowed = set(profile.languages) if profile else set()
    return [code for code in targets if code in allowed]


def can_translate(user: User, territory: Territory, language: str) -> bool:
    return language in translatable_languages(user, territory)


def can_review(user: User, translation: Translation) -> bool:
    """A second person: another translator of the language, or staff."""
    if not can_translate(user, translation.source.territory, translation.language):
        return False
    return bool(user.is_staff) or translation.translator_id != user.pk

"""Which languages a person may translate or review: thin wrappers over the rules.

Who may do what is decided in `accounts/rules.py` only ("translations.translate" on a
`LanguageTarget`, "translations.review" on a Translation); this module asks those rules
for the lists the workspace shows.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from pertutti.accounts.rules import LanguageTarget
from pertutti.territories.models import Territory
from pertutti.translations.models import Translation

User = AbstractBaseUser | AnonymousUser


def target_languages(territory: Territory) -> list[str]:
    """The languages the territory translates into, in its menu order."""
    return [code for code in territory.offered_languages if code != territory.source_language]


def can_translate(user: User, territory: Territory, language: str) -> bool:
    return user.has_perm("translations.translate", LanguageTarget(territory, language))


def translatable_languages(user: User, territory: Territory) -> list[str]:
    return [code for code in target_languages(territory) if can_translate(user, territory, code)]


def can_view(user: User, territory: Territory, language: str) -> bool:
    """Translators of the language, administrators and reviewers open its queue and editor."""
    return user.has_perm("translations.view_language", LanguageTarget(territory, language))


def viewable_languages(user: User, territory: Territory) -> list[str]:
    return [code for code in target_languages(territory) if can_view(user, territory, code)]


def can_review(user: User, translation: Translation) -> bool:
    return user.has_perm("translations.review", translation)

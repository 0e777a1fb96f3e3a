"""A person's own choices (name, language of the interface and of e-mails): reads and writes."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from pertutti.accounts.models import Profile, Role, RoleAssignment


def known_language(code: str | None) -> str:
    """`code` if the software speaks it, else the default language (Italian)."""
    known = {language for language, _ in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def profile_of(user: AbstractUser) -> Profile:
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"language": settings.LANGUAGE_CODE}
    )
    return profile


def is_translator(user: AbstractUser) -> bool:
    """Holds the translator role in some territory: gets (and may refuse) the weekly digest."""
    return RoleAssignment.objects.filter(user=user, role=Role.TRANSLATOR).exists()


def chosen_language(user: AbstractUser) -> str | None:
    """The language the person chose, or None if they never did (no profile yet)."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return known_language(language) if language else None


def email_language(user: AbstractUser) -> str:
    """E-mails go out in the recipient's language, whatever page sent them."""
    return chosen_language(user) or settings.LANGUAGE_CODE


@transaction.atomic
def profile_update(
    *,
    user: AbstractUser,
    first_name: str,
    last_name: str,
    language: str,
    translation_digest: bool | None = None,
) -> Profile:
    """Names are stored as typed (shown escaped); an unknown language is refused by the form
    and, should anything else call this, replaced by the default. `translation_digest` is
    left as it is when None (the form shows it to translators only)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_of(user)
    profile.language = known_language(language)
    fields = ["language"]
    if translation_digest is not None:
        profile.translation_digest = translation_digest
        fields.append("translation_digest")
    profile.save(update_fields=fields)
    return profile

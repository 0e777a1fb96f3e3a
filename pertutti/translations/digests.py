"""The translators' weekly e-mail: new and outdated texts in their languages.

Reads (who gets a digest, what it lists) and the one write (sending it and recording when),
like `accounts/profiles.py`. Run by `manage.py send_translation_digest` from cron.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pertutti.accounts.models import Profile, Role, RoleAssignment
from pertutti.accounts.profiles import email_language, profile_of
from pertutti.territories.languages import language_name
from pertutti.territories.models import Territory
from pertutti.translations.exchange import sources_to_translate
from pertutti.translations.selectors import language_progress
from pertutti.translations.units import unit_keys

logger = logging.getLogger(__name__)

DIGEST_EVERY = timedelta(days=7)
# Cron starts the command at about the same time each week; without a margin a run a few
# seconds earlier than last week's would skip a whole week.
CRON_MARGIN = timedelta(hours=1)
MOST_READ = 5
EXCERPT_LENGTH = 90
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class DigestItem:
    excerpt: str  # the Italian, on one line
    label: str  # e.g. "service LPT-001 · description"


@dataclass(frozen=True)
class DigestSection:
    territory: Territory
    language: str
    new: int  # never translated
    outdated: int  # translated from an Italian text that has changed since
    most_read: list[DigestItem] = field(default_factory=list)

    @property
    def to_do(self) -> int:
        return self.new + self.outdated


@dataclass
class DigestResult:
    sent: int = 0
    nothing_to_do: int = 0
    not_due: int = 0  # opted out, or had one less than a week ago
    failed: int = 0


def site_url() -> str:
    return getattr(settings, "PERTUTTI_SITE_URL", "") or DEFAULT_SITE_URL


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_LENGTH else line[: EXCERPT_LENGTH - 1] + "…"


def digest_section(territory: Territory, language: str) -> DigestSection:
    progress = language_progress(territory, language)
    sources = list(sources_to_translate(territory, language)[:MOST_READ])
    keys = unit_keys(sources)
    items = []
    for source in sources:
        key = keys.get(source.pk)
        label = f"{key.kind} {key.key} · {source.field}" if key else source.field
        items.append(DigestItem(excerpt=_excerpt(source.text), label=label))
    return DigestSection(
        territory=territory,
        language=language,
        new=progress.missing,
        outdated=progress.outdated,
        most_read=items,
    )


def digest_assignments(territory: Territory | None = None) -> dict[int, list[RoleAssignment]]:
    """Translator roles of active people with languages to translate, by person."""
    assignments = (
        RoleAssignment.objects.filter(role=Role.TRANSLATOR, user__is_active=True)
        .exclude(languages=[])
        .select_related("user", "territory")
        .order_by("user_id", "territory_id")
    )
    if territory is not None:
        assignments = assignments.filter(territory=territory)
    by_user: dict[int, list[RoleAssignment]] = {}
    for assignment in assignments:
        by_user.setdefault(assignment.user_id, []).append(assignment)
    return by_user


def digest_sections(assignments: list[RoleAssignment]) -> list[DigestSection]:
    """One section per language the person translates, in the territory's menu order; only
    languages the territory still offers as targets."""
    sections = []
    for assignment in assignments:
        territory = assignment.territory
        for language in territory.offered_languages:
            if language in assignment.languages and language != territory.source_language:
                sections.append(digest_section(territory, language))
    return sections


def _is_due(profile: Profile, now: datetime) -> bool:
    if not profile.translation_digest:
        return False
    sent_at = profile.translation_digest_sent_at
    return sent_at is None or sent_at <= now - DIGEST_EVERY + CRON_MARGIN


def _digest_email(user: AbstractUser, sections: list[DigestSection]) -> tuple[str, str]:
    """Subject and body in the recipient's language, with absolute links to the queues."""
    language = email_language(user)
    with translation.override(language):
        several = len({s.territory.pk for s in sections}) > 1
        context = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "total": sum(s.to_do for s in sections),
            "sections": [
                {
                    "section": s,
                    "language_name": language_name(s.language, language),
                    "territory_name": s.territory.name if several else "",
                    "link": site_url().rstrip("/")
                    + reverse("translations:queue", kwargs={"language": s.language}),
                }
                for s in sections
                if s.to_do
            ],
            "profile_link": site_url().rstrip("/") + reverse("accounts:profile"),
        }
        subject = render_to_string("translations/email/digest_subject.txt", context)
        body = render_to_string("translations/email/digest_body.txt", context)
    return " ".join(subject.split()), body  # a subject is one line


def translation_digests_send(
    *, territory: Territory | None = None, now: datetime | None = None
) -> DigestResult:
    """E-mail each translator who wants it, at most once a week, what waits in their
    languages; nobody is written to when nothing waits (and then nothing is recorded, so
    the next run tells them as soon as there is)."""
    now = now or timezone.now()
    result = DigestResult()
    for user_id, assignments in digest_assignments(territory).items():
        user = assignments[0].user
        if not user.email or not _is_due(profile_of(user), now):
            result.not_due += 1
            continue
        sections = digest_sections(assignments)
        if not any(s.to_do for s in sections):
            result.nothing_to_do += 1
            continue
        with transaction.atomic():
            # Locked and checked again: two runs at once send one e-mail.
            profile = Profile.objects.select_for_update().get(user_id=user_id)
            if not _is_due(profile, now):
                result.not_due += 1
                continue
            subject, body = _digest_email(user, sections)
            try:
                send_mail(subject, body, None, [user.email])
            except (OSError, smtplib.SMTPException):
                logger.exception("translation digest to user %s not sent", user_id)
                result.failed += 1
                continue
            profile.translation_digest_sent_at = now
            profile.save(update_fields=["translation_digest_sent_at"])
            result.sent += 1
    return result

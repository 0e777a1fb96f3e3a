"""E-mails of the review loop: a change waiting goes to the territory's reviewers and
administrators; its outcome (approved, sent back, published) goes to its author.

Registered as a `revision_listeners` callback (`EditorialConfig.ready`), so it runs after the
commit: a mail server that fails cannot undo an approval. Failures are logged, never raised.
Each e-mail is rendered in its recipient's language, as plain text (nothing a person typed
can become markup in it).
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pertutti.accounts.models import Role
from pertutti.accounts.profiles import email_language
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.diff import snapshot_diff
from pertutti.editorial.models import ServiceRevision

logger = logging.getLogger(__name__)

EVENTS = ("submitted", "approved", "returned", "published")


def revision_recipients(revision: ServiceRevision, event: str) -> list[AbstractBaseUser]:
    """Who is told: active people with an e-mail address (the author is not told of their own
    submission, should they also be a reviewer)."""
    if event == "submitted":
        people = (
            get_user_model()
            .objects.filter(
                role_assignments__territory=revision.territory,
                role_assignments__role__in=[Role.REVIEWER, Role.ADMINISTRATOR],
                is_active=True,
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        return [person for person in people if person.pk != revision.author_id]
    author = revision.author
    if event in EVENTS and author is not None and author.is_active and author.email:
        return [author]
    return []


def _context(revision: ServiceRevision, event: str) -> dict[str, Any]:
    """Rendered per recipient, inside their language (labels, dates and the link)."""
    service = revision.service
    name = (revision.data.get("service") or {}).get("name", "")
    link = settings.PERTUTTI_SITE_URL.rstrip("/") + reverse(
        "manage:review", kwargs={"pk": revision.pk}
    )
    context: dict[str, Any] = {
        "revision": revision,
        "territory": revision.territory,
        "service_name": name,
        "service_code": service.code if service is not None else "",
        "organization": revision.organization.name,
        "author": _person_name(revision.author),
        "reviewer": _person_name(revision.reviewer),
        "link": link,
    }
    if event == "submitted":
        # Named, not shown: the e-mail says what to look at, the page shows the change.
        old = service_snapshot(service) if service is not None else None
        context["changed"] = [change.label for change in snapshot_diff(old, revision.data)]
    return context


def _person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def revision_email(revision: ServiceRevision, event: str, recipient: AbstractBaseUser) -> None:
    with translation.override(email_language(recipient)):  # type: ignore[arg-type]
        context = _context(revision, event)
        subject = render_to_string(f"editorial/email/{event}_subject.txt", context)
        body = render_to_string(f"editorial/email/{event}_body.txt", context)
    # A subject is one line, whatever the template's whitespace (or the service's name).
    send_mail(" ".join(subject.split()), body, None, [recipient.email])  # type: ignore[attr-defined]


def revision_notify(revision: ServiceRevision, event: str) -> None:
    """The listener: one e-mail per recipient; a failure is logged and the others still go."""
    if event not in EVENTS:
        return
    try:
        recipients = revision_recipients(revision, event)
    except Exception:
        logger.exception("revision %s: recipients of %r not found", revision.pk, event)
        return
    for recipient in recipients:
        try:
            revision_email(revision, event, recipient)
        except Exception:
            # After the commit there is nobody to tell but the log: the change stands.
            logger.exception(
                "revision %s: %r e-mail to user %s failed", revision.pk, event, recipient.pk
            )


def register() -> None:
    """Called once from EditorialConfig.ready(); idempotent (tests may call it again)."""
    from pertutti.editorial.services import revision_listeners

    if revision_notify not in revision_listeners:
        revision_listeners.append(revision_notify)

"""`manage.py create_administrator EMAIL`: the first administrator of a territory.

Nobody can invite anybody before there is an administrator, so the deployment's technical
owner creates the first one from the shell. No password is chosen or printed here: the
command prints a one-time link (Django's password-reset token: single use, valid for
PASSWORD_RESET_TIMEOUT) where the person chooses their own, as an invitation would.
Run again for the same address to give the role back or to get a new link (a lost
password, a deactivated last administrator).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction, Profile, Role, RoleAssignment
from pertutti.territories.models import Territory

ACTOR = "manage.py create_administrator"


@dataclass(frozen=True)
class Created:
    user: AbstractUser
    created: bool
    reactivated: bool
    link_path: str


@transaction.atomic
def administrator_create(*, territory: Territory, email: str, language: str) -> Created:
    """The account of `email` (made if missing, without a usable password), active, with
    the administrator role in `territory`, and the path of its one-time password link."""
    users = get_user_model().objects.select_for_update()
    user = users.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()
    created = user is None
    reactivated = False
    if created:
        # The user name is the address, as for people who accept an invitation.
        user = get_user_model()(username=email, email=email)
        user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, language=language)
    elif not user.is_active:
        user.is_active = reactivated = True
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.REACTIVATED,
            actor_name=ACTOR,
            territory=territory,
            target=user.get_username(),
        )
    _, granted = RoleAssignment.objects.get_or_create(
        user=user, territory=territory, role=Role.ADMINISTRATOR
    )
    if granted:
        audit_record(
            action=AuditAction.ROLES_CHANGED,
            actor_name=ACTOR,
            territory=territory,
            target=user.get_username(),
            detail={"added": [Role.ADMINISTRATOR.value]},
        )
    # The token changes with the password hash and the last sign-in, so the link works once.
    with translation.override(language):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return Created(user=user, created=created, reactivated=reactivated, link_path=path)


def default_site() -> str:
    """Where the deployment answers: the first fixed host name it accepts."""
    if settings.DEBUG:
        return "http://127.0.0.1:8000"
    for host in settings.ALLOWED_HOSTS:
        if host != "*" and not host.startswith("."):
            return f"https://{host}"
    return ""


class Command(BaseCommand):
    help = (
        "Create the first administrator of a territory (or give the role back) and print a "
        "one-time link where they choose their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--territory", default=settings.PERTUTTI_TERRITORY)
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="Language of the account's pages (default: %(default)s).",
        )
        parser.add_argument(
            "--site",
            default="",
            help="The site's address for the link, e.g. https://servizi.example.org "
            "(default: the first of DJANGO_ALLOWED_HOSTS).",
        )

    def handle(self, *args: object, **options: str) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{options['email']!r} is not an e-mail address") from None
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(
                f"territory {options['territory']!r} is not loaded (manage.py load_territory)"
            )
        language = options["language"]
        if language not in dict(settings.LANGUAGES):
            raise CommandError(f"{language!r} is not a language of the software")
        done = administrator_create(territory=territory, email=email, language=language)
        if done.created:
            self.stdout.write(f"Created {email}, administrator of {territory.name}.")
        else:
            state = " (reactivated)" if done.reactivated else ""
            self.stdout.write(f"{email} is administrator of {territory.name}{state}.")
        site = (options["site"] or default_site()).rstrip("/")
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.stdout.write(
            f"Send this link to them; it works once, for {hours} hours, to choose a password:"
        )
        self.stdout.write(f"{site}{done.link_path}")
        if not site:
            self.stdout.write("(put the site's address before it, or pass --site)")

"""Reads of people: who holds a role in a territory, with what, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Prefetch, Q, QuerySet

from pertutti.accounts.invitations import InvitationRefused, invitation_from_token
from pertutti.accounts.models import Invitation, OrganizationMembership, Role, RoleAssignment
from pertutti.directory.models import Organization
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory

ROLE_ORDER = {role: n for n, role in enumerate(Role.values)}


def target_languages(territory: Territory) -> list[str]:
    """The languages a translator may be given: those offered, minus the source, in menu order."""
    return [code for code in territory.offered_languages if code != territory.source_language]


def interface_languages(territory: Territory) -> list[str]:
    """Languages an account's pages and e-mails can be in: offered and known to the software."""
    known = {code for code, _ in settings.LANGUAGES}
    return [code for code in territory.offered_languages if code in known]


def territory_organizations(territory: Territory) -> QuerySet[Organization]:
    return Organization.objects.filter(territory=territory).order_by("name")


@dataclass(frozen=True)
class Person:
    """A person with a role in the territory: what the people page shows of them."""

    user: AbstractUser
    roles: list[str]
    languages: list[str]
    organizations: list[Organization] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def last_login(self) -> datetime | None:
        return self.user.last_login

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    @property
    def language_names(self) -> list[str]:
        """In the reader's language."""
        return [name for _code, name in language_choices(self.languages)]

    @property
    def organization_ids(self) -> list[int]:
        return [o.pk for o in self.organizations]


@dataclass(frozen=True)
class People:
    people: list[Person]
    invitations: list[Invitation]  # open ones, newest first


def _people_queryset(territory: Territory) -> QuerySet[AbstractUser]:
    holders = RoleAssignment.objects.filter(territory=territory).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=holders)
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(territory=territory),
                to_attr="territory_roles",
            ),
            Prefetch(
                "organization_memberships",
                queryset=OrganizationMembership.objects.filter(
                    organization__territory=territory
                ).select_related("organization"),
                to_attr="territory_memberships",
            ),
        )
    )


def _person(user: AbstractUser) -> Person:
    assignments = sorted(user.territory_roles, key=lambda a: ROLE_ORDER.get(a.role, 99))  # type: ignore[attr-defined]
    languages = sorted({code for a in assignments for code in a.languages or []})
    organizations = sorted(
        (m.organization for m in user.territory_memberships),  # type: ignore[attr-defined]
        key=lambda o: o.name,
    )
    return Person(
        user=user,
        roles=[a.role for a in assignments],
        languages=languages,
        organizations=organizations,
    )


def open_invitations(territory: Territory) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(territory=territory, accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .prefetch_related("organizations")
        .order_by("-sent_at", "-pk")
    )


def people_of(territory: Territory) -> People:
    """Everyone holding a role in the territory (active first, then by name), and the open
    invitations. Five queries however many people there are."""
    users = _people_queryset(territory).order_by("-is_active", "first_name", "username")
    return People(
        people=[_person(user) for user in users],
        invitations=list(open_invitations(territory)),
    )


def person_of(territory: Territory, user_id: int) -> Person | None:
    """The person, if they hold a role in this territory (else None: not ours to show)."""
    user = _people_queryset(territory).filter(pk=user_id).first()
    return _person(user) if user is not None else None


def invitation_of(territory: Territory, pk: int) -> Invitation | None:
    return Invitation.objects.filter(territory=territory, pk=pk).first()


def users_with_email(email: str) -> QuerySet[AbstractUser]:
    """Accounts whose user name or address is `email` (the user name of an invited person)."""
    return get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))


def invitation_by_token(token: str) -> Invitation:
    """The invitation a link opens, or InvitationRefused: bad, old, used or withdrawn link, or
    an account that already exists for the address (e.g. deactivated since)."""
    invitation = invitation_from_token(
        token, queryset=Invitation.objects.select_related("territory", "invited_by")
    )
    if users_with_email(invitation.email).exists():
        raise InvitationRefused("account_exists")
    return invitation

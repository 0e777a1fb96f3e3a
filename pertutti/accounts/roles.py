"""What roles a person holds in a territory, read once per request (cached on the user)."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from pertutti.accounts.models import SECOND_FACTOR_ROLES, OrganizationMembership, RoleAssignment
from pertutti.territories.models import Territory

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Grants:
    """A person's roles in one territory, their translator languages and organisations."""

    roles: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    organization_ids: frozenset[int] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


NO_GRANTS = Grants()


def grants(user: AnyUser, territory: Territory | None) -> Grants:
    """Two queries per user and territory per request; inactive users hold nothing."""
    if territory is None or not user.is_authenticated or not user.is_active:
        return NO_GRANTS
    # getattr/setattr, not __dict__: request.user is a lazy proxy that forwards attributes to
    # the real user, so the gate and has_perm share one cache.
    cache: dict[int, Grants] | None = getattr(user, "_pertutti_grants", None)
    if cache is None:
        cache = {}
        user._pertutti_grants = cache  # type: ignore[union-attr]
    if territory.pk not in cache:
        rows = list(
            RoleAssignment.objects.filter(user=user, territory=territory).values_list(
                "role", "languages"
            )
        )
        organizations = OrganizationMembership.objects.filter(
            user=user, organization__territory=territory
        ).values_list("organization_id", flat=True)
        cache[territory.pk] = Grants(
            roles=frozenset(role for role, _ in rows),
            languages=frozenset(code for _, codes in rows for code in codes or []),
            organization_ids=frozenset(organizations),
        )
    return cache[territory.pk]


def forget_grants(user: AnyUser) -> None:
    """After a change of roles within the same request."""
    if hasattr(user, "_pertutti_grants"):
        del user._pertutti_grants  # type: ignore[union-attr]


def needs_second_factor(user: AnyUser, territory: Territory | None) -> bool:
    """Administrators and reviewers must confirm sign-in with a second factor; so must anyone
    who chose to set one up, and the technical owner."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or grants(user, territory).roles & SECOND_FACTOR_ROLES:
        return True
    from django_otp import user_has_device

    return user_has_device(user)

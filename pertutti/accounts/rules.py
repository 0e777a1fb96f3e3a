"""Object permissions, all in one place (django-rules). Every view and service asks these.

Objects: a Territory for territory-wide work, an Organization for an organisation's pages,
a `LanguageTarget` for a translator's language, a Translation for a review.
"""

from dataclasses import dataclass

import rules

from pertutti.accounts.models import Role
from pertutti.accounts.roles import grants
from pertutti.directory.models import Organization, Service
from pertutti.territories.models import Territory


@dataclass(frozen=True)
class LanguageTarget:
    territory: Territory
    language: str


def _territory_of(obj: object) -> Territory | None:
    if isinstance(obj, Territory):
        return obj
    if isinstance(obj, LanguageTarget):
        return obj.territory
    if isinstance(obj, Organization):
        return obj.territory
    territory = getattr(obj, "territory", None)  # a Service, an Invitation, ...
    if territory is None and hasattr(obj, "source"):  # a Translation
        territory = obj.source.territory
    return territory


def _holds(*roles: str) -> rules.Predicate:
    @rules.predicate(name="holds " + "/".join(roles))
    def predicate(user: object, obj: object) -> bool:
        return grants(user, _territory_of(obj)).has(*roles)  # type: ignore[arg-type]

    return predicate


is_administrator = _holds(Role.ADMINISTRATOR)
is_reviewer = _holds(Role.REVIEWER)
is_operator = _holds(Role.OPERATOR)
is_editor = _holds(Role.EDITOR)
is_translator = _holds(Role.TRANSLATOR)
has_any_role = _holds(*Role.values)


@rules.predicate
def is_member_of_organization(user: object, obj: object) -> bool:
    """A member of the organisation, or of the organisation of a service or report."""
    organization = obj if isinstance(obj, Organization) else _organization_of(obj)
    if organization is None:
        return False
    return organization.pk in grants(user, organization.territory).organization_ids  # type: ignore[arg-type]


def _organization_of(obj: object) -> Organization | None:
    if isinstance(obj, Service):
        return obj.organization
    service = getattr(obj, "service", None)  # an error report, a revision of a service
    if isinstance(service, Service):
        return service.organization
    organization = getattr(obj, "organization", None)  # a revision proposing a new service
    return organization if isinstance(organization, Organization) else None


@rules.predicate
def is_trusted_organization(user: object, obj: object) -> bool:
    organization = obj if isinstance(obj, Organization) else _organization_of(obj)
    return bool(organization is not None and organization.trusted)


@rules.predicate
def translates_language(user: object, target: LanguageTarget | None) -> bool:
    if not isinstance(target, LanguageTarget):
        return False
    territory = target.territory
    if target.language == territory.source_language:
        return False
    if target.language not in territory.offered_languages:
        return False
    g = grants(user, territory)  # type: ignore[arg-type]
    return g.has(Role.ADMINISTRATOR) or (g.has(Role.TRANSLATOR) and target.language in g.languages)


@rules.predicate
def is_target_language(user: object, target: LanguageTarget | None) -> bool:
    if not isinstance(target, LanguageTarget):
        return False
    territory = target.territory
    return target.language != territory.source_language and (
        target.language in territory.offered_languages
    )


@rules.predicate
def translates_language_of(user: object, translation: object) -> bool:
    source = getattr(translation, "source", None)
    if source is None:
        return False
    return translates_language(user, LanguageTarget(source.territory, translation.language))  # type: ignore[attr-defined]


@rules.predicate
def is_not_its_translator(user: object, translation: object) -> bool:
    return getattr(translation, "translator_id", None) != getattr(user, "pk", None)


# The back office: every role enters; what each page shows depends on the rules below.
rules.add_perm("manage.access", has_any_role | rules.is_superuser)
rules.add_perm("accounts.manage_people", is_administrator | rules.is_superuser)
rules.add_perm("accounts.view_audit", is_administrator | rules.is_superuser)
rules.add_perm("territories.change_settings", is_administrator | rules.is_superuser)
rules.add_perm("importing.import_services", is_administrator | rules.is_superuser)
rules.add_perm(
    "search.view_reports", is_administrator | is_reviewer | is_operator | rules.is_superuser
)
# Organisations: staff roles see all of the territory, an editor only their own.
rules.add_perm(
    "directory.view_organizations",
    is_administrator | is_reviewer | is_operator | is_editor | rules.is_superuser,
)
rules.add_perm(
    "directory.view_organization",
    is_administrator
    | is_reviewer
    | is_operator
    | (is_editor & is_member_of_organization)
    | rules.is_superuser,
)
rules.add_perm(
    "directory.change_organization",
    is_administrator | (is_editor & is_member_of_organization) | rules.is_superuser,
)
# The editorial loop (objects: a Service, an Organization, a ServiceRevision, an ErrorReport).
# Editors change their organisations' services; their changes wait for a reviewer unless
# the organisation is trusted. Reviewers approve, restore and handle every report.
is_editor_of_it = is_editor & is_member_of_organization
# Reviewers too: they correct a change before approving it ("edit and approve").
rules.add_perm(
    "directory.change_service",
    is_administrator | is_reviewer | is_editor_of_it | rules.is_superuser,
)
rules.add_perm(
    "editorial.publish_directly",
    is_administrator
    | is_reviewer
    | (is_editor_of_it & is_trusted_organization)
    | rules.is_superuser,
)
rules.add_perm("editorial.review", is_administrator | is_reviewer | rules.is_superuser)
rules.add_perm("editorial.restore", is_administrator | is_reviewer | rules.is_superuser)
rules.add_perm(
    "editorial.view_history",
    is_administrator | is_reviewer | is_operator | is_editor_of_it | rules.is_superuser,
)
rules.add_perm(
    "editorial.handle_report",
    is_administrator | is_reviewer | is_editor_of_it | rules.is_superuser,
)
rules.add_perm("directory.mark_trusted", is_administrator | rules.is_superuser)
# Translations: an administrator may translate every target language, a translator theirs.
rules.add_perm("translations.translate", translates_language | rules.is_superuser)
# Reviewers open every target language's queue and editor to review, without translating.
rules.add_perm(
    "translations.view_language",
    translates_language | (is_reviewer & is_target_language) | rules.is_superuser,
)
# A review is a second person's: a reviewer, or another translator of the language.
rules.add_perm(
    "translations.review",
    ((is_administrator | is_reviewer | translates_language_of) & is_not_its_translator)
    | rules.is_superuser,
)

"""The back office menu: which entries this person may open (evaluated only when shown)."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pertutti.accounts.models import Role
from pertutti.accounts.roles import grants
from pertutti.territories.selectors import request_territory
from pertutti.translations import permissions


def _entries(request: HttpRequest) -> dict[str, bool]:
    user, territory = request.user, request_territory(request)
    if territory is None or not user.is_authenticated:
        return {}
    editor = grants(user, territory).has(Role.EDITOR)
    return {
        "people": user.has_perm("accounts.manage_people", territory),
        # Reviewers review changes; editors follow their own there.
        "reviews": user.has_perm("editorial.review", territory) or editor,
        "error_reports": user.has_perm("editorial.review", territory) or editor,
        "organizations": user.has_perm("directory.view_organizations", territory),
        "imports": user.has_perm("importing.import_services", territory),
        "settings": user.has_perm("territories.change_settings", territory),
        "activity": user.has_perm("accounts.view_audit", territory),
        "reports": user.has_perm("search.view_reports", territory),
        "translations": bool(permissions.viewable_languages(user, territory)),
    }


def back_office(request: HttpRequest) -> dict[str, Any]:
    return {"perms_nav": SimpleLazyObject(lambda: _entries(request))}

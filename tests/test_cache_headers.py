"""Signed-in pages are never kept by a browser or a proxy (`private, no-store`); public pages
are cached (`public, max-age`).

The pages are every URL name of the workspace, the back office and the account pages that
exists when the test runs, so a page added later is covered without changing this test.
Arguments are filled from the objects of a small territory: each parameter is tried with
the values of its type until the page is found.
"""

import itertools
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone, translation

from pertutti.accounts.invitations import invitation_token
from pertutti.accounts.models import Invitation, Role
from pertutti.importing.jobs import import_job_create
from pertutti.importing.services import services_import_file
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Municipality
from tests.conftest import csv_text, service_row
from tests.staff import make_person, sign_in

STAFF_NAMESPACES = ("manage", "accounts", "translations")
# Pages that must be found, so that the test cannot pass by visiting nothing.
MUST_VISIT = {
    "manage:dashboard",
    "manage:people",
    "manage:person",
    "manage:organization",
    "manage:import_job",
    "accounts:login",
    "accounts:profile",
    "translations:dashboard",
    "translations:queue",
    "translations:editor",
}
MAX_TRIES = 60  # argument combinations per page


@pytest.fixture
def territory(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    return lodi


@pytest.fixture
def admin(territory):
    return make_person("ada", territory, Role.ADMINISTRATOR, Role.TRANSLATOR, languages=["ar"])


@pytest.fixture
def invitation(territory, admin):
    return Invitation.objects.create(
        territory=territory,
        email="new@example.org",
        roles=["operator"],
        nonce="n",
        sent_at=timezone.now(),
    )


def url_names(namespaces: tuple[str, ...]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(name, [(parameter, converter type)]) of every URL in these namespaces."""
    resolver = get_resolver()
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            continue
        _, namespace_resolver = resolver.namespace_dict[namespace]
        for name in namespace_resolver.reverse_dict:
            if not isinstance(name, str):
                continue  # views are keys too
            possibilities, _, defaults, converters = namespace_resolver.reverse_dict.getlist(name)[
                0
            ]
            params = [p for p in possibilities[0][1] if p not in defaults]
            kinds = [type(converters[p]).__name__ if p in converters else "str" for p in params]
            yield f"{namespace}:{name}", list(zip(params, kinds, strict=True))


def candidate_values() -> dict[str, list]:
    """Some existing id of every model of the project, and the strings a URL may carry."""
    ids = []
    for model in apps.get_models():
        if model._meta.app_label in ("auth",) or model.__module__.startswith("pertutti."):
            ids.extend(model._default_manager.order_by("pk").values_list("pk", flat=True)[:1])
    ids = [i for i in dict.fromkeys(ids) if isinstance(i, int)]
    strings = ["ar", "TST-001", "not-a-token"]
    strings.append(
        Municipality.objects.filter(name="Lodi").values_list("istat_code", flat=True).get()
    )
    strings.extend(Category.objects.values_list("code", flat=True)[:1])
    strings.extend(invitation_token(i) for i in Invitation.objects.all()[:1])
    return {"int": ids, "str": strings}


# Pages that need a query to answer 200 (their 400s are tested with their view).
QUERIES = {
    "public:map_markers": "?bbox=45.1,9.3,45.4,9.7",
    "public:sheet_pdf": "?s=TST-001&language=ar",
}


def visit(client, name: str, params: list[tuple[str, str]], values: dict[str, list]):
    """The first answer that is not 404 (or the last one), and the URL asked."""
    pools = [values["int"] if kind == "IntConverter" else values["str"] for _, kind in params]
    response = url = None
    for combination in itertools.islice(itertools.product(*pools), MAX_TRIES):
        kwargs = {param: value for (param, _), value in zip(params, combination, strict=True)}
        try:
            url = reverse(name, kwargs=kwargs) + QUERIES.get(name, "")
        except NoReverseMatch:
            continue
        response = client.get(url)
        if response.status_code != 404:
            break
    return url, response


def check_pages(
    client, names, values, *, expect, redirects: bool = True
) -> tuple[set[str], list[str]]:
    visited, wrong = set(), []
    for name, params in names:
        url, response = visit(client, name, params, values)
        if response is None or response.status_code in (404, 405):
            continue  # not found with our objects, or a POST-only action
        if not redirects and response.status_code in (301, 302):
            continue
        visited.add(name)
        problem = expect(response.get("Cache-Control", ""))
        if problem:
            wrong.append(
                f"{name} {url} {response.status_code}: {response.get('Cache-Control')!r} {problem}"
            )
    return visited, wrong


def private(cache_control: str) -> str:
    missing = [word for word in ("private", "no-store") if word not in cache_control]
    return f"lacks {', '.join(missing)}" if missing else ""


def public(cache_control: str) -> str:
    if "private" in cache_control or "no-store" in cache_control:
        return "is private"
    return "" if "public" in cache_control and "max-age" in cache_control else "is not public"


@pytest.fixture
def import_job(territory, admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    content = csv_text([service_row(codice="TST-002")]).encode()
    return import_job_create(
        territory=territory, content=content, filename="s.csv", sample_data=False, user=admin
    )


def test_every_signed_in_page_is_private_and_not_stored(client, admin, invitation, import_job):
    sign_in(client, admin)
    values = candidate_values()
    with translation.override("it"):
        visited, wrong = check_pages(client, url_names(STAFF_NAMESPACES), values, expect=private)
    assert not wrong, "\n".join(wrong)
    assert not MUST_VISIT - visited, MUST_VISIT - visited


def test_account_pages_of_a_visitor_are_private_and_not_stored(client, invitation):
    """Sign-in, password reset, invitation: forms with a CSRF token, never kept."""
    values = candidate_values()
    with translation.override("it"):
        # A visitor sent to the sign-in page from a signed-in page is not such a page.
        visited, wrong = check_pages(
            client, url_names(("accounts",)), values, expect=private, redirects=False
        )
    assert not wrong, "\n".join(wrong)
    assert {"accounts:login", "accounts:password_reset", "accounts:invitation_accept"} <= visited


def test_public_pages_are_cached(client, territory):
    values = candidate_values()
    with translation.override("it"):
        visited, wrong = check_pages(client, url_names(("public",)), values, expect=public)
    assert not wrong, "\n".join(wrong)
    assert {"public:home", "public:service", "public:category", "public:organization"} <= visited

"""Everyone a back-office page is tested with: one person per role in Lodi, an administrator
of another territory, the technical owner, and organisations and services to look at."""

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.test import Client

from pertutti.accounts.models import Role
from pertutti.directory.models import Organization, Service
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from tests.staff import make_person, sign_in

# Who visits, in the order of the issue: anonymous, each role, another territory's
# administrator, the deployment's technical owner.
VISITORS = [
    "anonymous",
    "administrator",
    "reviewer",
    "editor",
    "translator",
    "operator",
    "stranger",
    "superuser",
]

_codes = itertools.count(1)


def other_territory(lodi: Territory, slug: str = "cremona") -> Territory:
    fields = {
        f.name: getattr(lodi, f.name) for f in Territory._meta.concrete_fields if f.name != "id"
    }
    fields.update(slug=slug, name=f"{slug.title()} per tutti")
    return Territory.objects.create(**fields)


def organization(territory: Territory, name: str, kind: str = "third_sector") -> Organization:
    return Organization.objects.create(territory=territory, name=name, kind=kind)


def service(organization: Organization, **fields: Any) -> Service:
    values: dict[str, Any] = {
        "territory": organization.territory,
        "organization": organization,
        "code": f"TST-{next(_codes):03d}",
        "name": "Servizio",
        "category": Category.objects.order_by("position").first(),
        "assured_date": date(2099, 1, 1),  # verified, as far as the tests are concerned
    }
    values.update(fields)
    return Service.objects.create(**values)


@dataclass
class Cast:
    lodi: Territory
    other: Territory
    caritas: Organization  # has an editor
    comune: Organization  # has none
    foreign: Organization  # of the other territory
    people: dict[str, Any] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            sign_in(client, self.people[who])
        return client


def cast(lodi: Territory) -> Cast:
    other = other_territory(lodi)
    caritas = organization(lodi, "Caritas Lodigiana")
    comune = organization(lodi, "Comune di Lodi", kind="municipality")
    foreign = organization(other, "Caritas Cremonese")
    people = people_of_lodi(lodi, other, caritas)
    return Cast(lodi, other, caritas, comune, foreign, people)


def people_of_lodi(lodi: Territory, other: Territory, caritas: Organization) -> dict[str, Any]:
    return {
        "administrator": make_person("administrator", lodi, Role.ADMINISTRATOR),
        "reviewer": make_person("reviewer", lodi, Role.REVIEWER),
        "editor": make_person("editor", lodi, Role.EDITOR, organizations=[caritas]),
        "translator": make_person("translator", lodi, Role.TRANSLATOR, languages=["ar"]),
        "operator": make_person("operator", lodi, Role.OPERATOR),
        "stranger": make_person("stranger", other, Role.ADMINISTRATOR),
        "superuser": get_user_model().objects.create_superuser(
            "owner", "owner@example.org", "correct horse battery staple"
        ),
    }


def login_redirect(response: Any, url: str) -> bool:
    """An anonymous visitor is sent to the Italian sign-in page, and back afterwards."""
    return response.status_code == 302 and response["Location"] == (
        f"/it/accounts/login/?next={quote(url)}"
    )

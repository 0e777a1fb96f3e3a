from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText
from tests.conftest import service_row
from tests.staff import make_person


@pytest.fixture
def one_service(lodi, write_csv):
    row = service_row(descrizione="Aiuto per il permesso di soggiorno.", orari="lun-ven 9-12")
    services_import_file(territory=lodi, path=write_csv([row]))
    return Service.objects.get(code="TST-001")


def source_of(obj, field: str) -> SourceText:
    return SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, field=field
    )


@pytest.fixture
def elsewhere(db) -> Territory:
    """Another territory, for its administrator (who holds nothing in Lodi)."""
    return Territory.objects.create(
        slug="elsewhere",
        name="Elsewhere",
        offered_languages=["it", "en", "ar", "fr"],
        map_centre_latitude=Decimal("45.3"),
        map_centre_longitude=Decimal("9.5"),
        bound_south=Decimal("45"),
        bound_west=Decimal("9"),
        bound_north=Decimal("46"),
        bound_east=Decimal("10"),
    )


@pytest.fixture
def people(lodi, elsewhere):
    """One person per role in Lodi (two Arabic translators), and another territory's
    administrator. Who needs a second factor signs in verified (tests.staff.sign_in)."""
    return {
        "administrator": make_person("ada", lodi, Role.ADMINISTRATOR),
        "reviewer": make_person("rita", lodi, Role.REVIEWER),
        "translator_ar": make_person("amina", lodi, Role.TRANSLATOR, languages=["ar"]),
        "translator_ar2": make_person("omar", lodi, Role.TRANSLATOR, languages=["ar"]),
        "translator_fr": make_person("claire", lodi, Role.TRANSLATOR, languages=["fr"]),
        "editor": make_person("edo", lodi, Role.EDITOR),
        "operator": make_person("olga", lodi, Role.OPERATOR),
        "other_administrator": make_person("otto", elsewhere, Role.ADMINISTRATOR),
    }


# Whose sign-in must be confirmed by a second factor (administrators and reviewers).
VERIFIED = {"administrator", "reviewer", "other_administrator"}

import pytest
from django.contrib.contenttypes.models import ContentType

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from pertutti.translations.models import SourceText
from tests.conftest import service_row


@pytest.fixture
def one_service(lodi, write_csv):
    row = service_row(descrizione="Aiuto per il permesso di soggiorno.", orari="lun-ven 9-12")
    services_import_file(territory=lodi, path=write_csv([row]))
    return Service.objects.get(code="TST-001")


def source_of(obj, field: str) -> SourceText:
    return SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, field=field
    )

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV

# A Monday morning in Lodi: LPT-013 ("Lunedì e giovedì 14-17") is closed, opens at 14:00;
# LPT-004 ("lun-ven 9.00-12.00") is open.
MONDAY_10 = datetime(2025, 5, 12, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))


@pytest.fixture
def demo(lodi):
    services_import_file(territory=lodi, path=DEMO_CSV, sample_data=True)
    return lodi


@pytest.fixture
def monday_morning(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_10)
    return MONDAY_10

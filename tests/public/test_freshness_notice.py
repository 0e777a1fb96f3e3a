"""The public service page says when its information was verified, and warns readers when
that was 12 months ago or more (or never), in every language; showing it writes nothing."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pertutti.directory.models import Service
from pertutti.importing.services import services_import_file
from tests.conftest import service_row

PAGE = "/{language}/services/TST-001/"
NOTICE = "This information may be out of date — call before you go."


@pytest.fixture
def verified(lodi, write_csv, monday_morning):
    """TST-001, verified on the given date (today is Monday 12 May 2025, in Lodi)."""
    services_import_file(territory=lodi, path=write_csv([service_row()]))

    def on(day: date | None) -> None:
        Service.objects.filter(code="TST-001").update(assured_date=day)

    return on


def page(client, language: str = "it") -> str:
    response = client.get(PAGE.format(language=language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2025, 5, 12), False),  # today
        (date(2024, 5, 13), False),  # a day short of 12 months
        (date(2024, 5, 12), True),  # 12 months
        (date(2021, 3, 1), True),
        (None, True),  # never verified
    ],
)
def test_the_notice_shows_at_twelve_months_and_not_before(client, verified, day, shown):
    verified(day)
    html = page(client, "en")
    assert ('class="note stale-notice"' in html) is shown
    assert (NOTICE in html) is shown


def test_the_verification_date_is_a_long_date_in_the_readers_language(client, verified):
    verified(date(2024, 11, 3))
    italian = page(client)
    assert "Informazioni verificate il" in italian
    assert '<time datetime="2024-11-03">3 novembre 2024</time>' in italian
    english = page(client, "en")
    assert '<time datetime="2024-11-03">November 3, 2024</time>' in english
    assert NOTICE not in english


@pytest.mark.parametrize("language", ["it", "ar", "ur", "zh-hans"])
def test_the_notice_is_there_in_every_language(client, verified, language):
    verified(date(2023, 1, 1))
    html = page(client, language)
    assert 'class="note stale-notice" role="note"' in html
    assert html.count("stale-notice") == 1
    if language == "ar":
        assert "قد تكون هذه المعلومات قديمة" in html


def test_the_arabic_page_dates_the_verification_in_arabic(client, verified):
    verified(date(2024, 11, 3))
    html = page(client, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert "نوفمبر" in html  # November, as CLDR writes it in Arabic


def test_the_page_writes_nothing_to_the_directory_or_the_history(client, verified):
    verified(None)
    page(client)  # warms the territory's caches
    with CaptureQueriesContext(connection) as queries:
        html = page(client)
    assert "Queste informazioni potrebbero non essere aggiornate" in html
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # Nothing at all: reads are counted in memory and written in batches (search.usage).
    assert writes == []


def test_the_page_stays_cacheable(client, verified):
    verified(None)
    response = client.get(PAGE.format(language="it"))
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response.has_header("ETag")

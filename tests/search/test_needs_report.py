"""The needs report's figures on a known fixture: counts written directly, then read back."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pertutti.directory.models import Service, ServiceStatus
from pertutti.editorial.models import ErrorReport
from pertutti.importing.services import services_import_file
from pertutti.search.models import UsageCount
from pertutti.search.selectors import Asked, UnmetNeed, needs_report, unmet_needs
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText, Translation
from tests.conftest import service_row
from tests.manage.cast import other_territory

START, END = date(2025, 3, 1), date(2025, 3, 31)
ROME = ZoneInfo("Europe/Rome")


def counted(territory, day: date, kind: str, key: str, count: int) -> None:
    UsageCount.objects.create(territory=territory, day=day, kind=kind, key=key, count=count)


def reported(service: Service, kind: str, day: date) -> None:
    ErrorReport.objects.create(
        territory=service.territory, service=service, kind=kind, text="x", contact="a@b.it",
        language="it", created_at=datetime.combine(day, time(12), tzinfo=ROME),
    )  # fmt: skip


def translated(service: Service, field: str, language: str, *, status: str, current: bool):
    source = SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(Service), object_id=service.pk, field=field
    )
    Translation.objects.create(
        source=source, language=language, text=f"[{language}] {source.text}", status=status,
        source_fingerprint=source.fingerprint if current else "an older Italian",
        source_text=source.text, translated_at=timezone.now(),
    )  # fmt: skip


def fill(lodi, write_csv) -> dict:
    """March 2025 in Lodi, with counts just outside the month and in another territory that
    must not show."""
    services_import_file(
        territory=lodi,
        path=write_csv(
            [
                service_row(codice="TST-001"),
                service_row(codice="TST-002", servizio="Mensa"),
                service_row(codice="TST-003", servizio="Dormitorio"),
            ]
        ),
    )
    one, two, closed = (Service.objects.get(code=f"TST-00{n}") for n in (1, 2, 3))
    Service.objects.filter(pk=closed.pk).update(status=ServiceStatus.INACTIVE)
    cremona = Territory.objects.filter(slug="cremona").first() or other_territory(lodi)
    health, food = Category.objects.order_by("position").values_list("code", "name")[:2]
    lodi_city = lodi.municipalities.get(name="Lodi").istat_code
    codogno = lodi.municipalities.get(name="Codogno").istat_code

    counted(lodi, date(2025, 3, 10), "zero_result", "it\tdentista gratuito", 4)
    counted(lodi, date(2025, 3, 20), "zero_result", "it\tdentista gratuito", 3)
    counted(lodi, date(2025, 3, 15), "zero_result", "ar\tطبيب اسنان", 5)
    counted(lodi, date(2025, 3, 1), "zero_result", "it\t<script>alert(1)</script>", 1)
    counted(lodi, date(2025, 3, 31), "zero_result", 'it\t=hyperlink("http://x.example")', 2)
    counted(lodi, date(2025, 2, 28), "zero_result", "it\tvecchio", 9)  # before the period
    counted(lodi, date(2025, 4, 1), "zero_result", "it\tdopo", 9)  # after it
    counted(cremona, date(2025, 3, 10), "zero_result", "it\tcremona", 9)
    counted(lodi, date(2025, 3, 2), "category", health[0], 10)
    counted(lodi, date(2025, 3, 3), "category", health[0], 2)
    counted(lodi, date(2025, 3, 3), "category", food[0], 4)
    counted(lodi, date(2025, 3, 3), "category", "gone", 1)  # a category that no longer exists
    counted(cremona, date(2025, 3, 3), "category", food[0], 50)
    counted(lodi, date(2025, 3, 5), "municipality", lodi_city, 8)
    counted(lodi, date(2025, 3, 5), "municipality", codogno, 3)
    for language, n in {"it": 100, "ar": 40, "en": 25, "uk": 10, "ro": 5}.items():
        counted(lodi, date(2025, 3, 7), "language", language, n)
    counted(lodi, date(2025, 4, 7), "language", "ro", 500)  # after the period
    counted(cremona, date(2025, 3, 7), "language", "zh-hans", 500)

    reported(one, "hours", date(2025, 3, 1))
    reported(two, "hours", date(2025, 3, 31))
    reported(one, "phone", date(2025, 3, 12))
    reported(one, "closed", date(2025, 4, 1))  # after the period

    # Arabic: TST-001 fully and currently translated; TST-002's description only a draft.
    translated(one, "name", "ar", status="reviewed", current=True)
    translated(one, "description", "ar", status="translated", current=True)
    translated(two, "name", "ar", status="translated", current=True)
    translated(two, "description", "ar", status="draft", current=True)
    # English: TST-001's description was translated from an older Italian.
    translated(one, "name", "en", status="reviewed", current=True)
    translated(one, "description", "en", status="reviewed", current=False)
    translated(two, "name", "en", status="reviewed", current=True)
    translated(two, "description", "en", status="reviewed", current=True)
    return {
        "health": health, "food": food, "lodi_city": lodi_city, "codogno": codogno,
        "one": one, "two": two,
    }  # fmt: skip


@pytest.fixture
def known(lodi, write_csv, settings):
    settings.PERTUTTI_PUBLISH_DRAFTS = False
    return fill(lodi, write_csv)


def test_the_figures_of_march(lodi, known):
    report = needs_report(lodi, START, END)
    assert report.unmet == [
        UnmetNeed("dentista gratuito", "it", 7, date(2025, 3, 20)),
        UnmetNeed("طبيب اسنان", "ar", 5, date(2025, 3, 15)),
        UnmetNeed('=hyperlink("http://x.example")', "it", 2, date(2025, 3, 31)),
        UnmetNeed("<script>alert(1)</script>", "it", 1, date(2025, 3, 1)),
    ]
    health, food = known["health"], known["food"]
    assert report.categories == [
        Asked(health[0], health[1], 12), Asked(food[0], food[1], 4), Asked("gone", "gone", 1)
    ]  # fmt: skip
    assert report.municipalities == [
        Asked(known["lodi_city"], "Lodi", 8), Asked(known["codogno"], "Codogno", 3)
    ]  # fmt: skip
    assert [(a.code, a.count) for a in report.languages] == [
        ("it", 100), ("ar", 40), ("en", 25), ("uk", 10), ("ro", 5)
    ]  # fmt: skip
    assert {a.code: a.count for a in report.error_reports} == {
        "hours": 2, "phone": 1, "closed": 0, "moved": 0, "other": 0,
    }  # fmt: skip
    assert [a.code for a in report.error_reports][:2] == ["hours", "phone"]
    # The three languages most used after Italian; closed services are not listed.
    assert [(u.language, [code for code, _ in u.services]) for u in report.untranslated] == [
        ("ar", ["TST-002"]),
        ("en", ["TST-001"]),
        ("uk", ["TST-001", "TST-002"]),
    ]


def test_published_drafts_count_as_translated(lodi, known, settings):
    settings.PERTUTTI_PUBLISH_DRAFTS = True
    report = needs_report(lodi, START, END)
    assert report.untranslated[0].language == "ar" and report.untranslated[0].services == []


def test_names_are_in_the_reader_s_language(lodi, known, english):
    report = needs_report(lodi, START, END)
    assert [a.name for a in report.languages][:3] == ["Italian", "Arabic", "English"]
    assert report.error_reports[0].name == "The opening hours are wrong"


def test_one_day_and_an_empty_period(lodi, known):
    day = needs_report(lodi, date(2025, 3, 31), date(2025, 3, 31))
    assert [(n.text, n.count) for n in day.unmet] == [('=hyperlink("http://x.example")', 2)]
    assert {a.code: a.count for a in day.error_reports}["hours"] == 1
    empty = needs_report(lodi, date(2020, 1, 1), date(2020, 1, 31))
    assert (empty.unmet, empty.categories, empty.languages, empty.untranslated) == ([], [], [], [])
    assert sum(a.count for a in empty.error_reports) == 0


def test_unmet_needs_keeps_the_dashboard_s_shape(lodi, known):
    """The dashboard asks for the first few since a moment (a datetime stands for its day)."""
    since = datetime(2025, 3, 15, 18, 0, tzinfo=ROME)
    needs = unmet_needs(lodi, 2, since=since)
    assert [(n.text, n.language, n.count, n.last_seen) for n in needs] == [
        ("dopo", "it", 9, date(2025, 4, 1)),
        ("طبيب اسنان", "ar", 5, date(2025, 3, 15)),
    ]
    assert len(unmet_needs(lodi)) == 6  # all time, of Lodi only


def test_a_municipality_with_no_service_yet_is_counted_when_asked_for(client, lodi):
    from pertutti.search.models import UsageCount
    from pertutti.search.usage import usage_flush

    empty = lodi.municipalities.exclude(locations__isnull=False).first()
    assert client.get(f"/it/municipalities/{empty.istat_code}/").status_code == 200
    usage_flush()
    assert UsageCount.objects.get(kind="municipality").key == empty.istat_code

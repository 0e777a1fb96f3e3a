"""The public may have only so many PDFs built per hour; PDFs already built are free."""

import pytest

from pertutti.accounts.models import Role
from tests.staff import make_person


@pytest.fixture
def one_build_per_hour(settings):
    settings.PERTUTTI_PRINT_BUILDS_PER_HOUR = 1
    settings.PERTUTTI_SITE_URL = "https://lodi.example.org"


def test_a_second_build_in_the_hour_is_refused_with_a_message(
    client, lodi, one_build_per_hour, print_dir
):
    assert client.get("/it/print/poster.pdf?size=a4").status_code == 200
    built = sorted(p.name for p in print_dir.glob("*.pdf"))

    refused = client.get("/ar/print/card.pdf")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Cache-Control"] == "no-store"
    assert "in the last hour" in refused.content.decode() or "لساعة" in refused.content.decode()
    assert sorted(p.name for p in print_dir.glob("*.pdf")) == built  # nothing built


def test_a_pdf_already_built_is_served_without_counting(client, lodi, one_build_per_hour):
    first = client.get("/it/print/poster.pdf?size=a4")
    again = client.get("/it/print/poster.pdf?size=a4", HTTP_CACHE_CONTROL="no-cache")

    assert first.status_code == again.status_code == 200
    assert b"".join(again.streaming_content).startswith(b"%PDF-")


def test_each_client_has_its_own_count(client, lodi, one_build_per_hour):
    assert client.get("/it/print/poster.pdf?size=a4").status_code == 200
    other = client.get("/it/print/card.pdf", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200


def test_signed_in_staff_print_without_the_limit(client, lodi, one_build_per_hour):
    person = make_person("sportello", lodi, Role.OPERATOR)
    client.force_login(person)
    assert client.get("/it/print/poster.pdf?size=a4").status_code == 200
    assert client.get("/it/print/card.pdf").status_code == 200

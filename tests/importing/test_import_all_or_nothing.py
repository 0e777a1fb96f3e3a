"""Any error aborts the whole import: the database stays exactly as it was."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pertutti.directory.models import (
    Location,
    OpeningHours,
    Organization,
    PhoneNumber,
    Schedule,
    Service,
)
from pertutti.importing.services import services_import_file
from tests.conftest import service_row


def database_state() -> dict[str, list]:
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Organization, Service, Location, PhoneNumber, Schedule, OpeningHours)
    }


@pytest.fixture
def loaded(lodi, write_csv):
    path = write_csv([service_row(), service_row(codice="TST-002", telefono="0371 409111")])
    assert services_import_file(territory=lodi, path=path).errors == []
    return database_state()


@pytest.mark.parametrize(
    ("bad_cells", "column", "message_en", "message_it"),
    [
        ({"servizio": ""}, "servizio", "required field is empty", "campo obbligatorio vuoto"),
        ({"codice": ""}, "codice", "required field is empty", "campo obbligatorio vuoto"),
        (
            {"comune": "Milano"},
            "comune",
            "unknown municipality “Milano”",
            "comune sconosciuto «Milano»",
        ),
        ({"comune": "Codogo"}, "comune", "did you mean “Codogno”?", "forse «Codogno»?"),
        (
            {"categoria": "Sport"},
            "categoria",
            "unknown category “Sport”",
            "categoria sconosciuta «Sport»",
        ),
        ({"email": "info@"}, "email", "info@", "info@"),
        (
            {"telefono": "123"},
            "telefono",
            "invalid phone number “123”",
            "numero di telefono non valido «123»",
        ),
        (
            {"ultimo_aggiornamento": "31/02/2025"},
            "ultimo_aggiornamento",
            "31/02/2025",
            "31/02/2025",
        ),
        (
            {"sito_web": "javascript:alert(1)"},
            "sito_web",
            "javascript:alert(1)",
            "javascript:alert(1)",
        ),
        ({"lat": "45.3"}, "lon", "", ""),
        ({"cap": "2690"}, "cap", "2690", "2690"),
    ],
)
def test_one_bad_row_leaves_the_database_exactly_as_before(
    lodi, write_csv, loaded, bad_cells, column, message_en, message_it
):
    rows = [
        service_row(servizio="Nome cambiato"),  # a valid change that must not land either
        service_row(codice="TST-003"),
        service_row(**{"codice": "TST-004", **bad_cells}),
    ]
    report = services_import_file(territory=lodi, path=write_csv(rows))
    [error] = report.errors
    assert (error.row, error.column) == (4, column)
    assert message_en in error.line_en() and message_it in error.line_it()
    assert error.line_en().startswith(f"row 4, column {column}: ")
    assert error.line_it().startswith(f"riga 4, colonna {column}: ")
    assert not report.written
    assert database_state() == loaded


def test_every_problem_is_listed_not_only_the_first(lodi, write_csv, loaded):
    rows = [
        service_row(codice="A-1", comune="Atlantide"),
        service_row(codice="A-2", email="x@y"),
        service_row(codice="A-2"),
    ]
    report = services_import_file(territory=lodi, path=write_csv(rows))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "comune"),
        (3, "email"),
        (4, "codice"),  # the same code twice in one file
    ]
    assert database_state() == loaded


def test_command_exits_non_zero_and_prints_both_languages(lodi, write_csv, loaded):
    path = write_csv([service_row(comune="Atlantide")])
    out = StringIO()
    with pytest.raises(CommandError, match="1 errors: nothing was written"):
        call_command("import_services", str(path), stdout=out)
    text = out.getvalue()
    assert "ERROR   row 2, column comune: unknown municipality “Atlantide”" in text
    assert "riga 2, colonna comune: comune sconosciuto «Atlantide»" in text
    assert "import aborted" in text
    assert database_state() == loaded


def test_command_refuses_a_territory_that_is_not_loaded(db, write_csv):
    with pytest.raises(CommandError, match="load_territory nowhere"):
        call_command("import_services", str(write_csv([service_row()])), "--territory", "nowhere")


def test_a_database_failure_mid_import_rolls_back(lodi, write_csv, loaded, monkeypatch):
    from pertutti.importing import services

    calls = {"n": 0}
    original = services._apply

    def failing_apply(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_apply", failing_apply)
    rows = [service_row(servizio="Nuovo nome"), service_row(codice="TST-009")]
    with pytest.raises(RuntimeError):
        services_import_file(territory=lodi, path=write_csv(rows))
    assert database_state() == loaded

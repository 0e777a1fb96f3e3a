"""Opening hours in Italian prose: what is parsed, and what is reported as not understood."""

import random
from datetime import time

import pytest

from pertutti.importing.opening_hours_it import OpeningRule, ParsedHours, parse_opening_hours

MON_FRI = "0-4"


def rules(days: str, opens: str, closes: str, label: str = "") -> list[OpeningRule]:
    """Rules for `days` ("0-4" = Monday to Friday, "1,3" = Tuesday and Thursday)."""
    if "-" in days:
        first, last = days.split("-")
        weekdays = list(range(int(first), int(last) + 1))
    else:
        weekdays = [int(day) for day in days.split(",")]
    return [
        OpeningRule(day, time.fromisoformat(opens), time.fromisoformat(closes), label)
        for day in weekdays
    ]


def hours(
    *groups: list[OpeningRule],
    always_open: bool = False,
    by_appointment: bool = False,
    closed_months: list[int] | None = None,
    unparsed: list[str] | None = None,
) -> ParsedHours:
    """The expected result: the groups' rules in the documented order, plus the other fields."""
    return ParsedHours(
        rules=sorted((rule for group in groups for rule in group), key=_order),
        always_open=always_open,
        by_appointment=by_appointment,
        closed_months=closed_months or [],
        unparsed=unparsed or [],
    )


def _order(rule: OpeningRule) -> tuple[int, time, time, str]:
    return rule.weekday, rule.opens, rule.closes, rule.label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lun-ven 9.00-12.30", hours(rules(MON_FRI, "09:00", "12:30"))),
        ("Martedì e giovedì 14-17", hours(rules("1,3", "14:00", "17:00"))),
        (
            "dal lunedì al venerdì 8:30-12:30 e 14:00-16:00",
            hours(rules(MON_FRI, "08:30", "12:30"), rules(MON_FRI, "14:00", "16:00")),
        ),
        (
            "lun, mer, ven 9-12; mar 14.30-17.30",
            hours(rules("0,2,4", "09:00", "12:00"), rules("1", "14:30", "17:30")),
        ),
        (
            "lun-ven 8:30-12:30; giovedì anche 14:30-16:30",
            hours(rules(MON_FRI, "08:30", "12:30"), rules("3", "14:30", "16:30")),
        ),
        (
            "lun-ven 8.45-12.15; mar e gio anche 14.30-16.30",
            hours(rules(MON_FRI, "08:45", "12:15"), rules("1,3", "14:30", "16:30")),
        ),
        (
            "lun-ven 9.00-12.30; mer 15.00-18.00",
            hours(rules(MON_FRI, "09:00", "12:30"), rules("2", "15:00", "18:00")),
        ),
        ("martedì e giovedì 9.30-12.30", hours(rules("1,3", "09:30", "12:30"))),
        (
            "lun-ven 9-13 / 14-18",
            hours(rules(MON_FRI, "09:00", "13:00"), rules(MON_FRI, "14:00", "18:00")),
        ),
        ("lun 14-17, mer 9-12", hours(rules("0", "14:00", "17:00"), rules("2", "09:00", "12:00"))),
        ("tutti i giorni 11.45-13.00", hours(rules("0-6", "11:45", "13:00"))),
        (
            "mercoledì 9-12 e 14-16",
            hours(rules("2", "09:00", "12:00"), rules("2", "14:00", "16:00")),
        ),
        (
            "Martedì e giovedì 14-17; sabato 9-12",
            hours(rules("1,3", "14:00", "17:00"), rules("5", "09:00", "12:00")),
        ),
        (
            "martedì 9-12 e giovedì 14-16",
            hours(rules("1", "09:00", "12:00"), rules("3", "14:00", "16:00")),
        ),
        (
            "lun-ven 9-12; giovedì anche 14.30-16.30",
            hours(rules(MON_FRI, "09:00", "12:00"), rules("3", "14:30", "16:30")),
        ),
        # Repeated days and groups collapse into one rule each.
        ("lun, lun, ven 9-12; lun 9-12", hours(rules("0,4", "09:00", "12:00"))),
    ],
)
def test_schedules(text: str, expected: ParsedHours) -> None:
    assert parse_opening_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ven-lun 9-12", hours(rules("0,4,5,6", "09:00", "12:00"))),  # wraps around Sunday
        ("lun-mer-ven 9-12", hours(rules("0,2,4", "09:00", "12:00"))),  # a list, not a range
        ("lun-mer, ven 9-12", hours(rules("0-2", "09:00", "12:00"), rules("4", "09:00", "12:00"))),
        ("lun – ven 9–12", hours(rules(MON_FRI, "09:00", "12:00"))),
        ("lun. - ven. 9-12", hours(rules(MON_FRI, "09:00", "12:00"))),
        ("Lun-Ven: 9-12", hours(rules(MON_FRI, "09:00", "12:00"))),
        ("da lunedì a venerdì 9-12", hours(rules(MON_FRI, "09:00", "12:00"))),
        ("LUNEDÌ 9-12", hours(rules("0", "09:00", "12:00"))),
        ("lunedi 9-12", hours(rules("0", "09:00", "12:00"))),
        ("lunedi' 9-12", hours(rules("0", "09:00", "12:00"))),
        ("il martedì e il giovedì 9-12", hours(rules("1,3", "09:00", "12:00"))),
        ("sabato e domenica 10-12", hours(rules("5,6", "10:00", "12:00"))),
        ("ogni giorno 8-20", hours(rules("0-6", "08:00", "20:00"))),
        ("7 giorni su 7 8-20", hours(rules("0-6", "08:00", "20:00"))),
    ],
)
def test_day_syntax(text: str, expected: ParsedHours) -> None:
    assert parse_opening_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "opens", "closes"),
    [
        ("lun 9-12", "09:00", "12:00"),
        ("lun 9.00-12.30", "09:00", "12:30"),
        ("lun 9:00-12:30", "09:00", "12:30"),
        ("lun 09.30-12", "09:30", "12:00"),
        ("lun 9,30-12,30", "09:30", "12:30"),
        ("lun 9.00 - 12.30", "09:00", "12:30"),
        ("lun 9–12", "09:00", "12:00"),
        ("lun ore 9-12", "09:00", "12:00"),
        ("lun dalle 9 alle 12", "09:00", "12:00"),
        ("lun dalle ore 9.30 alle ore 12", "09:30", "12:00"),
        ("lun 18-24", "18:00", "23:59"),
        ("lun 20-0", "20:00", "23:59"),
        ("lun h24", "00:00", "23:59"),
    ],
)
def test_time_syntax(text: str, opens: str, closes: str) -> None:
    assert parse_opening_hours(text) == hours(rules("0", opens, closes))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A comma glued between two ranges separates them; inside "9,30" it is a decimal.
        (
            "lun-ven 9-12,14-16",
            hours(rules(MON_FRI, "09:00", "12:00"), rules(MON_FRI, "14:00", "16:00")),
        ),
        # Bare times at the start of a clause reuse the previous days (and label).
        (
            "lun-ven 9-12; 14-16",
            hours(rules(MON_FRI, "09:00", "12:00"), rules(MON_FRI, "14:00", "16:00")),
        ),
        (
            "segreteria lun-ven 9-12; 14-16",
            hours(
                rules(MON_FRI, "09:00", "12:00", "segreteria"),
                rules(MON_FRI, "14:00", "16:00", "segreteria"),
            ),
        ),
        ("segreteria martedì e giovedì 14-17", hours(rules("1,3", "14:00", "17:00", "segreteria"))),
        ("segreteria lun-ven 8.00-13.00", hours(rules(MON_FRI, "08:00", "13:00", "segreteria"))),
        ("Segreteria: lun-ven 9-12", hours(rules(MON_FRI, "09:00", "12:00", "segreteria"))),
        (
            "sportello donne lun 9-12, mer 14-16",
            hours(
                rules("0", "09:00", "12:00", "sportello donne"),
                rules("2", "14:00", "16:00", "sportello donne"),
            ),
        ),
        ("orario: lun 9-12", hours(rules("0", "09:00", "12:00"))),  # not a label
    ],
)
def test_groups_and_labels(text: str, expected: ParsedHours) -> None:
    assert parse_opening_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("h24", hours(always_open=True)),
        ("24 ore su 24, 7 giorni su 7", hours(always_open=True)),
        ("24/7", hours(always_open=True)),
        ("7 giorni su 7", hours(always_open=True)),
        ("sempre aperto", hours(always_open=True)),
        ("tutti i giorni h24", hours(always_open=True)),
        ("su appuntamento", hours(by_appointment=True)),
        ("solo su appuntamento", hours(by_appointment=True)),
        ("su convocazione", hours(by_appointment=True)),
        ("su prenotazione", hours(by_appointment=True)),
        ("colloqui su appuntamento", hours(by_appointment=True)),
        ("chiuso ad agosto", hours(closed_months=[8])),
        ("chiuso a luglio e agosto", hours(closed_months=[7, 8])),
        ("chiuso nel mese di agosto", hours(closed_months=[8])),
        ("chiuso da luglio a settembre", hours(closed_months=[7, 8, 9])),
        (
            "Martedì e giovedì 9-12, solo su convocazione",
            hours(rules("1,3", "09:00", "12:00"), by_appointment=True),
        ),
        (
            "dal lunedì al venerdì 8:30-12:30, solo su appuntamento",
            hours(rules(MON_FRI, "08:30", "12:30"), by_appointment=True),
        ),
        (
            "lunedì e mercoledì 9-12, su appuntamento",
            hours(rules("0,2", "09:00", "12:00"), by_appointment=True),
        ),
        (
            "mar-gio 9-12 e 14-17 (chiuso ad agosto)",
            hours(
                rules("1-3", "09:00", "12:00"), rules("1-3", "14:00", "17:00"), closed_months=[8]
            ),
        ),
    ],
)
def test_flags(text: str, expected: ParsedHours) -> None:
    assert parse_opening_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "corsi al mattino, al pomeriggio e alla sera; segreteria lun-ven 9-12",
            hours(
                rules(MON_FRI, "09:00", "12:00", "segreteria"),
                unparsed=["corsi al mattino, al pomeriggio e alla sera"],
            ),
        ),
        (
            "docce lun-mer-ven mattina; vestiti martedì 14.30-16.30",
            hours(rules("1", "14:30", "16:30", "vestiti"), unparsed=["docce lun-mer-ven mattina"]),
        ),
        (
            "lun-ven 9-13 e 14-18; reperibilità per le emergenze",
            hours(
                rules(MON_FRI, "09:00", "13:00"),
                rules(MON_FRI, "14:00", "18:00"),
                unparsed=["reperibilità per le emergenze"],
            ),
        ),
        ("24 ore su 24 in emergenza", hours(always_open=True, unparsed=["in emergenza"])),
        (
            "Numero Verde attivo 24 ore su 24",
            hours(always_open=True, unparsed=["Numero Verde attivo"]),
        ),
        (
            "un pomeriggio a settimana, su appuntamento",
            hours(by_appointment=True, unparsed=["un pomeriggio a settimana"]),
        ),
        (
            "su appuntamento (prenotazione online o telefonica)",
            hours(by_appointment=True, unparsed=["prenotazione online o telefonica"]),
        ),
        (
            "lun-ven (escluso festivi) 9-12",
            hours(rules(MON_FRI, "09:00", "12:00"), unparsed=["escluso festivi"]),
        ),
        # Bare times after something not understood must not borrow earlier days.
        (
            "mar 9-12; lun pomeriggio 14-16",
            hours(rules("1", "09:00", "12:00"), unparsed=["lun pomeriggio 14-16"]),
        ),
    ],
)
def test_partly_understood(text: str, expected: ParsedHours) -> None:
    assert parse_opening_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "unparsed"),
    [
        (
            "mattina, dal lunedì al venerdì (verificare i giorni dedicati alle domande di asilo)",
            [
                "mattina, dal lunedì al venerdì",
                "verificare i giorni dedicati alle domande di asilo",
            ],
        ),
        ("martedì e giovedì pomeriggio", None),
        ("orari dell'ufficio postale", None),
        ("nelle date indicate nella convocazione", None),
        ("lezioni pomeridiane e serali", None),
        ("presenza educativa tutti i giorni", None),
        ("calendario concordato con i CAS", None),
        (
            "alcune sere a settimana; più uscite nei mesi freddi",
            ["alcune sere a settimana", "più uscite nei mesi freddi"],
        ),
        ("su richiesta della scuola", None),
        ("apertura serale e notturna: ingresso la sera, uscita al mattino", None),
        ("ritiro settimanale nel giorno indicato dalla struttura di riferimento", None),
        ("orari di segreteria di ogni scuola", None),
        ("chiuso il sabato", None),
        ("marzo 9-12", None),  # "mar" is Tuesday, "marzo" is not a day
        ("14-16", None),  # times with no days anywhere
        ("dalle 9 alle 12", None),
    ],
)
def test_not_a_schedule(text: str, unparsed: list[str] | None) -> None:
    assert parse_opening_hours(text) == ParsedHours(unparsed=unparsed or [text])


@pytest.mark.parametrize(
    "text",
    ["lun-ven 12-9", "lun-ven 25-26", "lun-ven 9.75-12", "lun 9.3-12", "lun 24-26", "lun 9-9"],
)
def test_invalid_times_are_unparsed(text: str) -> None:
    assert parse_opening_hours(text) == ParsedHours(unparsed=[text])


def test_invalid_range_next_to_a_valid_one() -> None:
    assert parse_opening_hours("lun-ven 9-12 e 14-25") == hours(
        rules(MON_FRI, "09:00", "12:00"), unparsed=["14-25"]
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty(text: str) -> None:
    assert parse_opening_hours(text) == ParsedHours()


def _random_text(seed: int, alphabet: str, size: int = 10_000) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(alphabet) for _ in range(size))


def _random_tokens(seed: int) -> str:
    words = ["lun", "mar", "-", "9", "12", ",", "e", "dalle", "alle", "ore", "h24", "chiuso"]
    words += ["agosto", "(", ")", ";", ". ", "anche", "tutti i giorni", "segreteria", "9,30"]
    rnd = random.Random(seed)
    return " ".join(rnd.choice(words) for _ in range(2500))[:10_000]


@pytest.mark.parametrize(
    "text",
    [
        _random_text(1, "lunmartedìgvsbo0123456789 .,;:-/()eaàh–—’'😀ع"),
        _random_text(2, "0123456789-.:, "),
        _random_tokens(3),
        _random_tokens(4),
        "😀" * 10_000,
        "مرحبا بكم، نحن مفتوحون " * 400,
        ".,;:-/()!?" * 1000,
        "()",
        " ; ",
        "...",
        "lun, " * 2000,
        "lun-" * 2500,
        "(" * 5000 + ")" * 5000,
        "lun 9-12; " + "25-26, " * 1400,
    ],
)
def test_any_input_is_parsed_or_reported(text: str) -> None:
    result = parse_opening_hours(text)
    # Nothing is silently dropped: non-blank text always yields something.
    assert result.rules or result.always_open or result.by_appointment or result.unparsed
    assert all(0 <= r.weekday <= 6 and r.opens < r.closes for r in result.rules)
    assert result.rules == sorted(set(result.rules), key=_order)
    assert all(fragment and fragment == fragment.strip() for fragment in result.unparsed)


@pytest.mark.parametrize(
    "text",
    ["!!!", "😀😀", "مرحبا", "...", "-", "()"],
)
def test_symbols_only_are_unparsed(text: str) -> None:
    assert parse_opening_hours(text) == ParsedHours(unparsed=[text])


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("lun-ven 9-12", True),
        ("su appuntamento", True),
        ("", True),
        ("martedì e giovedì pomeriggio", False),
        ("24 ore su 24 in emergenza", False),
        ("lun-ven 9-12; reperibilità per le emergenze", False),
    ],
)
def test_understood_iff_nothing_unparsed(text: str, understood: bool) -> None:
    result = parse_opening_hours(text)
    assert result.understood is understood
    assert result.understood is (not result.unparsed)


def test_understood_property() -> None:
    assert ParsedHours().understood is True
    assert ParsedHours(unparsed=["x"]).understood is False

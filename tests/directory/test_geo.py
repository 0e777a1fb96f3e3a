"""Distances and map links."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from pertutti.directory.geo import (
    EARTH_RADIUS_KM,
    directions_url,
    distance_km,
    format_distance,
    osm_url,
    parse_position,
)

LODI = (Decimal("45.314200"), Decimal("9.503600"))
CODOGNO = (Decimal("45.160000"), Decimal("9.705000"))


def test_distance_lodi_codogno() -> None:
    # Checked by hand: 0.1542° of latitude is 17.15 km, 0.2014° of longitude at 45.24° N is
    # 15.77 km, and the hypotenuse is 23.30 km.
    assert distance_km(*LODI, *CODOGNO) == pytest.approx(23.3, abs=0.3)


def test_distance_is_symmetric_and_accepts_floats() -> None:
    there = distance_km(*LODI, *CODOGNO)
    assert distance_km(*CODOGNO, *LODI) == pytest.approx(there, rel=1e-12)
    assert distance_km(45.3142, 9.5036, 45.16, 9.705) == pytest.approx(there, rel=1e-12)


def test_zero_distance() -> None:
    assert distance_km(*LODI, *LODI) == 0.0


@pytest.mark.parametrize(
    "points",
    [
        (0.0, 0.0, 0.0, 180.0),
        (45.3142, 9.5036, -45.3142, -170.4964),
        (90.0, 0.0, -90.0, 0.0),
    ],
)
def test_antipodes_are_half_the_circumference(points: tuple[float, float, float, float]) -> None:
    assert distance_km(*points) == pytest.approx(math.pi * EARTH_RADIUS_KM, abs=1e-6)


def test_one_degree_of_latitude() -> None:
    assert distance_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (0.0, ("m", 50)),
        (0.024, ("m", 50)),
        (0.049, ("m", 50)),
        (0.074, ("m", 50)),
        (0.075, ("m", 100)),
        (0.35, ("m", 350)),
        (0.974, ("m", 950)),
        (0.975, ("km", 1.0)),
        (0.999, ("km", 1.0)),
        (1.0, ("km", 1.0)),
        (1.25, ("km", 1.3)),
        (9.94, ("km", 9.9)),
        (9.95, ("km", 10)),
        (10.0, ("km", 10)),
        (12.5, ("km", 13)),
        (123.4, ("km", 123)),
        (-1.0, ("m", 50)),
    ],
)
def test_format_distance(km: float, expected: tuple[str, int | float]) -> None:
    unit, number = format_distance(km)
    assert (unit, number) == expected
    # The template formats ints and floats differently ("10" versus "10,0").
    assert type(number) is type(expected[1])


@pytest.mark.parametrize(
    ("label", "escaped"),
    [
        ("Caritas Lodi", "Caritas%20Lodi"),
        ("Sportello A & B", "Sportello%20A%20%26%20B"),
        ("L'ufficio", "L%27ufficio"),
        ("مركز", "%D9%85%D8%B1%D9%83%D8%B2"),
        ("a/b?c#d(e)", "a%2Fb%3Fc%23d%28e%29"),
    ],
)
def test_directions_url_escapes_label(label: str, escaped: str) -> None:
    assert directions_url(*LODI, label) == (f"geo:45.3142,9.5036?q=45.3142,9.5036({escaped})")


@pytest.mark.parametrize(
    ("lat", "lon", "point"),
    [
        (Decimal("45.000000"), Decimal("9.000000"), "45,9"),
        (Decimal("-0.000000"), Decimal("0.000001"), "0,0.000001"),
        (Decimal("45.1234567"), Decimal("-9.1234564"), "45.123457,-9.123456"),
        (45.31420049, 9.5, "45.3142,9.5"),
        (Decimal("1E+1"), Decimal("1E-7"), "10,0"),
    ],
)
def test_directions_url_coordinates(lat: Decimal | float, lon: Decimal | float, point: str) -> None:
    assert directions_url(lat, lon, "x") == f"geo:{point}?q={point}(x)"


def test_osm_url() -> None:
    assert osm_url(*LODI) == (
        "https://www.openstreetmap.org/?mlat=45.3142&mlon=9.5036#map=17/45.3142/9.5036"
    )
    assert osm_url(*CODOGNO, zoom=12) == (
        "https://www.openstreetmap.org/?mlat=45.16&mlon=9.705#map=12/45.16/9.705"
    )


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("45.3142", "9.5036", (45.3142, 9.5036)),
        (" 45.3142 ", "+9.5", (45.3142, 9.5)),
        ("-90", "-180", (-90.0, -180.0)),
        ("90", "180", (90.0, 180.0)),
        (".5", "5.", (0.5, 5.0)),
        ("1e-7", "0", (1e-7, 0.0)),
    ],
)
def test_parse_position(lat: str, lon: str, expected: tuple[float, float]) -> None:
    assert parse_position(lat, lon) == expected


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (None, "9.5"),
        ("45.3", None),
        (None, None),
        ("", "9.5"),
        ("45.3", ""),
        ("abc", "9.5"),
        ("nan", "9.5"),
        ("45.3", "NaN"),
        ("inf", "9.5"),
        ("-infinity", "9.5"),
        ("91", "9.5"),
        ("-90.0001", "9.5"),
        ("45.3", "181"),
        ("45.3", "-180.5"),
        ("1e309", "9.5"),
        ("45.3", "-1e309"),
        ("4" * 10_000, "9.5"),
        ("45.3", "0." + "1" * 40),
        ("45,3", "9.5"),
        ("4_5", "9.5"),
        ("٤٥", "9.5"),  # Arabic-Indic digits: float() takes them, a query string should not
        ("0x1p3", "9.5"),
        ("45.3 9.5", "9.5"),
    ],
)
def test_parse_position_refuses(lat: str | None, lon: str | None) -> None:
    assert parse_position(lat, lon) is None

"""Distances and map links for locations: pure functions, no GIS dependency."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

# Mean Earth radius (IUGG), the usual choice for haversine.
EARTH_RADIUS_KM = 6371.0088

# Longer query-string values are refused unread: no coordinate needs more.
MAX_POSITION_CHARS = 32

# ASCII digits only: float() also accepts "1_000", "nan", "infinity" and non-Latin digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def distance_km(
    lat1: Decimal | float, lon1: Decimal | float, lat2: Decimal | float, lon2: Decimal | float
) -> float:
    """Great-circle distance by the haversine formula."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # Rounding can push `a` just past 1 near the antipodes, where asin would raise.
    a = min(1.0, max(0.0, a))
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _round_half_up(value: Decimal, step: str) -> Decimal:
    return value.quantize(Decimal(step), rounding=ROUND_HALF_UP)


def format_distance(km: float) -> tuple[str, int | float]:
    """A unit and a number for display; the template localises the number.

    Rounding is half-up on the decimal text of `km` (not on its binary value), so 9.95 km
    reads "10 km" and 0.975 km reads "1 km" rather than "1000 m".
    """
    value = Decimal(repr(max(0.0, float(km))))
    metres = _round_half_up(value * 1000 / 50, "1") * 50
    if metres < 1000:
        return ("m", max(50, int(metres)))
    tenths = _round_half_up(value, "0.1")
    if tenths < 10:
        return ("km", float(tenths))
    return ("km", int(_round_half_up(value, "1")))


def _coordinate(value: Decimal | float) -> str:
    """At most 6 decimals (about 10 cm), trailing zeros dropped, never exponent notation."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = f"{_round_half_up(number, '0.000001'):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def directions_url(lat: Decimal | float, lon: Decimal | float, label: str) -> str:
    """A geo: URI (RFC 5870 with the Android "q" query) that opens the phone's map app."""
    point = f"{_coordinate(lat)},{_coordinate(lon)}"
    return f"geo:{point}?q={point}({quote(label, safe='')})"


def osm_url(lat: Decimal | float, lon: Decimal | float, zoom: int = 17) -> str:
    """The OpenStreetMap page with a marker on the point."""
    la, lo = _coordinate(lat), _coordinate(lon)
    return f"https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map={zoom}/{la}/{lo}"


def _parse_number(text: str | None) -> float | None:
    if not isinstance(text, str) or len(text) > MAX_POSITION_CHARS:
        return None
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def parse_position(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """A (latitude, longitude) from query-string text, or None when it is not a valid one."""
    latitude, longitude = _parse_number(lat), _parse_number(lon)
    if latitude is None or longitude is None:
        return None
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return (latitude, longitude)


# (south, west, north, east) in degrees: the visible area of a map.
BBox = tuple[float, float, float, float]


def parse_bbox(text: str | None) -> BBox:
    """`south,west,north,east` from query-string text; ValueError says what is wrong.
    An area across the antimeridian (west > east) is refused: no territory needs one."""
    if not text:
        raise ValueError("bbox is required: south,west,north,east in degrees")
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: south,west,north,east")
    numbers = [_parse_number(part) for part in parts]
    if any(number is None for number in numbers):
        raise ValueError("bbox must be four numbers: south,west,north,east")
    south, west, north, east = (float(n) for n in numbers if n is not None)
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError("bbox latitudes must be between -90 and 90")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError("bbox longitudes must be between -180 and 180")
    if south > north or west > east:
        raise ValueError("bbox is reversed: south must not exceed north, nor west east")
    return (south, west, north, east)

"""Phone numbers as written in the services spreadsheet."""

from __future__ import annotations

import pytest

from pertutti.directory.phones import Phone, parse_phone, parse_phone_list


@pytest.mark.parametrize(
    ("text", "number", "national", "tel_uri"),
    [
        ("02.94965244", "+390294965244", "02 9496 5244", "tel:+390294965244"),
        ("0371-123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("+39 0371 123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("0039 0371 123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("  0371 123456 ", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("0371/123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("(0371) 123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("tel:+390371123456", "+390371123456", "0371 123456", "tel:+390371123456"),
        ("800 290 290", "+39800290290", "800 290 290", "tel:+39800290290"),
        ("800290290", "+39800290290", "800 290 290", "tel:+39800290290"),
        ("333 1234567", "+393331234567", "333 123 4567", "tel:+393331234567"),
    ],
)
def test_parse_full_numbers(text: str, number: str, national: str, tel_uri: str) -> None:
    phone = parse_phone(text)
    assert phone == Phone(number, is_short_code=False)
    assert phone.national() == national
    assert phone.tel_uri() == tel_uri


@pytest.mark.parametrize("text", ["1522", "112", "118", "115", " 1522 "])
def test_parse_short_codes(text: str) -> None:
    phone = parse_phone(text)
    assert phone == Phone(text.strip(), is_short_code=True)
    assert phone.national() == text.strip()
    assert phone.tel_uri() == f"tel:{text.strip()}"


def test_foreign_number_keeps_its_country_prefix_for_display() -> None:
    phone = parse_phone("+44 20 7946 0958")
    assert phone.number == "+442079460958"
    assert phone.national() == "+44 20 7946 0958"
    assert phone.national(region="GB") == "020 7946 0958"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("123", "invalid phone number: '123'"),
        ("+39 12", "invalid phone number: '+39 12'"),
        ("+39 112", "invalid phone number: '+39 112'"),
        ("0039 1522", "invalid phone number: '0039 1522'"),
        ("abc", "not a phone number: 'abc'"),
        ("0371 123456 int. 2", "not a phone number: '0371 123456 int. 2'"),
        ("0371 123456 (segreteria)", "not a phone number: '0371 123456 (segreteria)'"),
        ("", "empty phone number"),
        ("   ", "empty phone number"),
    ],
)
def test_parse_phone_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_phone(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1522; 112", ["1522", "112"]),
        ("0371 1234 / 0371 5678", ["0371 1234", "0371 5678"]),
        ("02.94965244", ["02.94965244"]),
        ("0371-123456", ["0371-123456"]),
        ("0371 123456, 333 1234567", ["0371 123456", "333 1234567"]),
        ("800 290 290 oppure 0371 123456", ["800 290 290", "0371 123456"]),
        ("0371 123456 o 0371 654321", ["0371 123456", "0371 654321"]),
        ("0371 123456 O 0371 654321", ["0371 123456", "0371 654321"]),
        ("0371 123456\n0371 654321", ["0371 123456", "0371 654321"]),
        ("1522/112", ["1522", "112"]),
        # A slash after an area code joins prefix and subscriber number: one number.
        ("0371/123456", ["0371 123456"]),
        ("0371 / 123456", ["0371 123456"]),
        ("333/1234567", ["333 1234567"]),
        ("0371 1234 / 0371/5678", ["0371 1234", "0371 5678"]),
        ("+39 0371 123456", ["+39 0371 123456"]),
        ("", []),
        (" ; ", []),
    ],
)
def test_parse_phone_list(text: str, expected: list[str]) -> None:
    assert parse_phone_list(text) == expected


def test_every_piece_of_a_list_parses() -> None:
    numbers = [parse_phone(t).number for t in parse_phone_list("0371 1234 / 0371 5678; 1522")]
    assert numbers == ["+3903711234", "+3903715678", "1522"]

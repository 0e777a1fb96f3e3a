"""Telephone numbers: parsing the spreadsheet's cells and displaying them on public pages.

Full numbers are stored in E.164 so that they compare equal however they were written;
short codes (112, 118, 1522, ...) have no E.164 form and are stored as their digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo

if TYPE_CHECKING:
    from pertutti.territories.models import Territory

# Only what people use to write a number. Letters are refused so that trailing words such as
# "int. 2" or "(segreteria)" are reported instead of being silently dropped by phonenumbers.
_ALLOWED_CHARS = re.compile(r"[0-9+().\-/\s]+")
_SHORT_CODE_CHARS = re.compile(r"[0-9][0-9 .\-]*")
_TEL_PREFIX = re.compile(r"^tel:\s*", re.IGNORECASE)

# Separators between numbers in one cell. "-" and "." are not separators: they occur inside
# numbers ("0371-123456", "02.94965244").
_LIST_SEPARATOR = re.compile(r"\s*[;,/\n]\s*|\s+(?:oppure|o|e)\s+", re.IGNORECASE)

# "0371/123456" and "333/1234567" are one number written as prefix/subscriber, not two numbers:
# an Italian area code starts with 0 (a mobile prefix with 3) and a subscriber number never
# starts with 0 or +, so the slash is joined back with a space before splitting.
_PREFIX_SLASH = re.compile(
    r"(^|[;,/\n]|\b(?:oppure|o|e)\b)(\s*)(0\d{1,4}|3\d{2})\s*/\s*(?=[1-9])", re.IGNORECASE
)


@dataclass(frozen=True)
class Phone:
    number: str  # E.164 for full numbers, the bare digits for short codes
    is_short_code: bool

    def national(self, region: str = "IT") -> str:
        """Display form; a number from another country keeps its prefix so it can be dialled."""
        if self.is_short_code:
            return self.number
        parsed = phonenumbers.parse(self.number, None)
        if parsed.country_code == phonenumbers.country_code_for_region(region):
            return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)

    def tel_uri(self) -> str:
        return f"tel:{self.number}"


def parse_phone(text: str, region: str = "IT") -> Phone:
    """Parse one number; raise ValueError (English message) when it is not a valid number."""
    raw = _TEL_PREFIX.sub("", text.strip())
    if not raw:
        raise ValueError("empty phone number")
    if not _ALLOWED_CHARS.fullmatch(raw) or not any(c.isdigit() for c in raw):
        raise ValueError(f"not a phone number: {text.strip()!r}")
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {text.strip()!r}") from exc
    if phonenumbers.is_valid_number(parsed):
        return Phone(phonenumbers.format_number(parsed, PhoneNumberFormat.E164), False)
    # A short code is dialled as bare digits within the country: "+39 112" or "0039 112" is not
    # a way of writing it, so any international prefix rules it out.
    if (
        _SHORT_CODE_CHARS.fullmatch(raw)
        and not raw.startswith("00")
        and shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    ):
        return Phone(re.sub(r"\D", "", raw), True)
    raise ValueError(f"invalid phone number: {text.strip()!r}")


def emergency_phones(territory: Territory) -> list[tuple[Phone, str]]:
    """The territory's emergency numbers (checked when its settings were saved), each parsed
    in its region, with its kind ("general", "violence", ...): the public strip, the booklet
    covers and the posters show the same numbers the same way."""
    return [
        (parse_phone(item["number"], territory.phone_region), item["kind"])
        for item in territory.emergency_numbers
    ]


def parse_phone_list(text: str, region: str = "IT") -> list[str]:
    """Split a cell into the texts of its numbers, in order, without validating them.

    `region` is unused today; it is accepted so callers pass the same arguments as to parse_phone.
    """
    del region
    joined = _PREFIX_SLASH.sub(r"\1\2\3 ", text.strip())
    return [part.strip() for part in _LIST_SEPARATOR.split(joined) if part.strip()]

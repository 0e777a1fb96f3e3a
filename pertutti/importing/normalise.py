"""Per-cell normalisation for the services spreadsheet ("mappatura dei servizi territoriali").

Every parse function returns a value or raises CellError with an Italian and an English message
that quote the offending value and say what is expected. Nothing here imports Django: the
importer decides what to do with errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit


class CellError(Exception):
    """A cell that cannot be imported; both messages are shown to whoever fixes the sheet."""

    def __init__(self, message_it: str, message_en: str) -> None:
        super().__init__(message_it, message_en)
        self.message_it = message_it
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message_en


@dataclass(frozen=True)
class CellWarning:
    message_it: str
    message_en: str


_QUOTE_LIMIT = 80


def _shorten(value: str) -> str:
    # Messages quote the cell; a whole paragraph would drown the message.
    return value if len(value) <= _QUOTE_LIMIT else value[: _QUOTE_LIMIT - 1] + "…"


def _q_it(value: str) -> str:
    return f"«{_shorten(value)}»"


def _q_en(value: str) -> str:
    return f"“{_shorten(value)}”"


def _fold(text: str) -> str:
    """Lowercase, accents stripped, anything but letters and digits turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", bare).split())


# ---------------------------------------------------------------------------------------------
# Text

_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def _number_text(value: float | Decimal) -> str:
    # XLSX has no integers: 26900 arrives as 26900.0 and must not become "26900.0".
    integral = (
        value == value.to_integral_value() if isinstance(value, Decimal) else value.is_integer()
    )
    return str(int(value)) if integral else str(value)


def clean_text(value: object) -> str:
    """Any cell value as plain, tidy text; HTML stays as typed (escaping is the templates' job)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # most cells: no conversion
        text = value
    elif isinstance(value, bool):  # before int: bool is an int subclass
        text = "VERO" if value else "FALSO"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float | Decimal):
        text = _number_text(value) if value == value else ""  # NaN is an empty cell
    elif isinstance(value, dt.datetime):  # before date: datetime is a date subclass
        # XLSX stores dates as datetimes at midnight; a real time of day is kept, not dropped.
        if value.time() == dt.time(0, 0):
            text = value.date().isoformat()
        else:
            text = value.isoformat(sep=" ", timespec="minutes")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, dt.time):
        text = value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    else:
        text = str(value)
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    # Control (Cc) and invisible format (Cf: zero-width, BOM, bidi overrides) characters are
    # removed; they break matching and can disguise text.
    # Fast path: printable text has none of them (a 20,000-row file reads in a second).
    if not text.replace("\n", "").isprintable():
        text = "".join(
            c for c in text if c == "\n" or unicodedata.category(c) not in {"Cc", "Cf", "Cs"}
        )
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return unicodedata.normalize("NFC", "\n".join(lines).strip())


# ---------------------------------------------------------------------------------------------
# Languages

# ISO 639-1 code -> names people write (Italian masculine forms and variants, English names).
# Italian feminine forms ("araba", "lingua italiana") are derived in _language_names().
_LANGUAGE_NAMES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "it": ("italiano", "italian"),
        "en": ("inglese", "english"),
        "fr": ("francese", "french"),
        "es": ("spagnolo", "castigliano", "spanish"),
        "de": ("tedesco", "german"),
        "pt": ("portoghese", "portuguese"),
        "ro": ("rumeno", "romeno", "moldavo", "romanian"),
        "uk": ("ucraino", "ukrainian"),
        "ru": ("russo", "russian"),
        "pl": ("polacco", "polish"),
        "sq": ("albanese", "albanian"),
        "el": ("greco", "greek"),
        "sr": ("serbo", "serbian"),
        "hr": ("croato", "croatian"),
        "bs": ("bosniaco", "bosnian"),
        "bg": ("bulgaro", "bulgarian"),
        "mk": ("macedone", "macedonian"),
        "sl": ("sloveno", "slovenian"),
        "sk": ("slovacco", "slovak"),
        "cs": ("ceco", "czech"),
        "hu": ("ungherese", "hungarian"),
        "nl": ("olandese", "dutch"),
        "ka": ("georgiano", "georgian"),
        "hy": ("armeno", "armenian"),
        "tr": ("turco", "turkish"),
        "ku": ("curdo", "kurdish"),
        "ar": ("arabo", "arabic"),
        "he": ("ebraico", "hebrew"),
        "fa": ("farsi", "persiano", "persian"),
        "ps": ("pashto", "pashtu", "pashtun", "pasthu"),
        "ur": ("urdu",),
        "pa": ("punjabi", "panjabi"),
        "hi": ("hindi",),
        "bn": ("bengalese", "bengali", "bangla"),
        "ne": ("nepalese", "nepali"),
        "si": ("singalese", "cingalese", "sinhala", "sinhalese"),
        "ta": ("tamil",),
        "ml": ("malayalam",),
        "zh": ("cinese", "mandarino", "chinese", "mandarin"),
        "ja": ("giapponese", "japanese"),
        "ko": ("coreano", "korean"),
        "vi": ("vietnamita", "vietnamese"),
        "th": ("thailandese", "thai"),
        "id": ("indonesiano", "indonesian"),
        "ms": ("malese", "malay"),
        "tl": ("filippino", "tagalog", "filipino"),
        "ti": ("tigrino", "tigrinya"),
        "am": ("amarico", "amharic"),
        "so": ("somalo", "somali"),
        "om": ("oromo",),
        "sw": ("swahili",),
        "wo": ("wolof",),
        "ha": ("hausa",),
        "yo": ("yoruba",),
        "ig": ("igbo",),
        "ff": ("peul", "fula", "fulani", "pular"),
        "bm": ("bambara",),
        "ln": ("lingala",),
        "tw": ("twi",),
    }
)

# All ISO 639-1 codes, so that "IT/EN/AR" works for languages not named above too.
_ISO_639_1_TEXT = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la
    lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj
    om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv
    sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh
    zu"""
_ISO_639_1: frozenset[str] = frozenset(_ISO_639_1_TEXT.split())

# Three-letter abbreviations common on Italian forms ("ITA/ENG").
_THREE_LETTER_CODES: MappingProxyType[str, str] = MappingProxyType(
    {
        "ita": "it",
        "eng": "en",
        "fra": "fr",
        "fre": "fr",
        "spa": "es",
        "esp": "es",
        "deu": "de",
        "ger": "de",
        "ted": "de",
        "por": "pt",
        "rus": "ru",
        "ukr": "uk",
        "rum": "ro",
        "ron": "ro",
        "alb": "sq",
        "sqi": "sq",
        "ara": "ar",
        "chi": "zh",
        "zho": "zh",
        "urd": "ur",
    }
)

# Two-letter Italian words that are also ISO codes ("no" Norwegian, "si" Sinhala): alone in a
# cell they are answers, not languages.
_CODE_LOOKALIKE_WORDS = frozenset({"si", "no"})

# Top-level separators between languages. Hyphens only count with spaces around them, so that
# "serbo-croato" or "linguistico-culturali" stay whole.
_LANGUAGE_SEPARATOR = re.compile(
    r"\s*[,;/+\n]\s*|\s+(?:e|ed|o|oppure|and|or)\s+|\s+[-–—]\s+", re.IGNORECASE
)
_LANGUAGE_LABEL = re.compile(r"^\s*lingu[ae](?:\s+parlat[ae])?\s*:\s*", re.IGNORECASE)
_LANGUAGE_PREFIX = re.compile(r"^(?:lingua|lingue|in)\s+")
_PARENTHESISED = re.compile(r"(?P<main>[^()]*?)\s*\((?P<qualifier>.*)\)\s*\.?", re.DOTALL)
# A qualifier about availability on the last language of a list is read as applying to the
# whole list ("..., francese (secondo disponibilità)"): that is the cautious reading.
_AVAILABILITY = re.compile(r"disponibil|richiesta|bisogno|necessit|occorrenz")


def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, words in _LANGUAGE_NAMES.items():
        for word in words:
            names[word] = code
            if word.endswith("o"):
                names.setdefault(word[:-1] + "a", code)  # "araba", "lingua italiana"
    return names


def _split_top_level(text: str) -> list[tuple[str, str]]:
    """Split on separators outside parentheses; return (segment, separator that follows it)."""
    depth_at: list[int] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        depth_at.append(depth)
        if char in ")]":
            depth = max(0, depth - 1)
    parts: list[tuple[str, str]] = []
    start = 0
    for match in _LANGUAGE_SEPARATOR.finditer(text):
        if depth_at[match.start()] or (match.end() > 0 and depth_at[match.end() - 1]):
            continue
        parts.append((text[start : match.start()], match.group()))
        start = match.end()
    parts.append((text[start:], ""))
    return [(segment.strip(), separator) for segment, separator in parts if segment.strip()]


def _code_token(word: str) -> str | None:
    """The ISO 639-1 code a 2- or 3-letter token stands for, if any."""
    lowered = word.lower()
    if len(lowered) == 2 and lowered in _ISO_639_1:
        return lowered
    return _THREE_LETTER_CODES.get(lowered)


def _tidy_separator(separator: str) -> str:
    stripped = separator.strip()
    if not stripped:
        return " "
    if stripped in {",", ";"}:
        return stripped + " "
    if stripped == "/":
        return "/"
    return f" {stripped} "


def parse_languages(text: str) -> tuple[list[str], str]:
    """Return (ISO 639-1 codes in written order, deduplicated; note with everything else).

    Nothing is dropped: a segment that is not a language goes to the note, and so does a
    qualifier. A parenthesised qualifier becomes the note on its own when the cell names one
    language, or when it is about availability and sits on the last language (it then reads as
    applying to the whole list); otherwise the language is kept with it ("arabo (alcuni
    giorni)") so the note says which language it is about.
    """
    names = _language_names()
    segments = _split_top_level(_LANGUAGE_LABEL.sub("", text.strip()))

    def split_qualifier(segment: str) -> tuple[str, str | None]:
        match = _PARENTHESISED.fullmatch(segment)
        if match and match.group("main").strip():
            return match.group("main").strip(), match.group("qualifier").strip()
        return segment, None

    short_tokens = [
        main for main, _ in map(split_qualifier, (s for s, _ in segments)) if _code_token(main)
    ]
    looks_like_code_list = len(short_tokens) >= 2

    def code_for(main: str) -> tuple[str | None, bool]:
        """(code, whether the segment says more than the language name)."""
        token = main.strip().rstrip(".:")
        code = _code_token(token) if token.isalpha() else None
        if code and (
            looks_like_code_list or (token.isupper() and token.lower() not in _CODE_LOOKALIKE_WORDS)
        ):
            return code, False
        folded = _LANGUAGE_PREFIX.sub("", _fold(main))
        if folded in names:
            return names[folded], False
        first_word = folded.split(" ", 1)[0]
        if first_word in names and first_word != folded:
            return names[first_word], True  # "inglese base": a language plus words about it
        return None, False

    parsed: list[tuple[str, str, str | None, str | None, bool]] = []
    for segment, separator in segments:
        main, qualifier = split_qualifier(segment)
        code, extra = code_for(main)
        if code is None:
            qualifier, extra = None, True  # the whole segment is the note
        parsed.append((segment, separator, code, qualifier, extra))

    language_count = sum(1 for item in parsed if item[2])
    last_language_index = max((i for i, item in enumerate(parsed) if item[2]), default=-1)

    codes: list[str] = []
    notes: list[str] = []
    previous_was_plain_note = False
    previous_separator = ""
    for index, (segment, separator, code, qualifier, extra) in enumerate(parsed):
        if code is None:
            # Consecutive non-language segments were one phrase split by a separator such as
            # " e ": glue them back with the separator they had.
            if previous_was_plain_note:
                notes[-1] += _tidy_separator(previous_separator) + segment
            else:
                notes.append(segment)
            previous_was_plain_note = True
        else:
            if code not in codes:
                codes.append(code)
            if extra:
                notes.append(segment)
            elif qualifier:
                list_wide = index == last_language_index and _AVAILABILITY.search(_fold(qualifier))
                notes.append(qualifier if language_count == 1 or list_wide else segment)
            previous_was_plain_note = False
        previous_separator = separator
    return codes, "; ".join(notes)


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS: MappingProxyType[str, int] = MappingProxyType(
    {
        name: number
        for number, spellings in enumerate(
            (
                ("gennaio", "gen", "january", "jan"),
                ("febbraio", "feb", "february"),
                ("marzo", "mar", "march"),
                ("aprile", "apr", "april"),
                ("maggio", "mag", "may"),
                ("giugno", "giu", "june", "jun"),
                ("luglio", "lug", "july", "jul"),
                ("agosto", "ago", "august", "aug"),
                ("settembre", "set", "sett", "september", "sep", "sept"),
                ("ottobre", "ott", "october", "oct"),
                ("novembre", "nov", "november"),
                ("dicembre", "dic", "december", "dec"),
            ),
            start=1,
        )
        for name in spellings
    }
)

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# NFKD turns the ordinal "º" of "1º marzo" into "o".
_NAMED_MONTH = re.compile(r"(?:(\d{1,2})\s*[°o]?\s+)?([^\W\d_]+)\.?,?\s+(?:del\s+)?(\d{4})")
_YEARS = range(1900, 2101)


def _date_error(text: str) -> CellError:
    return CellError(
        f"data non valida: {_q_it(text)}; usare GG/MM/AAAA, AAAA-MM-GG, MM/AAAA "
        "o mese e anno (marzo 2025)",
        f"invalid date: {_q_en(text)}; use DD/MM/YYYY, YYYY-MM-DD, MM/YYYY "
        "or month and year (March 2025)",
    )


def parse_date(text: str) -> dt.date | None:
    """Parse a date; a month without a day means the first of that month."""
    value = text.strip()
    if not value:
        return None
    parts: tuple[int, int, int] | None = None
    if match := _ISO_DATE.fullmatch(value):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _DAY_MONTH_YEAR.fullmatch(value):
        parts = (int(match[4]), int(match[3]), int(match[1]))
    elif match := _MONTH_YEAR.fullmatch(value):
        parts = (int(match[2]), int(match[1]), 1)
    elif match := _ISO_MONTH.fullmatch(value):
        parts = (int(match[1]), int(match[2]), 1)
    elif (match := _NAMED_MONTH.fullmatch(_fold_keep_digits(value))) and match[2] in _MONTHS:
        parts = (int(match[3]), _MONTHS[match[2]], int(match[1] or 1))
    if parts is None or parts[0] not in _YEARS:
        raise _date_error(value)
    try:
        return dt.date(*parts)
    except ValueError as exc:  # "31/02/2025", month 13
        raise _date_error(value) from exc


def _fold_keep_digits(text: str) -> str:
    # Like _fold but keeps "°" and "." so the date pattern can see "1° marzo" and "mar. 2025".
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(bare.split())


# ---------------------------------------------------------------------------------------------
# E-mail and web addresses

_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_ASCII_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_ADDRESS_SPLIT = re.compile(r"[;,\s/]+")


def _valid_hostname(host: str) -> bool:
    """A public DNS name with at least two labels (IDN allowed)."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return (
        len(labels) >= 2
        and len(ascii_host) <= 253
        and all(_ASCII_LABEL.fullmatch(label) for label in labels)
        and bool(_TOP_LEVEL.fullmatch(labels[-1]))
    )


def parse_email(text: str) -> str:
    """One e-mail address per cell; the domain is lowercased, the local part left as written."""
    value = text.strip()
    if not value:
        return ""
    address = _MAILTO.sub("", value).strip()
    if address.count("@") > 1:
        pieces = [p for p in _ADDRESS_SPLIT.split(address) if "@" in p]
        if len(pieces) > 1:
            raise CellError(
                f"una sola e-mail per cella: {_q_it(value)}",
                f"only one e-mail address per cell: {_q_en(value)}",
            )
    local, at, domain = address.rpartition("@")
    if not (
        at
        and _LOCAL_PART.fullmatch(local)
        and len(local) <= 64
        and "@" not in local
        and not re.search(r"\s", domain)
        and _valid_hostname(domain)
    ):
        raise CellError(
            f"indirizzo e-mail non valido: {_q_it(value)}; atteso nome@dominio.it",
            f"invalid e-mail address: {_q_en(value)}; expected name@domain.it",
        )
    return f"{local}@{domain.lower()}"


# A scheme is letters then ":" not followed by a digit (that would be a port: "www.x.it:8080").
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?!\d)")
_URL_FORBIDDEN = re.compile(r"[\s<>\"`\\{}|^]")


def parse_url(text: str) -> str:
    """A public http(s) address; "www.x.it" gets "https://" in front."""
    value = text.strip()
    if not value:
        return ""

    def invalid() -> CellError:
        return CellError(
            f"indirizzo web non valido: {_q_it(value)}; atteso ad esempio www.esempio.it",
            f"invalid web address: {_q_en(value)}; expected e.g. www.example.it",
        )

    if _URL_FORBIDDEN.search(value):
        raise invalid()
    scheme_match = _SCHEME.match(value)
    if scheme_match and "." in scheme_match.group(1):
        scheme_match = None  # "comune.lodi.it:" is a host; the host check decides
    if scheme_match:
        if scheme_match.group(1).lower() not in {"http", "https"}:
            raise CellError(
                f"indirizzo web non valido: {_q_it(value)}; sono ammessi solo indirizzi "
                "http:// o https://",
                f"invalid web address: {_q_en(value)}; only http:// or https:// addresses "
                "are allowed",
            )
        if not value[scheme_match.end() :].startswith("//"):
            raise invalid()
        url = value
    else:
        url = "https://" + value
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise invalid() from exc
    host = parts.hostname or ""
    if "@" in parts.netloc or not _valid_hostname(host):
        raise invalid()  # user@host addresses are a phishing trick, not a service's site
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


# ---------------------------------------------------------------------------------------------
# Postcodes and coordinates


def parse_postcode(text: str | int) -> str:
    """An Italian CAP: exactly five digits. An int from XLSX is accepted but never zero-padded."""
    value = clean_text(text)
    if not value:
        return ""
    if not re.fullmatch(r"[0-9]{5}", value):
        raise CellError(
            f"CAP non valido: {_q_it(value)}; servono 5 cifre, ad esempio 26900",
            f"invalid postcode (CAP): {_q_en(value)}; 5 digits expected, e.g. 26900",
        )
    return value


_DECIMAL = re.compile(r"[+-]?\d{1,3}(?:[.,]\d+)?")


def _coordinate(text: str, name_it: str, name_en: str, limit: int, example: str) -> Decimal:
    if not _DECIMAL.fullmatch(text):
        raise CellError(
            f"{name_it} non valida: {_q_it(text)}; atteso un numero decimale come {example}",
            f"invalid {name_en}: {_q_en(text)}; expected a decimal number such as {example}",
        )
    number = Decimal(text.replace(",", "."))  # the pattern guarantees a valid Decimal
    if abs(number) > limit:
        raise CellError(
            f"{name_it} fuori intervallo: {_q_it(text)}; deve essere tra -{limit} e {limit}",
            f"{name_en} out of range: {_q_en(text)}; must be between -{limit} and {limit}",
        )
    return number


def parse_coordinate_pair(lat_text: str, lon_text: str) -> tuple[Decimal, Decimal] | None:
    """Decimal degrees, comma or point. Whether the point is in the territory is checked later."""
    lat, lon = lat_text.strip(), lon_text.strip()
    if not lat and not lon:
        return None
    if not lon:
        raise CellError(
            f"coordinate incomplete: latitudine {_q_it(lat)} senza longitudine",
            f"incomplete coordinates: latitude {_q_en(lat)} without longitude",
        )
    if not lat:
        raise CellError(
            f"coordinate incomplete: longitudine {_q_it(lon)} senza latitudine",
            f"incomplete coordinates: longitude {_q_en(lon)} without latitude",
        )
    return (
        _coordinate(lat, "latitudine", "latitude", 90, "45.3142"),
        _coordinate(lon, "longitudine", "longitude", 180, "9.5036"),
    )


# ---------------------------------------------------------------------------------------------
# Cost and access

_FREE_START = re.compile(r"^(?:gratuit|gratis|nessun costo|senza cost|nessuna spesa)")
# Any mention of money, a fee or a means test means "not free for everybody at the point of
# use". Words, not substrings: "euro" must not match "europeo" (Fondo sociale europeo).
_PAYMENT = re.compile(
    r"\b(?:a pagamento|pagament\w*|ticket|euro?|contribut\w*|marca da bollo|isee|quota|quote"
    r"|tariff\w*|rett[ae])\b|€"
)


def is_free_of_charge(cost_text: str) -> bool:
    """True iff the text starts by saying "free" and nowhere mentions a payment.

    Conditions on who qualifies ("gratuito per chi ha i requisiti") don't make it not free:
    eligibility is recorded elsewhere. An empty cell is unknown, hence not free.
    """
    folded = _fold_keep_digits(cost_text).strip()
    return bool(_FREE_START.match(folded)) and not _PAYMENT.search(folded)


@dataclass(frozen=True)
class AccessModes:
    walk_in: bool
    by_appointment: bool
    by_referral: bool
    online: bool
    by_phone: bool


# "senza prenotazione", "non è necessario l'appuntamento": walk-in, and removed before looking
# for appointment words so they don't count twice.
_NO_BOOKING = re.compile(
    r"\b(?:senza|non (?:serve|servono|occorre|occorrono|necessita|e (?:necessari[ao]|richiest[ao]"
    r"|obbligatori[ao])))(?: (?:obbligo|necessita|bisogno|alcun|alcuna|la|il|l|di|del|della"
    r"|prenotare))* (?:prenot\w*|appuntament\w*)"
)
_WALK_IN = re.compile(
    r"\baccesso (?:libero|diretto|spontaneo)\b|\blibero accesso\b"
    r"|\bpresentarsi\b(?! (?:all |al |alla )?(?:appuntament|convocazion|colloqui))"
)
_APPOINTMENT = re.compile(r"\b(?:appuntament\w*|prenot\w*|convoca\w*)")
# "tramite il portale" is a channel, not a referral, so channel words are excluded.
_CHANNELS = (
    r"portale|sito|numero|telefono|centralino|e ?mail|mail|posta|pec|modulo|app|applicazione"
    r"|piattaforma|spid|cie|form|whatsapp|compilazione|registrazione|iscrizione|domanda"
)
_REFERRAL = re.compile(
    r"\bsu (?:invio|segnalazione|indicazione)\b|\binserimento decis|\bimpegnativa\b"
    rf"|\b(?:tramite|attraverso) (?:il|la|i|l|lo|gli|le) (?!(?:{_CHANNELS})\b)\w+"
)
_ONLINE = re.compile(r"\bon ?line\b|\bportal[ei]\b|\bspid\b|\bpiattaforma\b")
_PHONE = re.compile(r"\btelefon\w*|\bchiam(?:are|ando|ata|ate)\b|\bnumero verde\b")


def parse_access_modes(text: str) -> AccessModes:
    """Read the "come accedere" cell; several modes may hold at once."""
    folded = _fold(text)
    without_negated_booking = _NO_BOOKING.sub(" ", folded)
    return AccessModes(
        walk_in=bool(_NO_BOOKING.search(folded) or _WALK_IN.search(folded)),
        by_appointment=bool(_APPOINTMENT.search(without_negated_booking)),
        by_referral=bool(_REFERRAL.search(folded)),
        online=bool(_ONLINE.search(folded)),
        by_phone=bool(_PHONE.search(folded)),
    )


# ---------------------------------------------------------------------------------------------
# Organisations

ORGANIZATION_KINDS: tuple[str, ...] = (
    "public_body",
    "health_authority",
    "police",
    "school",
    "municipality",
    "third_sector",
    "religious_body",
    "trade_union",
    "professional_body",
    "emergency_service",
    "other",
)

# First match wins, so the order encodes precedence: the legal nature named in the text beats
# the words describing who runs it ("Ente ecclesiastico / Comune" is religious; "Cooperativa
# sociale – ente accreditato" is third sector), and "pubblico" alone is the weakest clue because
# it also appears in "Scuola pubblica", "Azienda sanitaria pubblica", "pubblico-privata".
_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "religious_body",
        re.compile(
            r"\b(?:ecclesiastic\w*|religios\w*|diocesi|parrocchi\w*|caritas|chiesa|congregazion\w*"
            r"|confessional\w*|suore|frati)\b"
        ),
    ),
    (
        "professional_body",
        re.compile(r"\bordine (?:professionale|degli|dei|delle)\b|\bcollegio professionale\b"),
    ),
    ("trade_union", re.compile(r"\b(?:sindacat\w*|patronat\w*|cgil|cisl|uil|ugl|caf)\b")),
    (
        "third_sector",
        re.compile(
            r"\b(?:cooperativ\w*|associazion\w*|fondazion\w*|onlus|odv|aps|volontariato"
            r"|terzo settore|impresa sociale|ets)\b|\bcomunita\b(?! montan)"
        ),
    ),
    ("emergency_service", re.compile(r"\b(?:emergenz\w*|soccorso|vigili del fuoco)\b")),
    (
        "police",
        re.compile(r"\b(?:polizia|carabinieri|questura|guardia di finanza|commissariato)\b"),
    ),
    (
        "health_authority",
        re.compile(
            r"\b(?:sanitari\w*|tutela della salute|ats|asst|asl|ausl|ulss|ospedal\w*|irccs)\b"
        ),
    ),
    (
        "school",
        re.compile(
            r"\b(?:scuol\w*|scolastic\w*|cpia|liceo|istituto (?:comprensivo|tecnico|professionale"
            r"|superiore|di istruzione)|universita)\b"
        ),
    ),
    (
        "municipality",
        re.compile(
            r"\b(?:comune|comuni|comunale|comunali|ambito territoriale|piano di zona"
            r"|comunita montana|consortile)\b"
        ),
    ),
    (
        "public_body",
        re.compile(
            r"\b(?:pubblic\w*|statale|stato|provincia|regione|regionale|ministero|prefettura"
            r"|agenzia|servizi alla persona|inps|inail|camera di commercio)\b"
        ),
    ),
    ("third_sector", re.compile(r"\b(?:accreditat\w*|privato sociale)\b")),
)


def classify_organization_kind(tipo_ente: str) -> str:
    """Map the free "tipo_ente" text to one of ORGANIZATION_KINDS ("other" when unsure)."""
    folded = _fold(tipo_ente)
    for kind, pattern in _KIND_RULES:
        if pattern.search(folded):
            return kind
    return "other"

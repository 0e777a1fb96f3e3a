"""Per-cell normalisation of the services spreadsheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pertutti.importing.normalise import (
    ORGANIZATION_KINDS,
    AccessModes,
    CellError,
    CellWarning,
    classify_organization_kind,
    clean_text,
    is_free_of_charge,
    parse_access_modes,
    parse_coordinate_pair,
    parse_date,
    parse_email,
    parse_languages,
    parse_postcode,
    parse_url,
)


def test_cell_error_carries_both_languages() -> None:
    error = CellError("testo", "text")
    assert (error.message_it, error.message_en, str(error)) == ("testo", "text", "text")


def test_cell_warning_is_frozen() -> None:
    warning = CellWarning("attenzione", "careful")
    with pytest.raises(AttributeError):
        warning.message_it = "altro"  # type: ignore[misc]


# --- clean_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  Codogno  ", "Codogno"),
        (26900, "26900"),
        (26900.0, "26900"),
        (45.3142, "45.3142"),
        (Decimal("26900.00"), "26900"),
        (float("nan"), ""),
        (True, "VERO"),
        (dt.date(2025, 3, 15), "2025-03-15"),
        # openpyxl gives naive datetimes: that is what the importer receives.
        (dt.datetime(2025, 3, 15, 0, 0), "2025-03-15"),  # noqa: DTZ001
        (dt.datetime(2025, 3, 15, 9, 30), "2025-03-15 09:30"),  # noqa: DTZ001
        (dt.time(9, 0), "09:00"),
        ("lun  -\t ven", "lun - ven"),
        ("riga uno\r\nriga due\rriga tre", "riga uno\nriga due\nriga tre"),
        ("  prima  \n\n  seconda  ", "prima\n\nseconda"),
        ("a\u200bb\ufeffc\u200d", "abc"),
        ("a\x00b\x07c", "abc"),
        ("via\u00a0Roma", "via Roma"),
        ("Lodi\u2028Codogno", "Lodi\nCodogno"),
        ("citta\u0300", "città"),  # NFC: decomposed accent recomposed
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<b>orari</b> &amp; note", "<b>orari</b> &amp; note"),
    ],
)
def test_clean_text(value: object, expected: str) -> None:
    assert clean_text(value) == expected


# --- parse_languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes", "note"),
    [
        ("italiano, inglese", ["it", "en"], ""),
        ("IT/EN/AR", ["it", "en", "ar"], ""),
        ("italiano; arabo; urdu", ["it", "ar", "ur"], ""),
        ("italiano; mediatore su richiesta", ["it"], "mediatore su richiesta"),
        ("italiano, francese, arabo (alcuni giorni)", ["it", "fr", "ar"], "arabo (alcuni giorni)"),
        (
            "arabo, albanese, rumeno, cinese, urdu, punjabi, inglese, francese "
            "(secondo disponibilità)",
            ["ar", "sq", "ro", "zh", "ur", "pa", "en", "fr"],
            "secondo disponibilità",
        ),
        (
            "IT/EN/FR/AR + altre lingue con mediatori",
            ["it", "en", "fr", "ar"],
            "altre lingue con mediatori",
        ),
        ("italiano (consigliato livello A2)", ["it"], "consigliato livello A2"),
        ("con mediatori linguistico-culturali", [], "con mediatori linguistico-culturali"),
        ("", [], ""),
        ("   ", [], ""),
        # variants, English names, codes
        ("Italiano e Inglese", ["it", "en"], ""),
        ("romeno, rumeno", ["ro"], ""),
        ("bengalese / bengali / bangla", ["bn"], ""),
        ("mandarino", ["zh"], ""),
        ("ucraino, russo, spagnolo, tedesco, portoghese", ["uk", "ru", "es", "de", "pt"], ""),
        (
            "panjabi, hindi, wolof, tigrino, somalo, amarico",
            ["pa", "hi", "wo", "ti", "so", "am"],
            "",
        ),
        ("farsi, persiano, pashto, turco, polacco", ["fa", "ps", "tr", "pl"], ""),
        ("filippino, tagalog, singalese, tamil", ["tl", "si", "ta"], ""),
        ("English, French, Arabic", ["en", "fr", "ar"], ""),
        ("it, en", ["it", "en"], ""),
        ("EN", ["en"], ""),
        ("ITA/ENG", ["it", "en"], ""),
        ("lingua araba", ["ar"], ""),
        ("Lingue: italiano, inglese", ["it", "en"], ""),
        ("italiano\ninglese", ["it", "en"], ""),
        ("italiano, italiano, IT", ["it"], ""),
        # never dropped: unknown words and qualifiers stay in the note
        ("italiano, dari", ["it"], "dari"),
        ("italiano, LIS", ["it"], "LIS"),
        ("si", [], "si"),
        ("inglese base", ["en"], "inglese base"),
        ("inglese (su richiesta), francese", ["en", "fr"], "inglese (su richiesta)"),
        (
            "italiano; mediatori e interpreti; inglese; altre lingue",
            ["it", "en"],
            "mediatori e interpreti; altre lingue",
        ),
        ("mediatori (arabo, urdu)", [], "mediatori (arabo, urdu)"),
        ("serbo-croato", ["sr"], "serbo-croato"),
    ],
)
def test_parse_languages(text: str, codes: list[str], note: str) -> None:
    assert parse_languages(text) == (codes, note)


# --- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  ", None),
        ("2025-05-12", dt.date(2025, 5, 12)),
        ("2025-05-12 00:00:00", dt.date(2025, 5, 12)),
        ("15/03/2025", dt.date(2025, 3, 15)),
        ("15-03-2025", dt.date(2025, 3, 15)),
        ("15.03.2025", dt.date(2025, 3, 15)),
        ("5/3/2025", dt.date(2025, 3, 5)),
        ("marzo 2025", dt.date(2025, 3, 1)),
        ("Maggio 2025", dt.date(2025, 5, 1)),
        ("March 2025", dt.date(2025, 3, 1)),
        ("03/2025", dt.date(2025, 3, 1)),
        ("3/2025", dt.date(2025, 3, 1)),
        ("2025-03", dt.date(2025, 3, 1)),
        ("15 marzo 2025", dt.date(2025, 3, 15)),
        ("1° settembre 2025", dt.date(2025, 9, 1)),
        ("dic. 2025", dt.date(2025, 12, 1)),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2025", "2025-13-01", "domani", "12/05", "2025", "15/03/25", "13/2025", "x 2025"]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.message_it == (
        f"data non valida: «{text}»; usare GG/MM/AAAA, AAAA-MM-GG, MM/AAAA "
        "o mese e anno (marzo 2025)"
    )
    assert caught.value.message_en == (
        f"invalid date: “{text}”; use DD/MM/YYYY, YYYY-MM-DD, MM/YYYY "
        "or month and year (March 2025)"
    )


# --- parse_email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  info@luleonlus.it  ", "info@luleonlus.it"),
        ("Mario.Rossi@Comune.Lodi.IT", "Mario.Rossi@comune.lodi.it"),
        ("mailto:info@x.it", "info@x.it"),
        ("MAILTO:info@x.it", "info@x.it"),
        ("segreteria+sportello@ats-milano.it", "segreteria+sportello@ats-milano.it"),
    ],
)
def test_parse_email(text: str, expected: str) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    "text", ["x@", "@x.it", "x@y", "x y@z.it", "x@@y.it", "x@y..it", "x@y.it."]
)
def test_parse_email_rejects_invalid(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_email(text)
    assert (
        caught.value.message_it == f"indirizzo e-mail non valido: «{text}»; atteso nome@dominio.it"
    )
    assert caught.value.message_en == f"invalid e-mail address: “{text}”; expected name@domain.it"


@pytest.mark.parametrize("text", ["a@b.it; c@d.it", "a@b.it c@d.it", "a@b.it, c@d.it"])
def test_parse_email_rejects_several(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_email(text)
    assert caught.value.message_it == f"una sola e-mail per cella: «{text}»"
    assert caught.value.message_en == f"only one e-mail address per cell: “{text}”"


# --- parse_url --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("www.luleonlus.it", "https://www.luleonlus.it"),
        ("http://x.it/a?b=1", "http://x.it/a?b=1"),
        ("comune.lodi.it", "https://comune.lodi.it"),
        ("HTTPS://Www.Comune.Lodi.It/Servizi", "https://www.comune.lodi.it/Servizi"),
        ("www.x.it:8080/a", "https://www.x.it:8080/a"),
        ("www.x.it/redirect?u=http://y.it", "https://www.x.it/redirect?u=http://y.it"),
    ],
)
def test_parse_url(text: str, expected: str) -> None:
    assert parse_url(text) == expected


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "ftp://x", "mailto:a@b.it", "JavaScript:x"]
)
def test_parse_url_rejects_other_schemes(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_url(text)
    assert caught.value.message_it == (
        f"indirizzo web non valido: «{text}»; sono ammessi solo indirizzi http:// o https://"
    )
    assert caught.value.message_en == (
        f"invalid web address: “{text}”; only http:// or https:// addresses are allowed"
    )


@pytest.mark.parametrize(
    "text",
    [
        "not a url",
        "http://",
        "https://www.x .it",
        "http:/x.it",
        "localhost",
        "http://user@x.it",
        "www.x.it/<script>",
    ],
)
def test_parse_url_rejects_invalid(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_url(text)
    assert caught.value.message_it == (
        f"indirizzo web non valido: «{text}»; atteso ad esempio www.esempio.it"
    )
    assert caught.value.message_en == f"invalid web address: “{text}”; expected e.g. www.example.it"


# --- parse_postcode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("26900", "26900"), (" 26900 ", "26900"), ("", ""), (26900, "26900")]
)
def test_parse_postcode(text: str | int, expected: str) -> None:
    assert parse_postcode(text) == expected


@pytest.mark.parametrize("text", ["2690", "269000", "26 900", "CAP 26900", "2690a"])
def test_parse_postcode_rejects(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_postcode(text)
    assert caught.value.message_it == f"CAP non valido: «{text}»; servono 5 cifre, ad esempio 26900"
    assert caught.value.message_en == (
        f"invalid postcode (CAP): “{text}”; 5 digits expected, e.g. 26900"
    )


# --- parse_coordinate_pair --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("", "", None),
        ("  ", " ", None),
        ("45.3142", "9.5036", (Decimal("45.3142"), Decimal("9.5036"))),
        ("45,3142", "9,5036", (Decimal("45.3142"), Decimal("9.5036"))),
        ("-33.9", "-70.6", (Decimal("-33.9"), Decimal("-70.6"))),
        ("90", "180", (Decimal("90"), Decimal("180"))),
    ],
)
def test_parse_coordinate_pair(
    lat: str, lon: str, expected: tuple[Decimal, Decimal] | None
) -> None:
    result = parse_coordinate_pair(lat, lon)
    assert result == expected
    if result is not None:
        assert all(isinstance(part, Decimal) for part in result)


@pytest.mark.parametrize(
    ("lat", "lon", "message_it", "message_en"),
    [
        (
            "45.3142",
            "",
            "coordinate incomplete: latitudine «45.3142» senza longitudine",
            "incomplete coordinates: latitude “45.3142” without longitude",
        ),
        (
            "",
            "9.5036",
            "coordinate incomplete: longitudine «9.5036» senza latitudine",
            "incomplete coordinates: longitude “9.5036” without latitude",
        ),
        (
            "abc",
            "9.5036",
            "latitudine non valida: «abc»; atteso un numero decimale come 45.3142",
            "invalid latitude: “abc”; expected a decimal number such as 45.3142",
        ),
        (
            "45.3142",
            "9°30'",
            "longitudine non valida: «9°30'»; atteso un numero decimale come 9.5036",
            "invalid longitude: “9°30'”; expected a decimal number such as 9.5036",
        ),
        (
            "95",
            "9.5",
            "latitudine fuori intervallo: «95»; deve essere tra -90 e 90",
            "latitude out of range: “95”; must be between -90 and 90",
        ),
        (
            "45.3",
            "-180.5",
            "longitudine fuori intervallo: «-180.5»; deve essere tra -180 e 180",
            "longitude out of range: “-180.5”; must be between -180 and 180",
        ),
    ],
)
def test_parse_coordinate_pair_rejects(
    lat: str, lon: str, message_it: str, message_en: str
) -> None:
    with pytest.raises(CellError) as caught:
        parse_coordinate_pair(lat, lon)
    assert (caught.value.message_it, caught.value.message_en) == (message_it, message_en)


# --- is_free_of_charge ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gratuito", True),
        ("Gratuito", True),
        ("gratis", True),
        ("gratuito (eventuali spese per materiali)", True),
        ("gratuito per le famiglie", True),
        ("gratuito per chi ha i requisiti", True),
        ("gratuito per chi aderisce a GOL", True),
        ("Nessun costo", True),
        ("senza costi per l'utente", True),
        ("gratuito (progetto del Fondo sociale europeo)", True),
        ("gratuito (corsi finanziati); altri corsi a pagamento", False),
        ("", False),
        ("marca da bollo 16 euro", False),
        ("kit gratis; 30 euro spedizione", False),
        ("gratuito per le urgenze; ticket per gli accessi non urgenti (codice bianco)", False),
        ("ticket sanitario", False),
        ("gratuito, salvo contributo volontario", False),
        ("gratuito sotto una certa soglia ISEE", False),
        ("gratis; 5 € di iscrizione", False),
        ("a pagamento", False),
        ("in base al reddito", False),
    ],
)
def test_is_free_of_charge(text: str, expected: bool) -> None:
    assert is_free_of_charge(text) is expected


# --- parse_access_modes -----------------------------------------------------------------------


def _modes(spec: str) -> AccessModes:
    """Modes from letters: w walk-in, a appointment, r referral, o online, p phone."""
    return AccessModes(
        walk_in="w" in spec,
        by_appointment="a" in spec,
        by_referral="r" in spec,
        online="o" in spec,
        by_phone="p" in spec,
    )


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("", ""),
        ("Accesso libero negli orari di apertura", "w"),
        ("accesso diretto", "w"),
        ("senza prenotazione", "w"),
        ("Senza appuntamento, presentarsi allo sportello", "w"),
        ("non è necessaria la prenotazione", "w"),
        ("presentarsi con un documento", "w"),
        ("su appuntamento", "a"),
        ("Prenotazione obbligatoria", "a"),
        ("su convocazione", "a"),
        ("presentarsi all'appuntamento con i documenti", "a"),
        ("su invio del medico di base", "r"),
        ("su segnalazione dei servizi sociali", "r"),
        ("tramite i servizi sociali del Comune", "r"),
        ("tramite l'assistente sociale", "r"),
        ("inserimento deciso dal servizio tutela minori", "r"),
        ("domanda online con SPID", "o"),
        ("tramite il portale regionale", "o"),
        ("on-line", "o"),
        ("telefonare al numero indicato", "p"),
        ("prenotazione telefonica", "ap"),
        ("chiamare il numero verde", "p"),
        ("numero verde 800 290 290", "p"),
        ("accesso libero oppure su appuntamento telefonico", "wap"),
        ("su prenotazione tramite il portale o chiamando il CUP", "aop"),
    ],
)
def test_parse_access_modes(text: str, spec: str) -> None:
    assert parse_access_modes(text) == _modes(spec)


# --- classify_organization_kind ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo_ente", "kind"),
    [
        ("Ente pubblico statale", "public_body"),
        ("Azienda sanitaria pubblica", "health_authority"),
        ("Agenzia di Tutela della Salute (ente pubblico regionale)", "health_authority"),
        ("Polizia di Stato", "police"),
        ("Scuola pubblica statale per adulti", "school"),
        ("Scuola pubblica statale", "school"),
        ("Comune", "municipality"),
        ("Comune / Ambito territoriale", "municipality"),
        ("Ambito territoriale (gestione associata dei Comuni)", "municipality"),
        ("Azienda speciale consortile dei Comuni", "municipality"),
        ("Azienda speciale comunale", "municipality"),
        ("Cooperativa sociale", "third_sector"),
        ("Associazione", "third_sector"),
        ("Associazione di volontariato (organizzazione umanitaria)", "third_sector"),
        ("Fondazione (ente anti-tratta)", "third_sector"),
        ("Cooperativa sociale – ente accreditato al lavoro", "third_sector"),
        (
            "Associazione temporanea di scopo pubblico-privata "
            "(capofila Associazione Progetto Insieme)",
            "third_sector",
        ),
        ("Comunità mamma-bambino (sperimentazione)", "third_sector"),
        ("Ente ecclesiastico (Diocesi di Lodi)", "religious_body"),
        ("Istituto religioso", "religious_body"),
        ("Ente ecclesiastico / Comune", "religious_body"),
        ("Sindacato", "trade_union"),
        ("Patronato", "trade_union"),
        ("Ordine professionale (ente pubblico)", "professional_body"),
        ("Servizio pubblico di emergenza", "emergency_service"),
        ("Ente pubblico (Provincia di Lodi)", "public_body"),
        ("Ente pubblico (Provincia di Cremona)", "public_body"),
        ("Agenzia fiscale dello Stato", "public_body"),
        ("Azienda di Servizi alla Persona", "public_body"),
        ("Società per azioni a controllo pubblico (servizio postale)", "public_body"),
        ("Ente di formazione professionale (consorzio pubblico)", "public_body"),
        ("Ente accreditato per formazione e lavoro", "third_sector"),
        ("", "other"),
        ("Boh", "other"),
        ("Impresa privata", "other"),
    ],
)
def test_classify_organization_kind(tipo_ente: str, kind: str) -> None:
    assert classify_organization_kind(tipo_ente) == kind
    assert kind in ORGANIZATION_KINDS

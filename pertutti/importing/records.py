"""Turning one spreadsheet row into the desired state of one service, or problems.

A ServiceRecord holds plain values only, so that it can be compared with what the
database holds (idempotent re-imports) before anything is written.
"""

import difflib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from pertutti.directory.models import Placement
from pertutti.directory.phones import parse_phone, parse_phone_list
from pertutti.importing.normalise import (
    CellError,
    classify_organization_kind,
    is_free_of_charge,
    parse_access_modes,
    parse_coordinate_pair,
    parse_date,
    parse_email,
    parse_languages,
    parse_postcode,
    parse_url,
)
from pertutti.importing.opening_hours_it import parse_opening_hours
from pertutti.importing.reading import REQUIRED_COLUMNS, SheetRow
from pertutti.importing.report import ImportReport
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Municipality, Territory
from pertutti.territories.names import fold_name

MAX_CODE_LENGTH = 40
# A point this close to its municipality's centre was placed on the centre, not on the door.
_CENTRE_TOLERANCE = Decimal("0.0005")


@dataclass
class ServiceRecord:
    row: int
    code: str
    organization_name: str
    organization_kind: str
    organization_kind_text: str
    service: dict[str, Any]
    location: dict[str, Any]
    phones: list[tuple[str, bool]]
    schedule: dict[str, Any]
    hours: list[tuple[int, time, time, str]] = field(default_factory=list)


@dataclass
class RowContext:
    territory: Territory
    municipalities: dict[str, Municipality]
    categories: dict[str, Category]


def build_record(
    row: SheetRow, ctx: RowContext, report: ImportReport, *, sample_data: bool = False
) -> ServiceRecord | None:
    """Validate and normalise one row; problems go to the report; None when the row has errors."""
    cells = row.cells
    errors_before = len(report.errors)

    def error(column: str, message_it: str, message_en: str) -> None:
        report.error(row.number, column, message_it, message_en)

    def warning(column: str, message_it: str, message_en: str) -> None:
        report.warning(row.number, column, message_it, message_en)

    def parsed(column: str, parser: Any) -> Any:
        try:
            return parser(cells[column])
        except CellError as exc:
            error(column, exc.message_it, exc.message_en)
            return None

    for column in REQUIRED_COLUMNS:
        if not cells[column]:
            error(column, "campo obbligatorio vuoto", "required field is empty")

    code = cells["codice"].upper()
    if code and (len(code) > MAX_CODE_LENGTH or any(c.isspace() for c in code)):
        error(
            "codice",
            f"codice non valido «{code[:60]}»: "
            f"niente spazi, al massimo {MAX_CODE_LENGTH} caratteri",
            f"invalid code “{code[:60]}”: no spaces, at most {MAX_CODE_LENGTH} characters",
        )

    category = None
    if cells["categoria"]:
        category = ctx.categories.get(fold_name(cells["categoria"]))
        if category is None:
            names = "; ".join(sorted({c.name for c in ctx.categories.values()}))
            error(
                "categoria",
                f"categoria sconosciuta «{cells['categoria']}»; categorie valide: {names}",
                f"unknown category “{cells['categoria']}”; valid categories: {names}",
            )

    municipality = None
    if cells["comune"]:
        municipality = ctx.municipalities.get(fold_name(cells["comune"]))
        if municipality is None:
            close = difflib.get_close_matches(
                fold_name(cells["comune"]), list(ctx.municipalities), n=1
            )
            hint_it = hint_en = ""
            if close:
                name = ctx.municipalities[close[0]].name
                hint_it, hint_en = f"; forse «{name}»?", f"; did you mean “{name}”?"
                # Structured too, so that the import page can offer it as a correction.
                report.suggest(row.number, "comune", cells["comune"], name)
            error(
                "comune",
                f"comune sconosciuto «{cells['comune']}» per {ctx.territory.name}{hint_it}",
                f"unknown municipality “{cells['comune']}” for {ctx.territory.name}{hint_en}",
            )

    postcode = parsed("cap", parse_postcode) or ""
    assured_date = parsed("ultimo_aggiornamento", parse_date)
    email = parsed("email", parse_email) or ""
    website = parsed("sito_web", parse_url) or ""
    coordinates = None
    try:
        coordinates = parse_coordinate_pair(cells["lat"], cells["lon"])
    except CellError as exc:
        error("lat" if not cells["lat"] or cells["lon"] else "lon", exc.message_it, exc.message_en)

    phones: list[tuple[str, bool]] = []
    for text in parse_phone_list(cells["telefono"]):
        try:
            phone = parse_phone(text, ctx.territory.phone_region)
        except ValueError:
            error(
                "telefono",
                f"numero di telefono non valido «{text}»",
                f"invalid phone number “{text}”",
            )
            continue
        if (phone.number, phone.is_short_code) not in phones:
            phones.append((phone.number, phone.is_short_code))

    languages, languages_note = parse_languages(cells["lingue_parlate"])
    hours = parse_opening_hours(cells["orari"])
    if hours.unparsed:
        fragments = " | ".join(hours.unparsed)
        warning(
            "orari",
            f"orario non interpretato, conservato come testo: «{fragments}»",
            f"opening hours not understood, kept as text: “{fragments}”",
        )

    if postcode and municipality and postcode != municipality.postcode:
        warning(
            "cap",
            f"il CAP {postcode} non è quello di {municipality.name} ({municipality.postcode})",
            f"postcode {postcode} is not the one of {municipality.name} ({municipality.postcode})",
        )

    if len(report.errors) > errors_before or category is None or municipality is None:
        return None

    location = _place(row, coordinates, municipality, ctx.territory, report)
    location.update(address=cells["indirizzo"], postcode=postcode, municipality_id=municipality.pk)
    access = parse_access_modes(cells["come_accedere"])
    return ServiceRecord(
        row=row.number,
        code=code,
        organization_name=cells["ente"],
        organization_kind=classify_organization_kind(cells["tipo_ente"]),
        organization_kind_text=cells["tipo_ente"],
        service={
            "name": cells["servizio"],
            "description": cells["descrizione"],
            "eligibility": cells["destinatari"],
            "required_documents": cells["documenti_necessari"],
            "cost": cells["costo"],
            "free": is_free_of_charge(cells["costo"]),
            "application_process": cells["come_accedere"],
            "walk_in": access.walk_in,
            "by_appointment": access.by_appointment or hours.by_appointment,
            "by_referral": access.by_referral,
            "online": access.online,
            "by_phone": access.by_phone,
            "category_id": category.pk,
            "assured_date": assured_date,
            "languages": languages,
            "languages_note": languages_note,
            "accessibility": cells["accessibilita"],
            "notes": cells["note"],
            "email": email,
            "website": website,
            "sample_data": sample_data,
        },
        location=location,
        phones=phones,
        schedule={
            "original_text": cells["orari"],
            "always_open": hours.always_open,
            "by_appointment": hours.by_appointment,
            "closed_months": hours.closed_months,
            "unparsed_text": " | ".join(hours.unparsed),
        },
        hours=[(r.weekday, r.opens, r.closes, r.label) for r in hours.rules],
    )


def _place(
    row: SheetRow,
    coordinates: tuple[Decimal, Decimal] | None,
    municipality: Municipality,
    territory: Territory,
    report: ImportReport,
) -> dict[str, Any]:
    """Where to put the service on the map, and how sure we are of it."""
    centre = {
        "latitude": municipality.latitude,
        "longitude": municipality.longitude,
        "placement": Placement.MUNICIPALITY_CENTRE.value,
    }
    if coordinates is None:
        return centre
    lat, lon = coordinates
    if territory.contains(lat, lon):
        at_centre = (
            abs(lat - municipality.latitude) <= _CENTRE_TOLERANCE
            and abs(lon - municipality.longitude) <= _CENTRE_TOLERANCE
        )
        if at_centre:
            return centre
        return {"latitude": lat, "longitude": lon, "placement": Placement.EXACT.value}
    if territory.contains(lon, lat):
        report.warning(
            row.number,
            "lat",
            f"latitudine e longitudine sembrano scambiate ({lat}, {lon}); "
            f"il servizio è posto al centro di {municipality.name}",
            f"latitude and longitude look swapped ({lat}, {lon}); "
            f"the service is placed at the centre of {municipality.name}",
        )
    else:
        report.warning(
            row.number,
            "lat",
            f"le coordinate ({lat}, {lon}) sono fuori da {territory.name}; "
            f"il servizio è posto al centro di {municipality.name}",
            f"coordinates ({lat}, {lon}) are outside {territory.name}; "
            f"the service is placed at the centre of {municipality.name}",
        )
    return centre

"""Writes of territory reference data: a territory and its municipalities from its data folder,
and the settings its administrators change in the back office."""

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction
from pertutti.directory.phones import parse_phone
from pertutti.territories.models import Municipality, Territory
from pertutti.territories.names import fold_name
from pertutti.translations.services import glossary_load, source_texts_sync_categories

DATA_DIR = Path(__file__).resolve().parent / "data"


class UnknownTerritoryError(LookupError):
    pass


@dataclass(frozen=True)
class TerritoryLoadResult:
    territory: Territory
    created: bool
    municipalities: int


def available_territories() -> list[str]:
    return sorted(p.name for p in DATA_DIR.iterdir() if (p / "territory.json").is_file())


@transaction.atomic
def territory_load(*, slug: str, data_dir: Path = DATA_DIR) -> TerritoryLoadResult:
    """Create or refresh a territory from `<data_dir>/<slug>/`; running it twice changes nothing.
    The settings of the back office are taken from the file only when creating it."""
    folder = data_dir / slug
    config_path = folder / "territory.json"
    if not config_path.is_file():
        raise UnknownTerritoryError(
            f"no territory {slug!r}: expected {config_path}; available: "
            + ", ".join(available_territories())
        )
    config = json.loads(config_path.read_text(encoding="utf-8"))
    bounds = config["bounds"]
    reference = {
        "name": config["name"],
        "area_name": config.get("area_name", ""),
        "owner": config.get("owner", ""),
        "source_language": config.get("source_language", "it"),
        "phone_region": config.get("phone_region", "IT"),
        "time_zone": config.get("time_zone", "Europe/Rome"),
        "bound_south": Decimal(bounds["south"]),
        "bound_west": Decimal(bounds["west"]),
        "bound_north": Decimal(bounds["north"]),
        "bound_east": Decimal(bounds["east"]),
    }
    # What administrators change in the back office (territory_settings_update) comes from
    # the file only when the territory is created: loading it again must not undo them.
    initial_settings = {
        "offered_languages": config["offered_languages"],
        "map_centre_latitude": Decimal(config["map_centre"]["latitude"]),
        "map_centre_longitude": Decimal(config["map_centre"]["longitude"]),
        "map_zoom": config.get("map_zoom", 10),
        "emergency_numbers": config.get("emergency_numbers", []),
    }
    territory, created = Territory.objects.update_or_create(
        slug=slug, defaults=reference, create_defaults={**reference, **initial_settings}
    )
    count = 0
    with (folder / config["municipalities_file"]).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            Municipality.objects.update_or_create(
                territory=territory,
                istat_code=row["istat_code"],
                defaults={
                    "name": row["name"],
                    "name_key": fold_name(row["name"]),
                    "province": row["province"],
                    "postcode": row["postcode"],
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                },
            )
            count += 1
    # Category names and descriptions are translatable texts of every territory.
    source_texts_sync_categories(territory=territory)
    glossary_file = folder / "glossary.json"
    if glossary_file.is_file():
        glossary_load(
            territory=territory, entries=json.loads(glossary_file.read_text(encoding="utf-8"))
        )
    return TerritoryLoadResult(territory=territory, created=created, municipalities=count)


# The kinds of emergency number the public strip has labels for (see Territory.emergency_numbers).
EMERGENCY_KINDS = ("general", "violence", "trafficking", "health", "children")
MAX_ZOOM = 18


class TerritorySettingsError(ValueError):
    """A value the back-office form should already have refused (English, for logs)."""


def _check_settings(
    territory: Territory,
    *,
    offered_languages: Sequence[str],
    emergency_numbers: Sequence[dict[str, str]],
    map_centre_latitude: Decimal,
    map_centre_longitude: Decimal,
    map_zoom: int,
    contact_email: str,
) -> list[dict[str, str]]:
    """Refuse what would break public pages; returns the emergency numbers normalised."""
    known = {code for code, _ in settings.LANGUAGES}
    unknown = [code for code in offered_languages if code not in known]
    if unknown:
        raise TerritorySettingsError(f"unknown language codes: {unknown}")
    if len(set(offered_languages)) != len(offered_languages):
        raise TerritorySettingsError("a language is listed twice")
    if territory.source_language not in offered_languages:
        raise TerritorySettingsError(f"the source language {territory.source_language} must stay")
    if not territory.contains(map_centre_latitude, map_centre_longitude):
        raise TerritorySettingsError("the map centre is outside the territory")
    if not 1 <= map_zoom <= MAX_ZOOM:
        raise TerritorySettingsError(f"zoom {map_zoom} is not between 1 and {MAX_ZOOM}")
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError as exc:
            raise TerritorySettingsError(f"not an e-mail address: {contact_email!r}") from exc
    numbers = []
    for item in emergency_numbers:
        if item.get("kind") not in EMERGENCY_KINDS:
            raise TerritorySettingsError(f"unknown emergency kind: {item.get('kind')!r}")
        try:
            phone = parse_phone(item.get("number", ""), territory.phone_region)
        except ValueError as exc:
            # Every page parses these numbers: an invalid one must never be stored.
            raise TerritorySettingsError(str(exc)) from exc
        numbers.append({"number": phone.number, "kind": item["kind"]})
    return numbers


def _same_numbers(territory: Territory, numbers: list[dict[str, str]]) -> object:
    """The stored numbers in the normalised form if they are those, else as stored."""
    try:
        stored = [
            {"number": parse_phone(n["number"], territory.phone_region).number, "kind": n["kind"]}
            for n in territory.emergency_numbers
        ]
    except (KeyError, TypeError, ValueError):
        return territory.emergency_numbers
    return numbers if stored == numbers else territory.emergency_numbers


@transaction.atomic
def territory_settings_update(
    *,
    territory: Territory,
    actor: AbstractBaseUser,
    offered_languages: Sequence[str],
    emergency_numbers: Sequence[dict[str, str]],
    map_centre_latitude: Decimal,
    map_centre_longitude: Decimal,
    map_zoom: int,
    contact_email: str,
    sample_data: bool,
) -> list[str]:
    """Change what administrators may change of a territory; returns the names of the fields
    that changed (also recorded in the activity log). Nothing is written on an error."""
    numbers = _check_settings(
        territory,
        offered_languages=offered_languages,
        emergency_numbers=emergency_numbers,
        map_centre_latitude=map_centre_latitude,
        map_centre_longitude=map_centre_longitude,
        map_zoom=map_zoom,
        contact_email=contact_email,
    )
    # Locked so that two administrators saving at once do not undo each other's fields.
    current = Territory.objects.select_for_update().get(pk=territory.pk)
    wanted: dict[str, Any] = {
        "offered_languages": list(offered_languages),
        "emergency_numbers": numbers,
        "map_centre_latitude": Decimal(map_centre_latitude),
        "map_centre_longitude": Decimal(map_centre_longitude),
        "map_zoom": map_zoom,
        "contact_email": contact_email,
        "sample_data": sample_data,
    }
    stored = {name: getattr(current, name) for name in wanted}
    # "800290290" as loaded and "+39800290290" as the form gives it back are the same number.
    stored["emergency_numbers"] = _same_numbers(current, wanted["emergency_numbers"])
    changed = [name for name, value in wanted.items() if stored[name] != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, wanted[name])
        setattr(territory, name, wanted[name])
    current.save(update_fields=changed)
    audit_record(
        action=AuditAction.SETTINGS_CHANGED,
        actor=actor,
        territory=current,
        target=current.name,
        detail={"fields": changed},
    )
    return changed

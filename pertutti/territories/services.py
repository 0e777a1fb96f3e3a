"""Writes of territory reference data: a territory and its municipalities from its data folder."""

import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

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
    """Create or refresh a territory from `<data_dir>/<slug>/`; running it twice changes nothing."""
    folder = data_dir / slug
    config_path = folder / "territory.json"
    if not config_path.is_file():
        raise UnknownTerritoryError(
            f"no territory {slug!r}: expected {config_path}; available: "
            + ", ".join(available_territories())
        )
    config = json.loads(config_path.read_text(encoding="utf-8"))
    bounds = config["bounds"]
    territory, created = Territory.objects.update_or_create(
        slug=slug,
        defaults={
            "name": config["name"],
            "area_name": config.get("area_name", ""),
            "owner": config.get("owner", ""),
            "source_language": config.get("source_language", "it"),
            "offered_languages": config["offered_languages"],
            "phone_region": config.get("phone_region", "IT"),
            "time_zone": config.get("time_zone", "Europe/Rome"),
            "map_centre_latitude": Decimal(config["map_centre"]["latitude"]),
            "map_centre_longitude": Decimal(config["map_centre"]["longitude"]),
            "map_zoom": config.get("map_zoom", 10),
            "bound_south": Decimal(bounds["south"]),
            "bound_west": Decimal(bounds["west"]),
            "bound_north": Decimal(bounds["north"]),
            "bound_east": Decimal(bounds["east"]),
            "emergency_numbers": config.get("emergency_numbers", []),
        },
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

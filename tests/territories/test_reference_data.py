"""The municipalities file of Lodi is complete and consistent."""

import csv
import json
from decimal import Decimal

from pertutti.territories.services import DATA_DIR


def rows():
    with (DATA_DIR / "lodi" / "municipalities.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_all_comuni_of_the_province_plus_san_colombano():
    codes = [r["istat_code"] for r in rows()]
    assert len(codes) == len(set(codes)) == 61
    assert sum(c.startswith("098") for c in codes) == 60
    assert "015191" in codes  # San Colombano al Lambro (MI), in the social district of Lodi
    assert "098007" not in codes and "098016" not in codes  # merged into Castelgerundo
    assert "098062" in codes


def test_postcodes_and_centres_are_well_formed_and_inside_the_bounds():
    bounds = json.loads((DATA_DIR / "lodi" / "territory.json").read_text())["bounds"]
    for r in rows():
        assert len(r["postcode"]) == 5 and r["postcode"].isdigit(), r
        lat, lon = Decimal(r["latitude"]), Decimal(r["longitude"])
        assert Decimal(bounds["south"]) < lat < Decimal(bounds["north"]), r
        assert Decimal(bounds["west"]) < lon < Decimal(bounds["east"]), r


def test_lodi_centre_is_the_town_centre():
    lodi = next(r for r in rows() if r["name"] == "Lodi")
    assert (lodi["latitude"], lodi["longitude"], lodi["postcode"]) == (
        "45.314200",
        "9.503600",
        "26900",
    )

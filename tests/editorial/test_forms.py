"""The service form on its own: a snapshot round-trips through it, hours that run backwards
or overlap are refused, the place must be inside the territory, phones are validated, and
the preview lays the week out as the public page does."""

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from pertutti.directory.snapshots import service_apply, service_snapshot
from pertutti.editorial.forms import (
    HOURS_PREFIX,
    CloseForm,
    HoursFormSet,
    ServiceForm,
    forms_valid,
    hours_preview,
    initial_from_snapshot,
    snapshot_from_forms,
)
from pertutti.territories.models import Municipality
from tests.manage.cast import organization, service

LODI = "098031"


@pytest.fixture
def caritas(lodi):
    return organization(lodi, "Caritas Lodigiana")


@pytest.fixture
def mensa(caritas):
    target = service(caritas, code="CAR-001", name="Mensa", languages=["it", "ar"])
    data = service_snapshot(target)
    data["location"] = {
        "address": "Via Cavour 31", "postcode": "26900", "municipality": LODI,
        "latitude": "45.315000", "longitude": "9.505000", "placement": "exact",
    }  # fmt: skip
    data["phones"] = [["+390371409111", False], ["112", True]]
    data["schedule"] = {
        "original_text": "lunedì 9-12, tranne i festivi", "always_open": False,
        "by_appointment": True, "closed_months": [8], "unparsed_text": "tranne i festivi",
        "valid_from": "2026-01-01", "valid_to": None,
        "hours": [[0, "09:00", "12:00", "segreteria"], [3, "14:00", "16:00", ""]],
    }  # fmt: skip
    return service_apply(service=target, data=data)


def as_post(initial: dict[str, Any], rows: list[dict[str, Any]], **changes: Any) -> dict:
    """The browser's post of a form showing `initial` and `rows` (plus two empty rows)."""
    data: dict[str, Any] = {}
    for name, value in initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    total = len(rows) + 2
    data.update(
        {
            f"{HOURS_PREFIX}-TOTAL_FORMS": str(total),
            f"{HOURS_PREFIX}-INITIAL_FORMS": str(len(rows)),
        }
    )
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{HOURS_PREFIX}-{index}-{name}"] = "" if value is None else str(value)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def bind(lodi, data: dict, *, new: bool = False) -> tuple[ServiceForm, Any]:
    return ServiceForm(data, territory=lodi, new=new), HoursFormSet(data, prefix=HOURS_PREFIX)


def opened(lodi, target, **changes: Any) -> tuple[ServiceForm, Any]:
    base = service_snapshot(target)
    initial, rows = initial_from_snapshot(base, region=lodi.phone_region)
    initial["base_version"] = target.version
    return bind(lodi, as_post(initial, rows, **changes))


def test_a_snapshot_round_trips_through_the_form(lodi, mensa):
    base = service_snapshot(mensa)
    form, hours = opened(lodi, mensa)
    assert forms_valid(form, hours), (form.errors, hours.errors)
    data = snapshot_from_forms(form, hours, organization=mensa.organization, base=base)
    assert data["service"].pop("assured_date") == timezone.localdate().isoformat()
    base["service"].pop("assured_date")
    assert data == base


def test_the_initial_form_shows_phones_as_dialled(lodi, mensa):
    initial, rows = initial_from_snapshot(service_snapshot(mensa), region="IT")
    assert (initial["phone_1"], initial["phone_2"], initial.get("phone_3")) == (
        "0371 409111",
        "112",
        None,
    )
    assert rows[0] == {"weekday": 0, "opens": "09:00", "closes": "12:00", "label": "segreteria"}


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ({"weekday": 1, "opens": "18:00", "closes": "09:00"}, "18:00–09:00"),
        ({"weekday": 1, "opens": "10:00", "closes": "10:00"}, "10:00–10:00"),
        ({"weekday": 1, "opens": "10:00", "closes": ""}, "leave the row empty"),
        ({"weekday": "", "opens": "", "closes": "", "label": "solo mattina"}, "day and the times"),
        ({"weekday": 1, "opens": "25:00", "closes": "26:00"}, ""),
    ],
)
def test_a_row_that_is_not_an_opening_is_refused(lodi, mensa, row, fragment):
    changes = {f"{HOURS_PREFIX}-2-{name}": value for name, value in row.items()}
    form, hours = opened(lodi, mensa, **changes)
    with translation.override("en"):
        assert not forms_valid(form, hours)
        assert fragment in str(hours.errors[2])


def test_a_removed_row_is_not_checked(lodi, mensa):
    form, hours = opened(
        lodi, mensa, **{"hours-1-opens": "18:00", "hours-1-closes": "09:00", "hours-1-DELETE": "on"}
    )
    assert forms_valid(form, hours)
    assert hours.openings() == [(0, time(9), time(12), "segreteria")]


def test_overlapping_openings_are_refused_touching_ones_accepted(lodi, mensa):
    overlap = {"hours-2-weekday": "3", "hours-2-opens": "15:00", "hours-2-closes": "18:00"}
    form, hours = opened(lodi, mensa, **overlap)
    with translation.override("en"):
        assert not forms_valid(form, hours)
        assert "overlap on Thursday: 14:00–16:00 and 15:00–18:00" in hours.non_form_errors()[0]
    touching = {**overlap, "hours-2-opens": "16:00"}
    form, hours = opened(lodi, mensa, **touching)
    assert forms_valid(form, hours)


def test_always_open_with_opening_times_is_contradictory(lodi, mensa):
    form, hours = opened(lodi, mensa, always_open="on")
    assert not forms_valid(form, hours) and form.has_error("always_open")


def test_the_end_date_may_not_come_first(lodi, mensa):
    form, hours = opened(lodi, mensa, valid_from="2026-06-01", valid_to="2026-05-01")
    assert not forms_valid(form, hours) and form.has_error("valid_to")


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("41.902800", "12.496400", "outside"),
        ("9.505000", "45.315000", "swapped"),
        ("45.315000", "", "both coordinates"),
        ("nord", "9.5", "number"),
        ("Infinity", "9.5", "number"),
        ("1e400", "9.5", "number"),
    ],
)
def test_a_place_must_be_inside_the_territory(lodi, mensa, latitude, longitude, message):
    form, hours = opened(lodi, mensa, latitude=latitude, longitude=longitude)
    with translation.override("en"):
        assert not forms_valid(form, hours)
        assert message in " ".join(form.errors["latitude"])


def test_typed_coordinates_may_use_a_comma_and_are_rounded(lodi, mensa):
    form, hours = opened(lodi, mensa, latitude="45,3161234", longitude=" 9.5061239 ")
    assert forms_valid(form, hours)
    data = snapshot_from_forms(form, hours, organization=mensa.organization)
    assert data["location"]["latitude"] == "45.316123"
    assert data["location"]["longitude"] == "9.506124"
    assert data["location"]["placement"] == "exact"


def test_how_sure_the_map_is_of_the_place(lodi, mensa):
    base = service_snapshot(mensa)
    org = mensa.organization
    lodi_centre = Municipality.objects.get(territory=lodi, istat_code=LODI)
    other = Municipality.objects.filter(territory=lodi).exclude(istat_code=LODI).first()
    # No coordinates: the centre of the municipality, marked as approximate.
    form, hours = opened(lodi, mensa, latitude="", longitude="")
    assert forms_valid(form, hours)
    place = snapshot_from_forms(form, hours, organization=org, base=base)["location"]
    assert place["placement"] == "municipality_centre"
    assert Decimal(place["latitude"]) == lodi_centre.latitude
    # The centre kept while the municipality changes: the new municipality's centre.
    centred = {**base, "location": {**place}}
    form, hours = opened(lodi, mensa, latitude=place["latitude"], longitude=place["longitude"],
                         municipality=other.istat_code)  # fmt: skip
    assert forms_valid(form, hours)
    moved = snapshot_from_forms(form, hours, organization=org, base=centred)["location"]
    assert (Decimal(moved["latitude"]), moved["municipality"]) == (
        other.latitude,
        other.istat_code,
    )
    # Nothing at all: no location.
    empty = {"address": "", "postcode": "", "municipality": "", "latitude": "", "longitude": ""}
    form, hours = opened(lodi, mensa, **empty)
    assert forms_valid(form, hours)
    assert snapshot_from_forms(form, hours, organization=org, base=base)["location"] is None


def test_phone_numbers_are_validated_and_kept_once(lodi, mensa):
    form, hours = opened(lodi, mensa, phone_1="0371 40911 int. 2", phone_3="ciao")
    assert not forms_valid(form, hours)
    assert form.has_error("phone_1") and form.has_error("phone_3")
    form, hours = opened(lodi, mensa, phone_1="0371-409111", phone_2="+39 0371 409111")
    assert forms_valid(form, hours)
    data = snapshot_from_forms(form, hours, organization=mensa.organization)
    assert data["phones"] == [["+390371409111", False]]


def test_a_postcode_has_five_digits(lodi, mensa):
    form, hours = opened(lodi, mensa, postcode="2690")
    assert not forms_valid(form, hours) and form.has_error("postcode")


def test_texts_are_kept_as_written_and_bounded(lodi, mensa):
    script = "<script>alert(1)</script>"
    form, hours = opened(lodi, mensa, description=script, notes="x" * 5001)
    assert not forms_valid(form, hours) and form.has_error("notes")
    form, hours = opened(lodi, mensa, description=script)
    assert forms_valid(form, hours)
    data = snapshot_from_forms(form, hours, organization=mensa.organization)
    assert data["service"]["description"] == script


def test_the_parser_s_leftovers_follow_the_words(lodi, mensa):
    base = service_snapshot(mensa)
    form, hours = opened(lodi, mensa)
    assert forms_valid(form, hours)
    kept = snapshot_from_forms(form, hours, organization=mensa.organization, base=base)
    assert kept["schedule"]["unparsed_text"] == "tranne i festivi"
    form, hours = opened(lodi, mensa, original_text="lunedì 9-12")
    assert forms_valid(form, hours)
    data = snapshot_from_forms(form, hours, organization=mensa.organization, base=base)
    assert data["schedule"]["unparsed_text"] == ""


def test_languages_keep_the_desk_s_order_and_offer_codes_in_use(lodi, mensa):
    service(mensa.organization, code="CAR-002", languages=["wo"])
    form, hours = opened(lodi, mensa, languages=["uk", "ar", "it"])
    codes = [code for code, _name in form.fields["languages"].choices]
    assert "wo" in codes and "zh" in codes and "zh-hans" not in codes
    assert forms_valid(form, hours)
    data = snapshot_from_forms(
        form, hours, organization=mensa.organization, base=service_snapshot(mensa)
    )
    assert data["service"]["languages"] == ["it", "ar", "uk"]


def test_a_new_service_form_has_no_version_and_no_minor_change(lodi):
    form = ServiceForm(territory=lodi, new=True)
    assert "base_version" not in form.fields and "minor" not in form.fields


def test_the_preview_lays_out_the_week_as_the_public_page(lodi, mensa, english):
    preview = hours_preview(service_snapshot(mensa)["schedule"], today=date(2026, 3, 2))
    assert [str(day["name"]) for day in preview.week][:2] == ["Monday", "Tuesday"]
    assert preview.week[0]["intervals"] == [(time(9), time(12), "segreteria")]
    assert preview.week[1]["intervals"] == []
    assert preview.closed_months == ["August"] and preview.by_appointment
    assert preview.shows_original_text  # the parser left "tranne i festivi"
    assert preview.valid_from == date(2026, 1, 1)
    nothing = hours_preview(None, today=date(2026, 3, 2))
    assert nothing.empty and nothing.week == []


def test_a_closing_needs_a_reason():
    assert not CloseForm({"reason": "  ", "base_version": "0"}).is_valid()
    assert CloseForm({"reason": "Finito", "base_version": "0"}).is_valid()

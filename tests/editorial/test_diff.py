"""The reviewer's diff: each kind of field as readable text, only what changed, everything
for a new service."""

import copy

import pytest

from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.diff import FieldChange, hours_text, snapshot_diff
from pertutti.importing.services import services_import_file
from pertutti.taxonomy.models import Category
from tests.conftest import service_row


@pytest.fixture
def snapshot(lodi, write_csv):
    row = service_row(telefono="0371 409111", indirizzo="Via Roma 1")
    services_import_file(territory=lodi, path=write_csv([row]))
    return service_snapshot(Service.objects.get(code="TST-001"))


def changed(old, new) -> dict[str, tuple[str, str]]:
    return {c.label: (c.old_text, c.new_text) for c in snapshot_diff(old, new)}


def test_nothing_changed_lists_nothing(snapshot, english):
    assert snapshot_diff(snapshot, copy.deepcopy(snapshot)) == []


def test_hours_are_text_per_weekday(snapshot, english):
    new = copy.deepcopy(snapshot)
    new["schedule"]["hours"] = [
        [0, "14:00", "17:00", ""],
        [0, "09:00", "12:00", ""],
        [2, "09:00", "12:00", "segreteria"],
    ]
    old_text, new_text = changed(snapshot, new)["Opening hours"]
    assert old_text.splitlines()[0] == "Monday 09:00–12:00"
    assert new_text == "Monday 09:00–12:00, 14:00–17:00\nWednesday 09:00–12:00 (segreteria)"


def test_weekday_names_follow_the_language(snapshot):
    # Tests start in Italian, the default language.
    assert hours_text([[0, "09:00", "12:00", ""]]) == "Lunedì 09:00–12:00"


def test_phones_in_national_format(snapshot, english):
    new = copy.deepcopy(snapshot)
    new["phones"] = [["+390371409222", False], ["112", True]]
    assert changed(snapshot, new)["Phone numbers"] == ("0371 409111", "0371 409222, 112")


def test_place_is_address_municipality_and_coordinates(snapshot, english):
    new = copy.deepcopy(snapshot)
    new["location"].update(
        address="Piazza Mercato 5", latitude="45.314000", longitude="9.503000", placement="exact"
    )
    old_text, new_text = changed(snapshot, new)["Place"]
    assert old_text.startswith("Via Roma 1, 26900 Lodi")
    assert new_text == "Piazza Mercato 5, 26900 Lodi (45.314000, 9.503000)"


def test_category_by_name_and_flags_as_yes_no(snapshot, english):
    other = Category.objects.exclude(code=snapshot["category"]).first()
    new = copy.deepcopy(snapshot)
    new["category"] = other.code
    new["service"]["walk_in"] = not snapshot["service"]["walk_in"]
    found = changed(snapshot, new)
    assert found["Category"] == (
        Category.objects.get(code=snapshot["category"]).name,
        other.name,
    )
    assert set(found["No appointment needed"]) == {"yes", "no"}


def test_texts_languages_months_dates_and_status(snapshot, english):
    new = copy.deepcopy(snapshot)
    new["service"].update(
        description="<b>Nuovo</b> testo",
        languages=["it", "ar"],
        status="inactive",
        assured_date="2025-06-01",
    )
    new["schedule"].update(closed_months=[8], valid_from="2025-09-01")
    found = changed(snapshot, new)
    assert found["Description"][1] == "<b>Nuovo</b> testo"  # text; the page escapes it
    assert found["Languages spoken"] == ("Italian, English", "Italian, Arabic")
    assert found["Status"] == ("Active", "Closed")
    assert found["Last verified"][1] == "June 1, 2025"
    assert found["Closed in"] == ("", "August")
    assert found["Hours valid from"] == ("", "Sept. 1, 2025")


def test_a_new_service_is_all_new(snapshot, english):
    found = snapshot_diff(None, snapshot)
    assert all(change.old_text == "" for change in found)
    labels = [change.label for change in found]
    assert labels[:3] == ["Organisation", "Name", "Category"]
    assert {"Opening hours", "Phone numbers", "Place"} <= set(labels)
    assert FieldChange("Name", "", "Segretariato sociale") in found


def test_labels_are_translated(snapshot):
    new = copy.deepcopy(snapshot)
    new["service"]["name"] = "Altro"
    assert [c.label for c in snapshot_diff(snapshot, new)] == ["Nome"]

"""The data version names what a PDF shows: it changes with the data, never with how the
same data were read."""

from pertutti.printing.cache import data_version


def test_the_same_settings_read_in_another_key_order_give_the_same_version(lodi):
    before = data_version(lodi, "ar")
    # PostgreSQL's jsonb hands an object's keys back in its own order.
    lodi.emergency_numbers = [dict(reversed(item.items())) for item in lodi.emergency_numbers]
    assert data_version(lodi, "ar") == before


def test_a_new_emergency_number_changes_the_version(lodi):
    before = data_version(lodi, "ar")
    lodi.emergency_numbers = [*lodi.emergency_numbers, {"number": "114", "kind": "children"}]
    assert data_version(lodi, "ar") != before

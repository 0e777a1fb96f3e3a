"""Background work lowers its own priority, never raises it, and the commands that import or
re-index on a live server do so when they start."""

import pytest
from django.core.management import call_command

from pertutti import background


@pytest.fixture
def niceness(monkeypatch):
    """os.nice replaced by a counter of this process's nice value (the real one would stay
    lowered for the rest of the test run)."""
    state = {"value": 0, "calls": []}

    def nice(increment: int) -> int:
        state["calls"].append(increment)
        state["value"] = min(19, state["value"] + increment)
        return state["value"]

    monkeypatch.setattr(background.os, "nice", nice)
    return state


def test_the_priority_is_lowered_to_the_background_value(niceness):
    background.yield_to_web_requests()
    assert niceness["value"] == background.BACKGROUND_NICE


def test_a_process_already_nicer_is_left_alone(niceness):
    niceness["value"] = 15
    background.yield_to_web_requests()
    background.yield_to_web_requests()
    assert niceness["value"] == 15 and niceness["calls"] == [0, 0]  # only read


def test_twice_is_once(niceness):
    background.yield_to_web_requests()
    background.yield_to_web_requests()
    assert niceness["value"] == background.BACKGROUND_NICE


def test_where_priorities_cannot_change_nothing_happens(monkeypatch):
    def refused(increment: int) -> int:
        raise PermissionError

    monkeypatch.setattr(background.os, "nice", refused)
    background.yield_to_web_requests()  # no error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        ("import_services", "missing.csv", "--territory", "nowhere"),
        ("import_xliff", "missing.xlf", "--territory", "nowhere", "--language", "ar"),
        ("update_search_index", "--territory", "nowhere"),
    ],
)
def test_import_and_index_commands_yield_first(niceness, command):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):  # the territory is checked after the priority
        call_command(*command)
    assert niceness["value"] == background.BACKGROUND_NICE

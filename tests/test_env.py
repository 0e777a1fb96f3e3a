"""Settings read from the environment: typed, with a clear error for a bad value."""

import pytest

from pertutti.env import env_bool, env_int, env_list, env_str


def test_readers_give_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("PERTUTTI_TEST_VALUE", raising=False)
    assert env_str("PERTUTTI_TEST_VALUE", "x") == "x"
    assert env_bool("PERTUTTI_TEST_VALUE", True) is True
    assert env_int("PERTUTTI_TEST_VALUE", 60) == 60
    assert env_list("PERTUTTI_TEST_VALUE", ["a"]) == ["a"]


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), (" 120 ", 120), ("", 60), ("-1", -1)])
def test_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv("PERTUTTI_TEST_VALUE", raw)
    assert env_int("PERTUTTI_TEST_VALUE", 60) == expected


@pytest.mark.parametrize("raw", ["sixty", "1.5", "60s"])
def test_a_bad_number_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("PERTUTTI_TEST_VALUE", raw)
    with pytest.raises(ValueError, match="PERTUTTI_TEST_VALUE must be a whole number"):
        env_int("PERTUTTI_TEST_VALUE", 60)


def test_booleans_and_lists(monkeypatch):
    monkeypatch.setenv("PERTUTTI_TEST_VALUE", "off")
    assert env_bool("PERTUTTI_TEST_VALUE", True) is False
    monkeypatch.setenv("PERTUTTI_TEST_VALUE", "maybe")
    with pytest.raises(ValueError, match="must be a boolean"):
        env_bool("PERTUTTI_TEST_VALUE", True)
    monkeypatch.setenv("PERTUTTI_TEST_VALUE", "a, b,,c")
    assert env_list("PERTUTTI_TEST_VALUE", []) == ["a", "b", "c"]

"""The fonts printed material needs are on this machine, and `manage.py check` says so when not."""

import pytest
from django.conf import settings
from django.core import checks

from pertutti.printing import fonts
from pertutti.printing.checks import fonts_installed


@pytest.fixture
def fresh_font_list():
    """`installed_families` is cached per process: each test sees fontconfig as it is now."""
    cached = fonts.installed_families  # a test may replace it; its cache is this one's
    cached.cache_clear()
    yield
    cached.cache_clear()


@pytest.mark.parametrize("family", sorted(fonts.FAMILIES))
def test_family_is_installed(fresh_font_list, family):
    assert family in fonts.installed_families(), (
        f"fontconfig does not know {family!r}: apt-get install {fonts.FAMILIES[family]}"
    )


def test_every_family_of_every_stack_is_known():
    # A family in a stack that FAMILIES does not list would never be checked.
    stacked = {
        name.strip().strip('"')
        for language, _ in settings.LANGUAGES
        for name in fonts.font_stack(language).split(",")
    } - {"sans-serif"}
    assert stacked <= set(fonts.FAMILIES)


def test_check_is_quiet_when_every_family_is_installed(fresh_font_list):
    assert fonts_installed() == []
    assert not [m for m in checks.run_checks() if m.id == "printing.W001"]


def test_check_names_the_missing_family_and_its_package(fresh_font_list, monkeypatch):
    fewer = frozenset(fonts.FAMILIES) - {"Noto Sans CJK SC", "Noto Nastaliq Urdu"}
    monkeypatch.setattr(fonts, "installed_families", lambda: fewer)

    [warning] = fonts_installed()

    assert warning.id == "printing.W001"
    assert warning.level == checks.WARNING
    assert "Noto Nastaliq Urdu" in warning.msg and "Noto Sans CJK SC" in warning.msg
    assert "Noto Sans Arabic" not in warning.msg
    assert (
        warning.hint == "Install Debian's packages: apt-get install fonts-noto-cjk fonts-noto-core"
    )
    assert [m.id for m in checks.run_checks() if m.id.startswith("printing.")] == ["printing.W001"]


def test_no_fontconfig_at_all_lists_every_family(fresh_font_list, monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)

    assert fonts.missing_families() == fonts.FAMILIES
    [warning] = fonts_installed()
    assert all(family in warning.msg for family in fonts.FAMILIES)

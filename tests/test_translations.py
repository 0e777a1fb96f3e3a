"""Interface catalogues: complete in every language (CI fails on a missing, empty or fuzzy
entry, as integreat-cms does), with placeholders intact."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(__file__).resolve().parent.parent / "pertutti" / "locale"
SOURCE_LANGUAGE = "en"  # msgids are English
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{n\}")


def catalogue(code: str) -> Path:
    folder = code.split("-")[0] + ("_Hans" if code == "zh-hans" else "")
    return LOCALE / folder / "LC_MESSAGES" / "django.po"


TARGETS = [code for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]


@pytest.mark.parametrize("code", TARGETS)
def test_every_interface_language_has_a_catalogue(code):
    assert catalogue(code).is_file(), f"missing catalogue for {code}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("code", TARGETS)
def test_catalogue_is_complete_and_has_no_fuzzy_entries(code, tmp_path):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(catalogue(code))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@pytest.mark.parametrize("code", TARGETS)
def test_catalogues_have_the_same_entries_and_keep_placeholders(code):
    with catalogue("it").open("rb") as f:
        reference = {m.id for m in read_po(f) if m.id}
    with catalogue(code).open("rb") as f:
        messages = [m for m in read_po(f) if m.id]
    assert {m.id for m in messages} == reference
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert string.strip(), (code, ids[0])
            assert set(PLACEHOLDER.findall(string)) == expected, (code, ids[0], string)

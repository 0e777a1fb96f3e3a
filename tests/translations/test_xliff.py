"""The CAT-tool round trip in XLIFF 2.0 and 1.2, and every bad file."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pertutti.importing.services import services_import_file
from pertutti.translations.exchange import export_language, import_xliff, sources_to_translate
from pertutti.translations.models import Translation
from pertutti.translations.services import target_length_limit, translation_save
from pertutti.translations.xliff import XliffError, parse_xliff
from tests.conftest import service_row
from tests.translations.conftest import source_of


def fill_targets(data: bytes, version: str, make=lambda source: f"[ar] {source}") -> bytes:
    """What a CAT tool does: add a target after each source."""
    text = data.decode()

    def add(match: re.Match) -> str:
        source = match.group(1)
        return f"<source>{source}</source><target>{make(source)}</target>"

    return re.sub(r"<source>(.*?)</source>", add, text, flags=re.S).encode()


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_round_trip(lodi, one_service, version):
    data = export_language(lodi, "ar", version=version)
    assert f'version="{version}"' in data.decode()
    units = parse_xliff(data).units
    assert len(units) == sources_to_translate(lodi, "ar").count() > 0
    assert any(u.id.startswith("service.TST-001.description.") for u in units)
    report = import_xliff(territory=lodi, language="ar", data=fill_targets(data, version))
    assert report.imported == len(units) and report.source_changed == report.unknown == []
    translation = Translation.objects.get(
        language="ar", source=source_of(one_service, "description")
    )
    assert translation.text == "[ar] Aiuto per il permesso di soggiorno."
    assert translation.status == "translated" and not translation.is_outdated
    # Nothing is left to translate, and importing the same file again changes nothing.
    assert sources_to_translate(lodi, "ar").count() == 0
    again = import_xliff(territory=lodi, language="ar", data=fill_targets(data, version))
    assert (again.imported, again.unchanged) == (0, len(units))


def test_export_contains_only_missing_and_outdated_with_the_previous_translation(
    lodi, one_service, write_csv
):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="أمانة", status="translated"
    )
    translation_save(
        source=source_of(one_service, "cost"), language="ar", text="مجاني", status="translated"
    )
    services_import_file(territory=lodi, path=write_csv([service_row(costo="gratis per tutti")]))
    text = export_language(lodi, "ar").decode()
    assert "service.TST-001.name." not in text  # up to date
    assert "service.TST-001.cost." in text  # outdated
    assert '<note category="previous-translation">مجاني</note>' in text
    assert "<target>" not in text  # never pre-filled with an old translation


def test_a_unit_whose_italian_changed_since_export_is_rejected_nothing_else_touched(
    lodi, one_service, write_csv
):
    data = fill_targets(export_language(lodi, "ar"), "2.0")
    services_import_file(
        territory=lodi, path=write_csv([service_row(descrizione="Nuovo testo italiano.")])
    )
    report = import_xliff(territory=lodi, language="ar", data=data)
    assert len(report.source_changed) == 1
    assert report.source_changed[0].startswith("service.TST-001.description.")
    assert not Translation.objects.filter(source=source_of(one_service, "description")).exists()
    assert report.imported == len(parse_xliff(data).units) - 1


def test_unknown_ids_and_empty_targets_are_reported(lodi, one_service):
    data = export_language(lodi, "ar").decode()
    data = data.replace('id="service.TST-001.name.', 'id="service.NOPE-9.name.')
    data = re.sub(
        r"<source>(.*?)</source>", r"<source>\1</source><target>  </target>", data, flags=re.S
    )
    report = import_xliff(territory=lodi, language="ar", data=data.encode())
    assert [u.split(".")[1] for u in report.unknown] == ["NOPE-9"]
    assert len(report.empty) == len(parse_xliff(data.encode()).units) - 1
    assert Translation.objects.count() == 0


def test_html_in_targets_is_stored_as_text_and_escaped(client, lodi, one_service):
    data = fill_targets(
        export_language(lodi, "ar"), "2.0", make=lambda s: "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    import_xliff(territory=lodi, language="ar", data=data)
    stored = Translation.objects.get(source=source_of(one_service, "description")).text
    assert stored == "<script>alert(1)</script>"
    page = client.get("/ar/services/TST-001/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_inline_markup_in_a_target_becomes_plain_text(lodi, one_service):
    data = fill_targets(
        export_language(lodi, "ar"), "2.0", make=lambda s: 'نص <ph id="1"/>مع <pc id="2">رمز</pc>'
    )
    import_xliff(territory=lodi, language="ar", data=data)
    assert Translation.objects.get(source=source_of(one_service, "name")).text == "نص مع رمز"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it" trgLang="ar">
<file id="f"><unit id="u"><segment><source>&lol3;</source><target>&lol3;</target></segment>
</unit></file></xliff>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it" trgLang="ar">
<file id="f"><unit id="u"><segment><source>x</source><target>&secret;</target></segment>
</unit></file></xliff>"""


EMPTY_XLIFF = (
    b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
    b'srcLang="%s" trgLang="%s"/>'
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xliff><unit", "not a valid XML file"),
        (b"", "not a valid XML file"),
        (BILLION_LAUGHS, "not a valid XML file"),
        (EXTERNAL_ENTITY, "not a valid XML file"),
        (b"<html><body>hello</body></html>", "not an XLIFF 2.0 or 1.2 file"),
        (EMPTY_XLIFF % (b"it", b"fr"), "target language is 'fr', not 'ar'"),
        (EMPTY_XLIFF % (b"de", b"ar"), "source language is 'de'"),
        (b"x" * 2001, "file too large: 2001 bytes, at most 2000"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_whole(lodi, one_service, settings, data, message):
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 2000  # the site's upload limit is the XLIFF limit
    with pytest.raises(XliffError, match=message):
        import_xliff(territory=lodi, language="ar", data=data)
    assert Translation.objects.count() == 0


def test_the_import_is_atomic(lodi, one_service, monkeypatch):
    from pertutti.translations import exchange

    data = fill_targets(export_language(lodi, "ar"), "2.0")
    calls = {"n": 0}
    original = exchange.translation_save

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(exchange, "translation_save", failing)
    with pytest.raises(RuntimeError):
        import_xliff(territory=lodi, language="ar", data=data)
    assert Translation.objects.count() == 0


def test_commands_round_trip(lodi, one_service, tmp_path):
    out = tmp_path / "ar.xlf"
    stdout = StringIO()
    call_command(
        "export_xliff", "--language", "ar", "--xliff-version", "1.2", "-o", str(out), stdout=stdout
    )
    assert "units written" in stdout.getvalue()
    out.write_bytes(fill_targets(out.read_bytes(), "1.2"))
    stdout = StringIO()
    call_command("import_xliff", str(out), "--language", "ar", "--status", "draft", stdout=stdout)
    assert re.match(r"\d+ imported, 0 unchanged, 0 rejected", stdout.getvalue())
    assert set(Translation.objects.values_list("status", flat=True)) == {"draft"}
    with pytest.raises(CommandError, match="nothing imported: the file's target language"):
        call_command("import_xliff", str(out), "--language", "fr")
    with pytest.raises(CommandError, match="not a target language"):
        call_command("export_xliff", "--language", "it", "-o", str(out))


def test_a_target_too_long_for_its_source_is_rejected_and_reported(lodi, one_service):
    name = source_of(one_service, "name")

    def make(source: str) -> str:  # each target as long as allowed, the name's one more
        limit = target_length_limit(html.unescape(source))
        return "ب" * (limit + 1 if html.unescape(source) == name.text else limit)

    data = fill_targets(export_language(lodi, "ar"), "2.0", make=make)
    report = import_xliff(territory=lodi, language="ar", data=data)
    assert [u.split(".")[2] for u in report.too_long] == ["name"]
    assert report.imported == len(parse_xliff(data).units) - 1
    assert "1 rejected (target too long)" in report.lines()[0]
    assert not Translation.objects.filter(source=name).exists()


def test_the_command_updates_the_search_index_itself(
    lodi, one_service, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from pertutti.search.models import SearchDocument
    from pertutti.translations import exchange

    class NoQueue:
        def enqueue(self, territory_id: int) -> None:
            raise AssertionError("the command must not wait for a worker")

    monkeypatch.setattr(exchange.tasks, "search_vectors_task", NoQueue())
    path = tmp_path / "ar.xlf"
    path.write_bytes(fill_targets(export_language(lodi, "ar"), "2.0"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_xliff", str(path), "--language", "ar", stdout=StringIO())
    assert SearchDocument.objects.filter(language="ar", service=one_service).exists()


def test_the_command_refuses_a_file_over_the_limit(lodi, tmp_path, settings):
    settings.PERTUTTI_MAX_UPLOAD_BYTES = 100
    path = tmp_path / "ar.xlf"
    path.write_bytes(b"x" * 101)
    with pytest.raises(CommandError, match="file too large: at most 100 bytes"):
        call_command("import_xliff", str(path), "--language", "ar")

"""Orientation sheets and service sheets: what they print, in which language, and that they
never lose a word, run a script or print a QR code a phone cannot read."""

import pytest
import segno
from django.utils import timezone

from pertutti.directory.models import Service, ServiceStatus
from pertutti.printing import content
from pertutti.printing.qr import QRTooLong
from pertutti.printing.selection import MAX_SERVICES, SelectionError, selection_key
from pertutti.printing.sheets import orientation_sheet, service_sheet, short_link
from tests.printing.pdfcheck import (
    assert_clean_pdf,
    page_sizes_mm,
    page_texts,
    pdf_text,
    qr_codes,
)

ITALIAN_COURSES = "LPT-070"  # "Corsi di italiano per stranieri", translated in ar.xlf
ARABIC_NAME = "دروس اللغة الإيطالية للأجانب"


def _codes(territory, count: int) -> list[str]:
    return list(
        Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )


def test_an_arabic_sheet_prints_the_arabic_and_the_italian_beside_it(arabic):
    sheet = orientation_sheet(arabic, [ITALIAN_COURSES], "ar")
    data = sheet.path.read_bytes()
    text = pdf_text(data)
    assert ARABIC_NAME in text
    assert "Corsi di italiano per stranieri" in text
    assert sheet.found == [ITALIAN_COURSES]
    assert_clean_pdf(data)


def test_unknown_and_closed_codes_are_skipped_and_named(demo):
    Service.objects.filter(code="LPT-002").update(status=ServiceStatus.INACTIVE)
    sheet = orientation_sheet(demo, ["LPT-001", "NOPE-1", "LPT-002"], "it")
    assert sheet.found == ["LPT-001"]
    assert sheet.skipped == ["NOPE-1", "LPT-002"]
    text = pdf_text(sheet.path.read_bytes())
    assert "NOPE-1" in text and "LPT-002" in text
    assert "Not printed" in text or "Non stampat" in text


@pytest.mark.parametrize("count", [0, MAX_SERVICES + 1])
def test_a_sheet_holds_one_to_thirty_services(demo, count):
    codes = [f"LPT-{i:03d}" for i in range(1, count + 1)]
    with pytest.raises(SelectionError, match="1 to 30"):
        orientation_sheet(demo, codes, "it")


def test_one_and_thirty_services_make_a4_sheets(demo):
    one = orientation_sheet(demo, _codes(demo, 1), "it").path.read_bytes()
    assert len(page_sizes_mm(one)) == 1
    thirty = orientation_sheet(demo, _codes(demo, 30), "it")
    data = thirty.path.read_bytes()
    assert len(thirty.found) == 30
    assert set(page_sizes_mm(data)) == {(210.0, 297.0)}
    assert 2 <= len(page_sizes_mm(data)) <= 12


def test_every_qr_code_on_page_one_opens_the_service_page_in_the_language(arabic):
    codes = _codes(arabic, 3)
    short = short_link(selection_key(arabic, codes), "ar")
    data = orientation_sheet(arabic, codes, "ar", short_url=short).path.read_bytes()
    found = set(qr_codes(data, page=0))
    pages = {content.page_url("ar", code) for code in codes}
    assert short in found
    assert found - {short} <= pages
    assert len(found - {short}) >= 1
    assert all("/ar/" in url for url in found)


@pytest.mark.parametrize("language", ["ar", "ur", "zh-hans", "pa", "bn", "ru"])
def test_sheets_in_every_script_embed_their_fonts_and_miss_no_glyph(demo, language):
    data = orientation_sheet(demo, _codes(demo, 4), language).path.read_bytes()
    assert_clean_pdf(data)
    assert set(page_sizes_mm(data)) == {(210.0, 297.0)}


def test_four_typical_services_fit_one_italian_page(demo):
    data = orientation_sheet(demo, _codes(demo, 4), "it").path.read_bytes()
    assert len(page_sizes_mm(data)) == 1


def test_a_very_long_service_wraps_and_loses_no_word(demo):
    fields = {
        "name": "Nome",
        "description": "Descrizione",
        "eligibility": "Destinatari",
        "required_documents": "Documenti",
        "cost": "Costo",
        "application_process": "Accesso",
    }
    # 5,000 characters each (the name its column's 300), the last word distinct per field.
    limits = {field: Service._meta.get_field(field).max_length or 5000 for field in fields}
    updates = {
        field: ("parola " * 715)[: limits[field] - 10 - len(word)] + f" Fine{word}"
        for field, word in fields.items()
    }
    Service.objects.filter(code="LPT-001").update(**updates)
    short = orientation_sheet(demo, ["LPT-002"], "it").path.read_bytes()
    long = service_sheet(demo, "LPT-001", "it").read_bytes()
    text = pdf_text(long).replace("\n", "")
    for word in fields.values():
        assert f"Fine{word}" in text, word
    assert len(page_texts(long)) > len(page_texts(short))
    sheet = orientation_sheet(demo, ["LPT-001"], "it").path.read_bytes()
    sheet_text = pdf_text(sheet).replace("\n", "")
    assert "FineNome" in sheet_text and "FineDocumenti" in sheet_text


def test_markup_in_a_text_prints_as_text_and_the_pdf_runs_nothing(demo):
    script = "<script>alert(1)</script>"
    Service.objects.filter(code="LPT-001").update(
        name=f"Sportello {script}", description=script, required_documents=script
    )
    data = service_sheet(demo, "LPT-001", "it").read_bytes()
    assert script in pdf_text(data).replace("\n", "")
    assert b"/JavaScript" not in data and b"/JS" not in data
    sheet = orientation_sheet(demo, ["LPT-001"], "it").path.read_bytes()
    assert script in pdf_text(sheet).replace("\n", "")
    assert b"/JavaScript" not in sheet and b"/JS" not in sheet


def test_a_site_address_too_long_for_a_small_qr_code_is_refused_clearly(demo, settings):
    settings.PERTUTTI_SITE_URL = "https://" + "very-long-host-name." * 4 + "example.org"
    with pytest.raises(QRTooLong, match="PERTUTTI_SITE_URL"):
        orientation_sheet(demo, ["LPT-001"], "it")


def test_the_normal_site_address_makes_small_qr_codes(settings):
    settings.PERTUTTI_SITE_URL = "https://pertutti.comune.lodi.it"
    for language in ("it", "zh-hans", "ar"):
        url = content.page_url(language, "LPT-001")
        assert segno.make(url, error="m").version <= 4, url


def test_the_same_sheet_is_built_once_and_rebuilt_after_an_edit(demo, print_dir):
    first = orientation_sheet(demo, ["LPT-001", "LPT-002"], "it").path
    built = first.stat().st_mtime_ns
    again = orientation_sheet(demo, ["LPT-001", "LPT-002"], "it").path
    assert again == first
    assert len(list(print_dir.glob("*.pdf"))) == 1
    service = Service.objects.get(code="LPT-001")
    service.name = "Sportello rinnovato"
    service.updated_at = timezone.now()
    service.save()
    edited = orientation_sheet(demo, ["LPT-001", "LPT-002"], "it").path
    assert edited != first
    assert "Sportello rinnovato" in pdf_text(edited.read_bytes())
    assert first.stat().st_mtime_ns >= built


def test_the_short_link_key_depends_only_on_the_codes(demo):
    codes = ["LPT-001", "LPT-002"]
    assert selection_key(demo, codes) == selection_key(demo, list(codes))
    assert selection_key(demo, codes) != selection_key(demo, ["LPT-002", "LPT-001"])
    assert short_link(selection_key(demo, codes), "ar").endswith(
        f"/ar/s/{selection_key(demo, codes)}/"
    )

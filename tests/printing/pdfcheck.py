"""Reading the PDFs the tests build: text, page sizes, fonts, missing glyphs, QR codes.

WeasyPrint writes text as Type0 fonts with Identity-H encoding: each glyph is a 2-byte
glyph id in a hex string (`[<0036>0<0048>] TJ`), which `notdef_glyphs` checks against the
embedded font.
"""

import io
import re

import pypdfium2
import zxingcpp
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

MM_PER_POINT = 25.4 / 72
_TEXT_OBJECT = re.compile(rb"BT(.*?)ET", re.S)


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in _reader(data).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    return [
        (
            round(float(page.mediabox.width) * MM_PER_POINT, 1),
            round(float(page.mediabox.height) * MM_PER_POINT, 1),
        )
        for page in _reader(data).pages
    ]


def _all_fonts(data: bytes) -> list[DictionaryObject]:
    """Every font of the pages and of the forms (SVG pictures) they draw, once each."""
    fonts, seen = [], set()
    for _, resources in _streams_with_resources(data):
        for font in (resources.get("/Font") or {}).values():
            key = font.idnum if isinstance(font, IndirectObject) else id(font)
            if key not in seen:
                seen.add(key)
                fonts.append(font.get_object())
    return fonts


def _descriptor(font: DictionaryObject) -> DictionaryObject | None:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor.get_object() if descriptor is not None else None


def font_names(data: bytes) -> set[str]:
    """Base font names without the subset prefix: {"Noto-Sans", "Noto-Sans-Arabic", ...}."""
    return {str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1] for font in _all_fonts(data)}


def unembedded_fonts(data: bytes) -> list[str]:
    """Fonts the PDF names without carrying their glyphs (a reader would substitute them)."""
    missing = []
    for font in _all_fonts(data):
        descriptor = _descriptor(font)
        if descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            missing.append(str(font.get("/BaseFont")))
    return missing


def _streams_with_resources(data: bytes) -> list[tuple[bytes, DictionaryObject]]:
    """Each page's content and each form's (SVG pictures carry text too), with the
    resources their font names refer to."""
    reader = _reader(data)
    out, seen = [], set()
    stack = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        contents = page.get_contents()
        if contents is not None:
            out.append((contents.get_data(), resources))
        stack.append(resources)
    while stack:
        resources = stack.pop()
        for xobject in (resources.get("/XObject") or {}).values():
            key = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
            if key in seen:
                continue
            seen.add(key)
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                inner = xobject.get("/Resources")
                inner = inner.get_object() if inner is not None else resources
                out.append((xobject.get_data(), inner))
                stack.append(inner)
    return out


def _glyph_count(font: DictionaryObject) -> int:
    """Glyphs in the embedded subset. WeasyPrint keeps the font's glyph ids and cuts the
    font after the last glyph used, so an id past the end is a character the font lacks."""
    descriptor = _descriptor(font)
    for key in ("/FontFile2", "/FontFile3"):
        if descriptor is not None and key in descriptor:
            embedded = TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
            return embedded["maxp"].numGlyphs
    return 0


_TOKEN = re.compile(rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f\s]+)>")


def notdef_glyphs(data: bytes) -> int:
    """How many characters are printed without a glyph: glyph id 0 (`.notdef`) or an id
    the embedded font does not have (Pango's "unknown glyph", drawn as an empty box)."""
    count = 0
    sizes: dict[int, int] = {}
    for stream, resources in _streams_with_resources(data):
        fonts = resources.get("/Font") or {}
        for text_object in _TEXT_OBJECT.findall(stream):
            limit = 0
            for match in _TOKEN.finditer(text_object):
                if match.group(1) is not None:
                    font = fonts[f"/{match.group(1).decode()}"]
                    key = font.idnum if isinstance(font, IndirectObject) else id(font)
                    if key not in sizes:
                        sizes[key] = _glyph_count(font.get_object())
                    limit = sizes[key]
                    continue
                digits = re.sub(rb"\s", b"", match.group(2))
                for i in range(0, len(digits) - 3, 4):
                    glyph = int(digits[i : i + 4], 16)
                    count += glyph == 0 or glyph >= limit
    return count


def assert_clean_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-"), data[:20]
    assert unembedded_fonts(data) == []
    assert notdef_glyphs(data) == 0


def qr_codes(data: bytes, page: int = 0, dpi: int = 200) -> list[str]:
    """The texts of the QR codes printed on a page, read from pixels as a phone would."""
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    ]

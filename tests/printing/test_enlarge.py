"""The A4 booklet is the A5 one enlarged: same text, same fonts, A4 pages, codes that scan."""

import pypdfium2
import pytest

from pertutti.printing.pdf import enlarge, html_to_pdf
from pertutti.printing.qr import qr_svg
from tests.printing.pdfcheck import assert_clean_pdf, page_sizes_mm, page_texts, qr_codes

PAGE = (
    '<html lang="ar" dir="rtl"><head><style>@page {{ size: A5; margin: 10mm }}'
    ' body {{ font-family: "Noto Sans", "Noto Sans Arabic" }} svg {{ width: 25mm }}</style>'
    "</head><body><p>خدمة {n}</p><p>Questura di Lodi</p>{qr}</body></html>"
)


def two_a5_pages() -> bytes:
    qr = qr_svg("https://lodi.example.org/ar/services/LPT-001/")
    html = PAGE.format(n=1, qr=qr)
    return html_to_pdf(html.replace("</body>", '<p style="break-before: page">2</p></body>'))


def test_every_page_becomes_a4_with_the_same_text_and_fonts():
    a5 = two_a5_pages()
    a4 = enlarge(a5, (210.0, 297.0))

    assert page_sizes_mm(a5) == [(148.0, 210.0)] * 2
    assert page_sizes_mm(a4) == [(210.0, 297.0)] * 2
    assert page_texts(a4) == page_texts(a5)
    assert_clean_pdf(a4)


def _width_of(data: bytes, word: str) -> float:
    document = pypdfium2.PdfDocument(data)
    try:
        text = document[0].get_textpage()
        start = text.get_text_range().index(word)
        boxes = [text.get_charbox(i) for i in range(start, start + len(word))]
        return max(b[2] for b in boxes) - min(b[0] for b in boxes)
    finally:
        document.close()


def test_the_content_is_scaled_not_just_the_page():
    a5 = two_a5_pages()
    a4 = enlarge(a5, (210.0, 297.0))
    assert _width_of(a4, "Questura") / _width_of(a5, "Questura") == pytest.approx(2**0.5, rel=0.01)
    # The QR code was 25 mm on A5; enlarged it still decodes where a phone would read it.
    assert qr_codes(a4, page=0) == ["https://lodi.example.org/ar/services/LPT-001/"]

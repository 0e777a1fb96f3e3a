"""HTML templates to PDF with WeasyPrint, offline.

Fonts come from fontconfig (see printing.fonts); the QR codes and the locator are inline
SVG. Nothing is fetched: the URL fetcher accepts only `data:` addresses, so a text that
somehow carried a link to an image could not make the server reach the network.
"""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, RectangleObject
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from pertutti.printing.fonts import font_stack
from pertutti.territories.bidi import text_direction


def language_context(language: str, source_language: str) -> dict[str, Any]:
    """What every printed template needs to set text in `language` beside the source."""
    return {
        "language": language,
        "source_language": source_language,
        "direction": text_direction(language),
        "source_direction": text_direction(source_language),
        "bilingual": language != source_language,
        "font_stack": font_stack(language),
        "source_font_stack": font_stack(source_language),
    }


def render_html(template: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """The PDF of `template` with the interface in `language`."""
    return html_to_pdf(render_html(template, context, language=language))


POINTS_PER_MM = 72 / 25.4


def enlarge(data: bytes, size_mm: tuple[float, float]) -> bytes:
    """Each page of the PDF `data` scaled to fit `size_mm` (width, height), centred: vector
    content, so text stays text and fonts stay embedded, only larger.

    The scale is written around each page's content stream as it is, without parsing its
    operators (pypdf's `add_transformation` does, ten times slower)."""
    writer = PdfWriter(clone_from=io.BytesIO(data))
    width, height = (side * POINTS_PER_MM for side in size_mm)
    box = RectangleObject((0, 0, width, height))
    for page in writer.pages:
        factor = min(width / float(page.mediabox.width), height / float(page.mediabox.height))
        dx = (width - float(page.mediabox.width) * factor) / 2
        dy = (height - float(page.mediabox.height) * factor) / 2
        stream = page.get_contents()
        if stream is not None:
            scale = f"q {factor:.6f} 0 0 {factor:.6f} {dx:.4f} {dy:.4f} cm\n".encode()
            scaled = DecodedStreamObject()
            scaled.set_data(scale + stream.get_data() + b"\nQ\n")
            page.replace_contents(scaled.flate_encode())
        page.mediabox = page.cropbox = page.trimbox = page.bleedbox = page.artbox = box
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

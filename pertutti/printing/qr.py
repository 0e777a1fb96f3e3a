"""QR codes for print, as inline SVG (vector: sharp at any size, tiny in the PDF)."""

import io
from functools import lru_cache

import segno

# A printed code must scan at 2 cm from a cheap phone: version 4 (33 modules) at error
# level M leaves each module 0.6 mm at 2 cm, which phone cameras read at arm's length.
# Version 4-M holds 62 bytes: enough for "https://host/xx/services/CODE/" on any sane host.
MAX_VERSION = 4


class QRTooLong(ValueError):
    """The address would need a denser code than a 2 cm print can carry."""


# The same page is printed in many pieces (sheets, four booklets per language): encode once.
@lru_cache(maxsize=4096)
def qr_svg(url: str, *, max_version: int = MAX_VERSION) -> str:
    """An SVG element (no XML declaration, no fixed size: CSS sizes it) encoding `url`."""
    code = segno.make(url, error="m", boost_error=False, micro=False)
    if code.version > max_version:
        raise QRTooLong(
            f"{url!r} needs a QR code of version {code.version}, over {max_version}: "
            "set PERTUTTI_SITE_URL to a shorter address"
        )
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=2, xmldecl=False, svgns=True, omitsize=True)
    return buffer.getvalue().decode()

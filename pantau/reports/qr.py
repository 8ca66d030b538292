"""QR codes (segno) for printed documents and pages: a link a phone camera can open."""

from __future__ import annotations

import segno


def qr_svg_data_uri(text: str, *, dark: str = "#000000") -> str:
    """A ``data:image/svg+xml`` URI of a QR code for ``text`` (error correction M, quiet zone 4).

    Vector, so it stays sharp at any printed size; allowed by the CSP's ``img-src data:``.
    """
    code = segno.make(text, error="m", boost_error=False)
    uri: str = code.svg_data_uri(scale=1, border=4, dark=dark, xmldecl=False, svgns=True)
    return uri

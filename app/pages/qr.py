"""QR codes as SVG responses (segno): the join link, a published results page."""

from __future__ import annotations

import io

import segno
from flask import Response

QR_CACHE_SECONDS = 300


def qr_svg_response(url: str, title: str | None = None) -> Response:
    """An SVG QR code of ``url`` (error correction M, scalable, black on white), cacheable."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=1, border=3, omitsize=True,
                                    xmldecl=False, dark="#000", light="#fff", title=title)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.cache_control.max_age = QR_CACHE_SECONDS
    return response

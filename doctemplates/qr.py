"""QR codes (segno) carrying a document's verification URL."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext

from doctemplates.errors import TemplateRenderError

MAX_URL_LENGTH = 1000


def qr_png(url: str, *, scale: int = 10, border: int = 2) -> bytes:
    """A PNG of a QR code (error correction M) that encodes ``url``."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise TemplateRenderError(
            gettext("A verification URL must have 1 to %(max)s characters.") % {"max": MAX_URL_LENGTH}
        )
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()

"""Checking uploaded pictures (an emblem, a scanned blank): uploads are hostile.

A picture is read by Pillow only after its size is checked, with a pixel budget (a decompression
bomb is refused, not decoded), fully decoded once (a truncated or corrupt file is an error here,
not later in a rendering), and re-encoded as PNG without its metadata, so what is stored is what
Pillow drew, never the uploaded bytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _

from doctemplates.errors import DocTemplateError

FORMATS = frozenset({"PNG", "JPEG"})


class ImageRefused(DocTemplateError):
    """An uploaded picture was refused; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedImage:
    """A picture re-encoded as PNG and its size in pixels."""

    png: bytes
    width_px: int
    height_px: int


def checked_image(content: bytes, *, max_bytes: int, max_pixels: int) -> CheckedImage:
    """Decode `content` (PNG or JPEG) within the limits and return it re-encoded as PNG; raise ImageRefused."""
    from PIL import Image, UnidentifiedImageError

    if not content:
        raise ImageRefused(_("The file is empty."))
    if len(content) > max_bytes:
        raise ImageRefused(
            _("The picture is %(size)s bytes; at most %(limit)s are accepted.")
            % {"size": len(content), "limit": max_bytes}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=sorted(FORMATS)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageRefused(
                        _("The picture has %(pixels)s pixels; at most %(limit)s are accepted.")
                        % {"pixels": width * height, "limit": max_pixels}
                    )
                image.load()
                converted = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(_("The file is not a PNG or JPEG picture we can read.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused(_("The picture is damaged: %(detail)s") % {"detail": exc}) from exc
    output = io.BytesIO()
    converted.save(output, format="PNG", optimize=False)
    return CheckedImage(png=output.getvalue(), width_px=width, height_px=height)

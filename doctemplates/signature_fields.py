"""Visible, empty signature fields placed where the template put ``signature_field(name)``.

The renderer writes an invisible marker (white, 1 pt text ``[[sig:name:nonce]]``); after conversion
:func:`add_signature_fields` finds each marker's position in the PDF's text and appends an empty
signature field there with pyHanko, in an incremental update, so the PDF/A metadata and the bytes
of the converted PDF stay as they were. The signing capability fills the fields by name.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from pypdf import PdfReader

from doctemplates.errors import SignatureFieldError
from doctemplates.rendering import SIGNATURE_FIELD_NAME, signature_marker

FIELD_WIDTH = 170  # points: room for a name, a date and a stamp image
FIELD_HEIGHT = 45


@dataclass(frozen=True)
class MarkerPosition:
    """Where a marker's first character sits: 0-based page index and baseline point (PDF units)."""

    page: int
    x: float
    y: float


def _page_runs(page: Any) -> list[tuple[str, float, float]]:
    runs: list[tuple[str, float, float]] = []

    def visitor(text: str, cm: Sequence[float], tm: Sequence[float], _font: Any, _size: Any) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((text, float(x), float(y)))

    page.extract_text(visitor_text=visitor)
    return runs


def find_markers(pdf: bytes, names: Sequence[str], *, marker_nonce: str = "") -> dict[str, MarkerPosition]:
    """The position of every marker in ``names`` that occurs in the PDF's text."""
    reader = PdfReader(io.BytesIO(pdf))
    wanted = {signature_marker(name, marker_nonce): name for name in names}
    found: dict[str, MarkerPosition] = {}
    # Signatures sit at the end of a document: search from the last page and stop when all are found,
    # since extracting the text of every page of a long statement costs tenths of a second.
    for page_index in reversed(range(len(reader.pages))):
        if len(found) == len(wanted):
            break
        runs = _page_runs(reader.pages[page_index])
        text = ""
        starts: list[int] = []
        for run_text, _x, _y in runs:
            starts.append(len(text))
            text += run_text
        for marker, name in wanted.items():
            offset = text.find(marker)
            if offset < 0 or name in found:
                continue
            run_index = max(i for i, start in enumerate(starts) if start <= offset)
            _, x, y = runs[run_index]
            found[name] = MarkerPosition(page_index, x, y)
    return found


def add_signature_fields(
    pdf: bytes,
    names: Sequence[str],
    *,
    marker_nonce: str = "",
    width: int = FIELD_WIDTH,
    height: int = FIELD_HEIGHT,
) -> bytes:
    """Append an empty visible signature field for each name at its marker; return the new PDF.

    The marker's baseline is the field's lower-left corner. Raises :class:`SignatureFieldError`
    when a name is malformed or repeated, or when its marker is not in the PDF.
    """
    if not names:
        return pdf
    if len(set(names)) != len(names):
        raise SignatureFieldError(gettext("Signature field names must be unique."))
    for name in names:
        if not SIGNATURE_FIELD_NAME.match(name):
            raise SignatureFieldError(gettext("Bad signature field name %(name)r.") % {"name": name})
    positions = find_markers(pdf, names, marker_nonce=marker_nonce)
    missing = [name for name in names if name not in positions]
    if missing:
        raise SignatureFieldError(
            gettext("The PDF has no marker for the signature field(s) %(names)s.")
            % {"names": ", ".join(missing)}
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for name in names:
        position = positions[name]
        left, bottom = round(position.x), round(position.y)  # whole points are precise enough
        box = (left, bottom, left + width, bottom + height)
        append_signature_field(writer, SigFieldSpec(sig_field_name=name, on_page=position.page, box=box))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

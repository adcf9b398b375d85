"""Printing variable data onto pre-printed blank forms at positions given in millimetres.

A :class:`BlankLayout` is the page size and the boxes of its fields; :func:`draw_blanks` draws one
page per record with only the values (no design, no boxes): text in its box with its font, size and
alignment, or a QR code filling a square box. Positions are measured from the top-left corner of the
sheet, as a ruler laid on the blank reads them; a printer's offset (x to the right, y down) is added
to every position, so one calibration fixes a printer that feeds paper shifted. A value that is a
list fills a column: item n is drawn ``pitch_mm × n`` below the box (a supplement's rows).

A column holds at most ``rows`` items on one sheet (the rows the printed form has; 0: no limit).
:func:`record_sheets` splits one record into as many sheets as its longest column needs: each sheet
continues the columns where the previous one stopped (the row numbers go on), and the other values
(the holder, the series and number) are repeated on every sheet, so each sheet names whose it is.

:func:`calibration_sheet` draws crosses and rulers at known positions to measure that offset, and
:func:`draw_preview` draws the same page over a scanned image of the blank with the boxes outlined.
Nothing here knows what a diploma is.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import segno
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_FILES = {
    "serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "serif-bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "sans-bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
}
FONTS = tuple(FONT_FILES)
ALIGNMENTS = ("left", "center", "right")
# Where in its box a line of text sits: the middle of a capital letter on the box's middle line.
CAP_HEIGHT = 0.66  # of the font size, for Liberation Serif and Sans (both 0.65–0.66 em)


@dataclass(frozen=True)
class BlankField:
    """One field's box on the sheet: top-left corner and size in mm, font, size in points, alignment."""

    name: str
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    font: str = "serif"
    size_pt: float = 12
    align: Literal["left", "center", "right"] = "left"
    kind: Literal["text", "qr"] = "text"
    pitch_mm: float = 0  # the distance between rows when the value is a list
    rows: int = 0  # how many items of a list one sheet holds (the form's rows); 0: no limit


@dataclass(frozen=True)
class BlankLayout:
    """A blank design: the sheet's size in mm and its fields."""

    width_mm: float
    height_mm: float
    fields: tuple[BlankField, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Offset:
    """A printer's shift: +x moves everything right, +y moves everything down (mm)."""

    x_mm: float = 0
    y_mm: float = 0


@functools.cache
def font_name(font: str) -> str:
    """Register the TrueType font (embedded, with Kazakh letters) once and return its name."""
    name = f"Blank-{font}"
    pdfmetrics.registerFont(TTFont(name, FONT_FILES[font]))
    return name


def baseline_mm(blank_field: BlankField, size_pt: float | None = None) -> float:
    """The baseline of the field's (first) line, from the sheet's top: the capitals centred in the box."""
    size = blank_field.size_pt if size_pt is None else size_pt
    cap_mm = size * CAP_HEIGHT * 25.4 / 72
    return blank_field.y_mm + blank_field.height_mm / 2 + cap_mm / 2


def _fitted_size(text: str, font: str, blank_field: BlankField) -> float:
    """The field's size, or smaller so that a long value stays inside its box (never below 5 pt)."""
    width = pdfmetrics.stringWidth(text, font, blank_field.size_pt)
    if width <= blank_field.width_mm * mm or width == 0:
        return blank_field.size_pt
    return max(5.0, blank_field.size_pt * blank_field.width_mm * mm / width)


def _text(
    canvas: Canvas, blank_field: BlankField, text: str, top_mm: float, x_mm: float, page_h: float
) -> None:
    font = font_name(blank_field.font)
    size = _fitted_size(text, font, blank_field)
    moved = BlankField(**{**blank_field.__dict__, "y_mm": top_mm})
    baseline = page_h - baseline_mm(moved, size) * mm
    canvas.setFont(font, size)
    if blank_field.align == "center":
        canvas.drawCentredString((x_mm + blank_field.width_mm / 2) * mm, baseline, text)
    elif blank_field.align == "right":
        canvas.drawRightString((x_mm + blank_field.width_mm) * mm, baseline, text)
    else:
        canvas.drawString(x_mm * mm, baseline, text)


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules of `url` (error correction M, no quiet zone): True is dark."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def _qr(canvas: Canvas, blank_field: BlankField, url: str, top_mm: float, x_mm: float, page_h: float) -> None:
    """A QR code as filled squares, the largest square that fits the box, at its top-left corner."""
    matrix = qr_matrix(url)
    side = min(blank_field.width_mm, blank_field.height_mm) * mm
    module = side / len(matrix)
    left, top = x_mm * mm, page_h - top_mm * mm
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                path.rect(left + column_index * module, top - (row_index + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_values(
    canvas: Canvas, layout: BlankLayout, values: Mapping[str, Any], offset: Offset, outline: bool
) -> None:
    page_h = layout.height_mm * mm
    for blank_field in layout.fields:
        x_mm, y_mm = blank_field.x_mm + offset.x_mm, blank_field.y_mm + offset.y_mm
        if outline:
            canvas.setStrokeColorRGB(0.85, 0.1, 0.1)
            canvas.setLineWidth(0.4)
            canvas.rect(
                x_mm * mm, page_h - (y_mm + blank_field.height_mm) * mm,
                blank_field.width_mm * mm, blank_field.height_mm * mm,
            )  # fmt: skip
            canvas.setFillColorRGB(0.85, 0.1, 0.1)
            canvas.setFont(font_name("sans"), 5)
            canvas.drawString(x_mm * mm, page_h - y_mm * mm + 1.5, blank_field.name)
            canvas.setFillColorRGB(0, 0, 0)
        value = values.get(blank_field.name)
        if value is None or value == "" or value == []:
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            top = y_mm + index * blank_field.pitch_mm
            if blank_field.kind == "qr":
                _qr(canvas, blank_field, str(item), top, x_mm, page_h)
            else:
                _text(canvas, blank_field, str(item), top, x_mm, page_h)


def record_sheets(layout: BlankLayout, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sheets one record needs: the values of each, lists cut to their fields' ``rows``.

    One sheet when every list fits; otherwise sheet k holds items ``k·rows … (k+1)·rows − 1`` of each
    limited list, the unlimited lists only on the first sheet, and every other value on all.
    """
    limits = {f.name: f.rows for f in layout.fields if f.rows > 0}
    count = 1
    for name, rows in limits.items():
        value = values.get(name)
        if isinstance(value, list) and value:
            count = max(count, -(-len(value) // rows))
    if count == 1:
        return [dict(values)]
    sheets = []
    for sheet in range(count):
        page: dict[str, Any] = {}
        for name, value in values.items():
            if not isinstance(value, list):
                page[name] = value
            elif name in limits:
                page[name] = value[sheet * limits[name] : (sheet + 1) * limits[name]]
            else:
                page[name] = value if sheet == 0 else []
        sheets.append(page)
    return sheets


def _canvas(layout: BlankLayout, output: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(output, pagesize=(layout.width_mm * mm, layout.height_mm * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Electronic Rectorate")
    return canvas


def draw_blanks(
    layout: BlankLayout, pages: Sequence[Mapping[str, Any]], *, offset: Offset | None = None, title: str = ""
) -> bytes:
    """One PDF page per sheet: only the values, at their positions shifted by the printer's offset.

    `pages` are sheets (:func:`record_sheets` splits a record that does not fit one); a list longer
    than its field's ``rows`` is refused here rather than drawn past the form's last row.
    """
    output = io.BytesIO()
    canvas = _canvas(layout, output, title)
    for values in pages:
        for blank_field in layout.fields:
            value = values.get(blank_field.name)
            if blank_field.rows and isinstance(value, list) and len(value) > blank_field.rows:
                raise ValueError(f"{blank_field.name}: {len(value)} rows on a sheet of {blank_field.rows}")
        _draw_values(canvas, layout, values, offset or Offset(), outline=False)
        canvas.showPage()
    canvas.save()
    return output.getvalue()


def draw_preview(layout: BlankLayout, values: Mapping[str, Any], *, scan_png: bytes | None = None) -> bytes:
    """One page: the scanned blank stretched to the sheet, the boxes outlined and named, the values."""
    from reportlab.lib.utils import ImageReader

    output = io.BytesIO()
    canvas = _canvas(layout, output, "preview")
    if scan_png:
        canvas.drawImage(ImageReader(io.BytesIO(scan_png)), 0, 0, layout.width_mm * mm, layout.height_mm * mm)
    _draw_values(canvas, layout, values, Offset(), outline=True)
    canvas.showPage()
    canvas.save()
    return output.getvalue()


# The calibration sheet's crosses: 10 mm in from each corner and the centre of the sheet.
def calibration_points(width_mm: float, height_mm: float) -> list[tuple[float, float]]:
    """Where the calibration sheet's crosses are meant to be (mm from the top-left corner)."""
    return [
        (10, 10),
        (width_mm - 10, 10),
        (10, height_mm - 10),
        (width_mm - 10, height_mm - 10),
        (width_mm / 2, height_mm / 2),
    ]


def calibration_sheet(
    width_mm: float, height_mm: float, *, offset: Offset | None = None, labels: Sequence[str] = ()
) -> bytes:
    """A test sheet: crosses at :func:`calibration_points`, and rulers along the top and left edges.

    Printed with the printer's current offset; where the crosses land on the paper (measured with a
    ruler from the sheet's edges) minus where they should be is the correction to add to the offset.
    `labels` are printed in the middle (the printer's name, the offset in use).
    """
    shift = offset or Offset()
    output = io.BytesIO()
    canvas = _canvas(BlankLayout(width_mm, height_mm), output, "calibration")
    page_h = height_mm * mm
    canvas.setLineWidth(0.25)
    canvas.setFont(font_name("sans"), 6)
    for x, y in calibration_points(width_mm, height_mm):
        cx, cy = (x + shift.x_mm) * mm, page_h - (y + shift.y_mm) * mm
        canvas.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
        canvas.line(cx, cy - 5 * mm, cx, cy + 5 * mm)
        canvas.circle(cx, cy, 2 * mm)
        canvas.drawString(cx + 2.5 * mm, cy + 1 * mm, f"{x:g}, {y:g}")
    for position in range(0, int(width_mm) + 1):  # the top ruler, 30 mm down
        x = (position + shift.x_mm) * mm
        tick = 3 if position % 10 == 0 else (2 if position % 5 == 0 else 1)
        top = page_h - (30 + shift.y_mm) * mm
        canvas.line(x, top, x, top - tick * mm)
        if position % 10 == 0:
            canvas.drawString(x + 0.5, top - 5.5 * mm, str(position))
    for position in range(0, int(height_mm) + 1):  # the left ruler, 30 mm in
        y = page_h - (position + shift.y_mm) * mm
        tick = 3 if position % 10 == 0 else (2 if position % 5 == 0 else 1)
        left = (30 + shift.x_mm) * mm
        canvas.line(left, y, left + tick * mm, y)
        if position % 10 == 0:
            canvas.drawString(left + 4 * mm, y - 2, str(position))
    canvas.setFont(font_name("sans"), 9)
    for index, label in enumerate(labels):
        canvas.drawCentredString(width_mm / 2 * mm, page_h / 2 - (12 + 5 * index) * mm, label)
    canvas.showPage()
    canvas.save()
    return output.getvalue()

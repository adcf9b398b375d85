"""Printing onto blanks: every field lands where its profile puts it (read back with pdfplumber), the
printer's offset moves every field, the QR code's modules are where they encode the URL, and the
calibration sheet's crosses are at their stated positions."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
import segno
from reportlab.pdfbase import pdfmetrics

from doctemplates.blanks import (
    BlankField,
    BlankLayout,
    Offset,
    calibration_points,
    calibration_sheet,
    draw_blanks,
    draw_preview,
    font_name,
)

MM = 72 / 25.4
TOLERANCE_MM = 0.5
LAYOUT = BlankLayout(
    width_mm=297,
    height_mm=210,
    fields=(
        BlankField("full_name", 30, 80, 110, 10, font="serif-bold", size_pt=16, align="center"),
        BlankField("programme", 20, 100, 120, 8, font="serif", size_pt=11, align="left"),
        BlankField("number", 200, 30, 60, 7, font="sans", size_pt=12, align="right"),
        BlankField("city", 160, 150, 50, 6, font="sans-bold", size_pt=9, align="left"),
        BlankField("rows", 20, 120, 40, 5, font="serif", size_pt=8, align="left", pitch_mm=5.5),
        BlankField("qr", 240, 150, 30, 30, kind="qr"),
    ),
)
VALUES: dict[str, Any] = {
    "full_name": "Әбілқасымова Айгерім",
    "programme": "6B06102 Бағдарламалық инженерия",
    "number": "BD 0004217",
    "city": "Алматы қ.",
    "rows": ["Бірінші", "Второй", "Third"],
    "qr": "https://rectorate.example.kz/verify/2QCLAEU2TBZE/",
}


def _words(pdf: bytes, page_number: int = 0) -> tuple[list[dict[str, Any]], float, list[dict[str, Any]]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[page_number]
        return list(page.chars), float(page.height), list(page.rects)


def _find(chars: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The characters of the first run of `text` on the page, in drawing order."""
    joined = "".join(c["text"] for c in chars)
    start = joined.index(text)
    return chars[start : start + len(text)]


def _cap_height(font: str, size_pt: float) -> float:
    """The font's own cap height (its OS/2 table, via reportlab's face) in mm."""
    face = pdfmetrics.getFont(font_name(font)).face
    return face.capHeight / 1000 * size_pt / MM


def _check_field(
    blank_field: BlankField,
    text: str,
    chars: list[dict[str, Any]],
    page_h: float,
    offset: Offset,
    row: int = 0,
) -> None:
    run = _find(chars, text)
    left = run[0]["x0"] / MM
    right = run[-1]["x1"] / MM
    baseline = (page_h - run[0]["matrix"][5]) / MM
    x = blank_field.x_mm + offset.x_mm
    top = blank_field.y_mm + offset.y_mm + row * blank_field.pitch_mm
    expected = {"left": (left, x), "right": (right, x + blank_field.width_mm)}.get(
        blank_field.align, ((left + right) / 2, x + blank_field.width_mm / 2)
    )
    assert abs(expected[0] - expected[1]) <= TOLERANCE_MM, (text, blank_field.align, expected)
    cap_middle = baseline - _cap_height(blank_field.font, run[0]["size"]) / 2
    assert abs(cap_middle - (top + blank_field.height_mm / 2)) <= TOLERANCE_MM, (text, cap_middle, top)
    assert x - TOLERANCE_MM <= left and right <= x + blank_field.width_mm + TOLERANCE_MM, "inside its box"


def _qr_modules(
    rects: list[dict[str, Any]], page_h: float, x_mm: float, y_mm: float, side_mm: float, n: int
) -> list[list[bool]]:
    """Which modules of an n×n grid at (x, y) the drawn squares cover."""
    module = side_mm / n
    grid = [[False] * n for _ in range(n)]
    for rect in rects:
        column = round((rect["x0"] / MM - x_mm) / module)
        row = round(((page_h - rect["y1"]) / MM - y_mm) / module)
        assert abs((rect["x0"] / MM - x_mm) - column * module) <= TOLERANCE_MM / 5
        if 0 <= row < n and 0 <= column < n:
            grid[row][column] = True
    return grid


def _assert_layout(pdf: bytes, offset: Offset) -> None:
    chars, page_h, rects = _words(pdf)
    fields = {f.name: f for f in LAYOUT.fields}
    for name in ("full_name", "programme", "number", "city"):
        _check_field(fields[name], VALUES[name], chars, page_h, offset)
    for row, text in enumerate(VALUES["rows"]):
        _check_field(fields["rows"], text, chars, page_h, offset, row=row)
    expected = [[bool(cell) for cell in line] for line in segno.make(VALUES["qr"], error="m").matrix]
    qr = fields["qr"]
    drawn = _qr_modules(
        rects, page_h, qr.x_mm + offset.x_mm, qr.y_mm + offset.y_mm, qr.width_mm, len(expected)
    )
    assert drawn == expected, "the QR modules at the field's position encode the URL"


def test_every_field_lands_within_half_a_millimetre_of_its_position() -> None:
    pdf = draw_blanks(LAYOUT, [VALUES])
    _assert_layout(pdf, Offset())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (297, 210)
        assert not page.lines and not page.curves, "only the values: no boxes, no design"


@pytest.mark.parametrize("offset", [Offset(3.5, -2.0), Offset(-1.2, 4.8)])
def test_the_printer_offset_moves_every_field_by_itself(offset: Offset) -> None:
    plain = draw_blanks(LAYOUT, [VALUES])
    moved = draw_blanks(LAYOUT, [VALUES], offset=offset)
    _assert_layout(moved, offset)
    plain_chars, _h, plain_rects = _words(plain)
    moved_chars, _h, moved_rects = _words(moved)
    assert len(plain_chars) == len(moved_chars) and len(plain_rects) == len(moved_rects)
    for before, after in zip(plain_chars + plain_rects, moved_chars + moved_rects, strict=True):
        assert abs((after["x0"] - before["x0"]) / MM - offset.x_mm) < 0.01
        assert abs((after["top"] - before["top"]) / MM - offset.y_mm) < 0.01


def test_one_page_per_record_and_empty_values_leave_their_box_empty() -> None:
    second = {**VALUES, "full_name": "Серіков Нұрлан", "city": "", "rows": []}
    pdf = draw_blanks(LAYOUT, [VALUES, second])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 2
        text = document.pages[1].extract_text()
    assert "Серіков Нұрлан" in text and "Алматы" not in text and "Бірінші" not in text


def test_a_value_too_long_for_its_box_is_made_smaller_not_spilled() -> None:
    long_name = "Әбілқасымова-Серікбаева Айгерім-Гүлназ Серікқызы Нұрлановна"
    pdf = draw_blanks(LAYOUT, [{**VALUES, "full_name": long_name}])
    chars, _page_h, _rects = _words(pdf)
    run = _find(chars, long_name)
    field = LAYOUT.fields[0]
    assert run[0]["size"] < field.size_pt
    assert (
        field.x_mm - TOLERANCE_MM <= run[0]["x0"] / MM
        and run[-1]["x1"] / MM <= field.x_mm + field.width_mm + TOLERANCE_MM
    )


def test_calibration_crosses_and_rulers_are_at_their_stated_positions_shifted_by_the_offset() -> None:
    for offset in (Offset(), Offset(2.5, -1.5)):
        pdf = calibration_sheet(297, 210, offset=offset, labels=["Printer A"])
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            page = document.pages[0]
            lines = page.lines
            text = page.extract_text()
        assert "Printer A" in text
        for x, y in calibration_points(297, 210):
            cx, cy = x + offset.x_mm, y + offset.y_mm
            horizontal = [
                line for line in lines
                if abs(line["top"] - line["bottom"]) < 0.01
                and abs(line["top"] / MM - cy) <= 0.1
                and abs((line["x0"] + line["x1"]) / 2 / MM - cx) <= 0.1
            ]  # fmt: skip
            vertical = [
                line for line in lines
                if abs(line["x0"] - line["x1"]) < 0.01
                and abs(line["x0"] / MM - cx) <= 0.1
                and abs((line["top"] + line["bottom"]) / 2 / MM - cy) <= 0.1
            ]  # fmt: skip
            assert horizontal and vertical, (x, y, offset)
        ten_mm_ticks = [
            line for line in lines
            if abs(line["x0"] - line["x1"]) < 0.01 and abs((line["bottom"] - line["top"]) / MM - 3) < 0.05
        ]  # fmt: skip
        positions = sorted(round(line["x0"] / MM - offset.x_mm, 2) for line in ten_mm_ticks)
        assert positions == [float(p) for p in range(0, 298, 10)], "a tick every 10 mm of the top ruler"


def test_the_preview_draws_the_scan_and_outlines_every_box() -> None:
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (297, 210), (240, 230, 200)).save(scan, format="PNG")
    pdf = draw_preview(LAYOUT, VALUES, scan_png=scan.getvalue())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert len(page.images) == 1
        outlines = [r for r in page.rects if r["stroke"] and not r["fill"]]
        assert len(outlines) == len(LAYOUT.fields)

"""A supplement whose disciplines do not fit the form's rows continues on the next blank.

A long programme (45 disciplines) printed onto a supplement blank of 20 rows takes three sheets:
rows 1–20, 21–40 and 41–45, each at the form's own row positions, each sheet naming the holder and
the diploma number, each recorded as a blank of its own; a spoiled second sheet is printed again
alone, on the next free form.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

import pdfplumber
import pytest

from doctemplates.blanks import BlankField, BlankLayout, draw_blanks, record_sheets
from records.kinds.diploma import SUPPLEMENT_KIND
from records.models import PrintedBlank, Role
from records.projections.bulk import document_register_directly
from records.services.blanks import blank_cohort_print, blank_spoil, printer_calibration_save
from tests.records.diplomas.test_blanks import MM, _profile, _registered_diplomas

ROWS, PITCH, FIRST_ROW_MM = 20, 9.0, 60.0
FIELDS = [
    {"name": "full_name", "x_mm": 30, "y_mm": 30, "width_mm": 120, "height_mm": 6},
    {"name": "diploma_number", "x_mm": 160, "y_mm": 30, "width_mm": 40, "height_mm": 6},
    {"name": "line_no", "x_mm": 12, "y_mm": FIRST_ROW_MM, "width_mm": 10, "height_mm": 5, "size_pt": 9, "pitch_mm": PITCH, "rows": ROWS},
    {"name": "line_code", "x_mm": 24, "y_mm": FIRST_ROW_MM, "width_mm": 20, "height_mm": 5, "size_pt": 9, "pitch_mm": PITCH, "rows": ROWS},
    {"name": "gpa", "x_mm": 30, "y_mm": 250, "width_mm": 30, "height_mm": 6},
]  # fmt: skip


def _long_supplement(users: dict[str, Any], org: Any, disciplines: int) -> Any:
    registrar = users[Role.REGISTRAR]
    entry = _registered_diplomas(users, org, [1])[0]
    line = SUPPLEMENT_KIND.sample_data["lines"][0]
    lines = [
        {**line, "discipline_code": f"K{i:03d}", "discipline_name": f"Пән {i}"}
        for i in range(1, disciplines + 1)
    ]
    data = {
        **SUPPLEMENT_KIND.sample_data,
        "student_iin": entry.graduate.iin,
        "diploma_number": entry.display_number,
        "lines": lines,
    }
    entry.supplement = document_register_directly(
        by=registrar, kind="diploma_supplement", org_unit=org.faculty, title="Приложение", data=data
    )
    entry.save(update_fields=["supplement"])
    return entry


def _sheets(pdf_bytes: bytes) -> list[dict[str, float]]:
    """Per page: each discipline code's top in mm."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [
            {w["text"]: w["top"] / MM for w in page.extract_words() if w["text"].startswith("K")}
            for page in pdf.pages
        ]


def test_a_long_programme_continues_on_further_supplement_blanks(users: dict[str, Any], org: Any) -> None:
    registrar = users[Role.REGISTRAR]
    entry = _long_supplement(users, org, 45)
    profile = _profile(
        registrar,
        name="Supplement",
        design="diploma_supplement",
        width_mm="210",
        height_mm="297",
        fields=FIELDS,
    )
    printer = printer_calibration_save(by=registrar, name="P", offset_x_mm=0, offset_y_mm=0)
    run = blank_cohort_print(
        by=registrar, entries=[entry], profile=profile, printer=printer, series="S", first_number=1
    )

    blanks = list(run.blanks.order_by("page"))
    assert [(b.number, b.page, b.document_id) for b in blanks] == [
        (n, n, entry.supplement_id) for n in (1, 2, 3)
    ]
    pdf = run.pdf.read()
    sheets = _sheets(pdf)
    assert [sorted(sheet) for sheet in sheets] == [
        [f"K{i:03d}" for i in range(1, 21)],
        [f"K{i:03d}" for i in range(21, 41)],
        [f"K{i:03d}" for i in range(41, 46)],
    ]
    for sheet in sheets:  # every sheet's rows start at the form's first row, at its pitch, inside the form
        tops = sorted(sheet.values())
        assert abs(tops[0] - sheets[0]["K001"]) < 0.05
        assert all(abs(b - a - PITCH) < 0.05 for a, b in itertools.pairwise(tops))
        assert tops[-1] < FIRST_ROW_MM + ROWS * PITCH
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [page.extract_text() for page in document.pages]
    assert all(entry.display_number in text for text in texts), "each sheet names the diploma"
    assert "21" in texts[1].split() and "45" in texts[2].split(), "row numbers go on"

    again = blank_spoil(by=registrar, blank=blanks[1], reason="Замялся лист")
    assert (again.number, again.document_id) == (4, entry.supplement_id)
    assert sorted(_sheets(again.run.pdf.read())[0]) == [f"K{i:03d}" for i in range(21, 41)]
    assert PrintedBlank.objects.get(pk=blanks[1].pk).status == PrintedBlank.Status.SPOILED


def test_record_sheets_and_a_list_longer_than_the_form_is_refused() -> None:
    layout = BlankLayout(
        210, 297, (BlankField("line", 10, 50, 50, 5, pitch_mm=6, rows=2), BlankField("name", 10, 10, 50, 5))
    )
    sheets = record_sheets(layout, {"line": ["a", "b", "c"], "name": "N"})
    assert sheets == [{"line": ["a", "b"], "name": "N"}, {"line": ["c"], "name": "N"}]
    assert record_sheets(layout, {"line": ["a"], "name": "N"}) == [{"line": ["a"], "name": "N"}]
    with pytest.raises(ValueError, match="3 rows on a sheet of 2"):
        draw_blanks(layout, [{"line": ["a", "b", "c"]}])

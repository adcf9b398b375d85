"""Printing registered diplomas onto numbered blank forms: book order, the blanks recorded, a spoiled
blank reprinted on the next form, the printer's offset applied, the QR verifying the document, and
every refusal changing nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import pdfplumber
import pytest
import segno
from django.test import Client

from records.errors import RecordsError
from records.kinds.diploma import DIPLOMA_KIND
from records.models import (
    AuditEvent,
    BlankPrintRun,
    BlankProfile,
    DiplomaBookEntry,
    Document,
    PrintedBlank,
    PrinterCalibration,
    Role,
)
from records.projections.bulk import document_register_directly
from records.services.blanks import (
    blank_cohort_print,
    blank_profile_save,
    blank_profile_scan_upload,
    blank_spoil,
    calibration_pdf,
    printer_calibration_save,
)
from records.services.diplomas import diploma_book_entry_add
from records.services.rendering import verification_url
from tests.factories import make_person

MM = 72 / 25.4
FIELDS = [
    {
        "name": "full_name",
        "x_mm": 40,
        "y_mm": 90,
        "width_mm": 120,
        "height_mm": 10,
        "size_pt": 16,
        "align": "center",
    },
    {"name": "diploma_number", "x_mm": 200, "y_mm": 20, "width_mm": 70, "height_mm": 8, "align": "right"},
    {"name": "registry_number", "x_mm": 30, "y_mm": 170, "width_mm": 60, "height_mm": 6, "size_pt": 10},
    {"name": "issue_date", "x_mm": 30, "y_mm": 180, "width_mm": 60, "height_mm": 6, "size_pt": 10},
    {"name": "qr", "x_mm": 245, "y_mm": 160, "width_mm": 30, "height_mm": 30, "kind": "qr"},
]


def _profile(by: Any, **changes: Any) -> BlankProfile:
    arguments: dict[str, Any] = {
        "profile": None,
        "name": "BD 2026 (ru)",
        "design": "diploma",
        "level": "bachelor",
        "side": "ru",
        "width_mm": "297",
        "height_mm": "210",
        "fields": FIELDS,
        **changes,
    }
    return blank_profile_save(by=by, **arguments)


def _registered_diplomas(users: dict[str, Any], org: Any, numbers: list[int]) -> list[DiplomaBookEntry]:
    """Book entries (created in the order given) with registered diplomas; no rendering needed."""
    registrar = users[Role.REGISTRAR]
    entries = []
    for number in numbers:
        graduate = make_person(kind="student")
        entry = diploma_book_entry_add(
            series="BD", number=number, graduate=graduate, issue_date="2026-07-01", created_by=registrar
        )
        data = {
            **DIPLOMA_KIND.sample_data,
            "student_iin": graduate.iin,
            "diploma_number": entry.display_number,
            "book_number": number,
            "full_name": {lang: graduate.full_name(lang) for lang in ("kk", "ru", "en")},
        }
        entry.diploma = document_register_directly(
            by=registrar, kind="diploma", org_unit=org.faculty, title=f"Диплом {number}", data=data
        )
        entry.save(update_fields=["diploma"])
        entries.append(entry)
    return entries


def _page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_a_cohort_prints_in_book_order_and_records_each_blank(users: dict[str, Any], org: Any) -> None:
    """Entries given out of order are printed in diploma-book order, one page each, onto consecutive
    free forms; each form records its book entry and document; the run is audited."""
    registrar = users[Role.REGISTRAR]
    entries = _registered_diplomas(users, org, [3, 1, 2])
    profile = _profile(registrar)
    printer = printer_calibration_save(by=registrar, name="Canon LBP", offset_x_mm="0", offset_y_mm="0")
    run = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=printer, series="ЖБ-Б", first_number="1201"
    )
    blanks = list(run.blanks.order_by("page"))
    assert [b.entry.number for b in blanks] == [1, 2, 3]
    assert [b.display_number for b in blanks] == ["ЖБ-Б 0001201", "ЖБ-Б 0001202", "ЖБ-Б 0001203"]
    assert all(b.document_id == b.entry.diploma_id for b in blanks)
    texts = _page_texts(run.pdf.read())
    assert len(texts) == 3
    for text, blank in zip(texts, blanks, strict=True):
        document = Document.objects.get(pk=blank.document_id)
        assert blank.entry.display_number in text and document.registry_number in text
        assert blank.entry.graduate.full_name("ru") in text
    event = AuditEvent.objects.get(action="blank.print")
    assert event.changes["blanks"] == {
        "ЖБ-Б 0001201": "BD 0000001",
        "ЖБ-Б 0001202": "BD 0000002",
        "ЖБ-Б 0001203": "BD 0000003",
    }
    with pytest.raises(RecordsError) as info:
        blank_cohort_print(
            by=registrar, entries=entries, profile=profile, printer=printer, series="ЖБ-Б", first_number="1"
        )
    assert info.value.code == "already_printed" and "BD 0000001" in info.value.message


def test_a_spoiled_blank_is_recorded_and_the_diploma_goes_onto_the_next_free_form(
    users: dict[str, Any], org: Any
) -> None:
    registrar = users[Role.REGISTRAR]
    entries = _registered_diplomas(users, org, [1, 2])
    profile = _profile(registrar)
    printer = printer_calibration_save(by=registrar, name="HP", offset_x_mm="0", offset_y_mm="0")
    run = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=printer, series="ЖБ", first_number=10
    )
    first = run.blanks.get(page=1)
    with pytest.raises(RecordsError) as info:
        blank_spoil(by=registrar, blank=first, reason="  ")
    assert (
        info.value.code == "reason_required" and first.__class__.objects.get(pk=first.pk).status == "printed"
    )
    reprint = blank_spoil(by=registrar, blank=first, reason="Принтер зажевал бланк")
    first.refresh_from_db()
    assert (first.status, first.reason, first.replaced_by_id) == (
        "spoiled",
        "Принтер зажевал бланк",
        reprint.pk,
    )
    # Forms 10 and 11 are used: the reprint takes 12, for the same diploma.
    assert (reprint.display_number, reprint.entry_id, reprint.document_id) == (
        "ЖБ 0000012",
        first.entry_id,
        first.document_id,
    )
    assert _page_texts(reprint.run.pdf.read())[0].count(first.entry.display_number) == 1
    assert AuditEvent.objects.get(action="blank.spoil").changes["spoiled"] == "ЖБ 0000010"
    with pytest.raises(RecordsError) as again:
        blank_spoil(by=registrar, blank=first, reason="ещё раз")
    assert again.value.code == "already_spoiled"
    # A later cohort print starting at 10 skips the used and spoiled forms.
    more = _registered_diplomas(users, org, [3])
    later = blank_cohort_print(
        by=registrar, entries=more, profile=profile, printer=printer, series="ЖБ", first_number=10
    )
    assert later.blanks.get().display_number == "ЖБ 0000013"


def test_the_printer_offset_is_applied_to_the_print(users: dict[str, Any], org: Any) -> None:
    registrar = users[Role.REGISTRAR]
    entries = _registered_diplomas(users, org, [1])
    profile = _profile(registrar)
    straight = printer_calibration_save(by=registrar, name="A", offset_x_mm="0", offset_y_mm="0")
    shifted = printer_calibration_save(by=registrar, name="B", offset_x_mm="2,5", offset_y_mm="-1.5")
    assert (shifted.offset_x_mm, shifted.offset_y_mm) == (Decimal("2.5"), Decimal("-1.5"))
    first = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=straight, series="A", first_number=1
    )
    blank = first.blanks.get()
    second = blank_spoil(by=registrar, blank=blank, reason="проверка смещения", printer=shifted).run
    assert (second.offset_x_mm, second.offset_y_mm) == (Decimal("2.5"), Decimal("-1.5"))
    with (
        pdfplumber.open(io.BytesIO(first.pdf.read())) as a,
        pdfplumber.open(io.BytesIO(second.pdf.read())) as b,
    ):
        before, after = a.pages[0].chars, b.pages[0].chars
        assert len(before) == len(after) > 0
        for old, new in zip(before, after, strict=True):
            assert (
                abs((new["x0"] - old["x0"]) / MM - 2.5) < 0.01
                and abs((new["top"] - old["top"]) / MM + 1.5) < 0.01
            )


def test_the_qr_on_the_blank_verifies_the_registered_document(
    users: dict[str, Any], org: Any, client: Client
) -> None:
    registrar = users[Role.REGISTRAR]
    entries = _registered_diplomas(users, org, [1])
    profile = _profile(registrar)
    printer = printer_calibration_save(by=registrar, name="P", offset_x_mm=0, offset_y_mm=0)
    run = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=printer, series="Q", first_number=1
    )
    document = Document.objects.get(pk=entries[0].diploma_id)
    url = verification_url(document)
    expected = segno.make(url, error="m").matrix
    with pdfplumber.open(io.BytesIO(run.pdf.read())) as pdf:
        page = pdf.pages[0]
        squares = [r for r in page.rects if abs(r["x0"] / MM - 245) < 31 and abs(r["top"] / MM - 160) < 31]
    module = 30 / len(expected)
    dark = {(round((r["top"] / MM - 160) / module), round((r["x0"] / MM - 245) / module)) for r in squares}
    assert dark == {(y, x) for y, row in enumerate(expected) for x, cell in enumerate(row) if cell}
    response = client.get(urlparse(url).path)
    assert response.status_code == 200 and document.registry_number in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"fields": [{"name": "shoe_size", "x_mm": 1, "y_mm": 1, "width_mm": 5, "height_mm": 5}]},
            "bad_fields",
        ),
        ({"fields": [{**FIELDS[0], "width_mm": -3}]}, "bad_fields"),
        ({"fields": [FIELDS[0], FIELDS[0]]}, "bad_fields"),
        ({"fields": "not a list"}, "bad_fields"),
        ({"width_mm": "huge"}, "bad_millimetres"),
        ({"height_mm": "9000"}, "bad_millimetres"),
        ({"name": ""}, "bad_name"),
        ({"side": "de"}, "bad_design"),
    ],
)
def test_a_bad_profile_is_refused_with_a_reason_and_nothing_is_saved(
    users: dict[str, Any], changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(RecordsError) as info:
        _profile(users[Role.REGISTRAR], **changes)
    assert info.value.code == code and info.value.message
    assert (
        not BlankProfile.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="blank.").exists()
    )


def test_refusals_of_printing_change_nothing(users: dict[str, Any], org: Any) -> None:
    registrar = users[Role.REGISTRAR]
    entries = _registered_diplomas(users, org, [1])
    profile = _profile(registrar)
    master = _profile(registrar, name="MD", level="master")
    printer = printer_calibration_save(by=registrar, name="P", offset_x_mm=0, offset_y_mm=0)
    cases = [
        ({"by": users[Role.DEAN]}, "forbidden"),
        ({"series": ""}, "bad_series"),
        ({"first_number": "abc"}, "bad_series"),
        ({"entries": []}, "nothing_to_print"),
        ({"profile": master}, "wrong_blank"),
    ]
    for changes, code in cases:
        arguments = {
            "by": registrar,
            "entries": entries,
            "profile": profile,
            "printer": printer,
            "series": "S",
            "first_number": 1,
        }
        with pytest.raises(RecordsError) as info:
            blank_cohort_print(**{**arguments, **changes})
        assert info.value.code == code, changes
    entries[0].status = DiplomaBookEntry.Status.SPOILED
    entries[0].save(update_fields=["status"])
    with pytest.raises(RecordsError) as info:
        blank_cohort_print(
            by=registrar, entries=entries, profile=profile, printer=printer, series="S", first_number=1
        )
    assert info.value.code == "not_printable"
    assert not BlankPrintRun.objects.exists() and not PrintedBlank.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["blank.print", "blank.spoil"]).exists()
    with pytest.raises(RecordsError) as offset:
        printer_calibration_save(by=registrar, name="P", offset_x_mm="25", offset_y_mm="0")
    assert offset.value.code == "bad_millimetres"
    assert PrinterCalibration.objects.get(name="P").offset_x_mm == 0


def test_scan_upload_and_calibration_sheet(users: dict[str, Any]) -> None:
    from PIL import Image

    registrar = users[Role.REGISTRAR]
    profile = _profile(registrar)
    scan = io.BytesIO()
    Image.new("RGB", (1188, 840), (250, 245, 230)).save(scan, format="JPEG")
    profile = blank_profile_scan_upload(by=registrar, profile=profile, content=scan.getvalue())
    assert profile.scan is not None and profile.scan.media_type == "image/png"
    with pytest.raises(RecordsError) as info:
        blank_profile_scan_upload(by=registrar, profile=profile, content=b"%PDF-1.7 not an image")
    assert info.value.code == "bad_image"
    printer = printer_calibration_save(by=registrar, name="Office", offset_x_mm="1", offset_y_mm="2")
    text = _page_texts(calibration_pdf(by=registrar, profile=profile, printer=printer))[0]
    assert "Office: x 1.0 mm, y 2.0 mm" in text and "297.0 × 210.0 mm" in text
    with pytest.raises(RecordsError):
        calibration_pdf(by=users[Role.DEAN], profile=profile, printer=printer)


def test_a_supplement_blank_prints_its_disciplines_as_rows_at_the_row_pitch(
    users: dict[str, Any], org: Any
) -> None:
    """A supplement profile's list fields put discipline n at pitch × n below the first row."""
    from records.kinds.diploma import SUPPLEMENT_KIND

    registrar = users[Role.REGISTRAR]
    entry = _registered_diplomas(users, org, [1])[0]
    line = SUPPLEMENT_KIND.sample_data["lines"][0]
    lines = [{**line, "discipline_code": f"C{i:02d}", "discipline_name": f"Пән {i:02d}"} for i in range(12)]
    data = {
        **SUPPLEMENT_KIND.sample_data,
        "student_iin": entry.graduate.iin,
        "diploma_number": entry.display_number,
        "lines": lines,
        "total_credits": 60,
    }
    entry.supplement = document_register_directly(
        by=registrar, kind="diploma_supplement", org_unit=org.faculty, title="Приложение", data=data
    )
    entry.save(update_fields=["supplement"])
    fields = [
        {"name": "line_name", "x_mm": 30, "y_mm": 60, "width_mm": 90, "height_mm": 5, "size_pt": 9, "pitch_mm": 6},
        {"name": "line_letter", "x_mm": 130, "y_mm": 60, "width_mm": 12, "height_mm": 5, "size_pt": 9, "pitch_mm": 6, "align": "center"},
        {"name": "gpa", "x_mm": 30, "y_mm": 260, "width_mm": 30, "height_mm": 6},
    ]  # fmt: skip
    profile = _profile(
        registrar,
        name="Supplement",
        design="diploma_supplement",
        width_mm="210",
        height_mm="297",
        fields=fields,
    )
    printer = printer_calibration_save(by=registrar, name="P", offset_x_mm=0, offset_y_mm=0)
    run = blank_cohort_print(
        by=registrar, entries=[entry], profile=profile, printer=printer, series="S", first_number=1
    )
    assert run.blanks.get().document_id == entry.supplement_id
    with pdfplumber.open(io.BytesIO(run.pdf.read())) as pdf:
        words = pdf.pages[0].extract_words()
    tops = {w["text"]: w["top"] / MM for w in words if w["text"].isdigit() and len(w["text"]) == 2}
    assert sorted(tops) == [f"{i:02d}" for i in range(12)]
    steps = [tops[f"{i + 1:02d}"] - tops[f"{i:02d}"] for i in range(11)]
    assert all(abs(step - 6) < 0.05 for step in steps), steps
    assert any(w["text"] == "3.67" for w in words), "the GPA"

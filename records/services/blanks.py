"""Blank profiles, printer calibrations and printing registered diplomas onto numbered blank forms.

A print run takes a cohort's diploma book entries in book order, reads each registered diploma (or
supplement) version, and draws only its values at the profile's positions, shifted by the printer's
offset, as one PDF for the printer (doctemplates.blanks). Each page is recorded as a printed blank:
the form's series and number, the book entry and the document. A misprinted blank is marked spoiled
and its document is printed again on the next free form. The PDF is drawn before the transaction
that records it (rendering never runs inside one); the unique form number catches a race.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from doctemplates import blanks as drawing
from doctemplates.filters import format_date
from doctemplates.images import ImageRefused, checked_image
from records.errors import RecordsError
from records.lifecycle import State
from records.models import (
    BlankPrintRun,
    BlankProfile,
    Blob,
    DiplomaBookEntry,
    Document,
    PrintedBlank,
    PrinterCalibration,
)
from records.permissions import may_issue_diplomas
from records.services.audit import audit_record
from records.services.rendering import verification_url

SCAN_MAX_BYTES = 15 * 1024 * 1024
SCAN_MAX_PIXELS = 7000 * 5000  # an A4 sheet scanned at 600 dpi is about 5000 × 7000
MAX_SHEET_MM = Decimal(500)
MAX_OFFSET_MM = Decimal(20)
HONOURS = {"kk": "үздік", "ru": "с отличием", "en": "with honours"}
# What a blank profile's field may show: the name and what it is (for the profile page).
DIPLOMA_FIELDS = (
    "full_name", "university", "programme", "programme_code", "programme_name", "degree", "study_form",
    "honours", "diploma_number", "series", "registry_number", "protocol", "protocol_number",
    "protocol_date", "issue_date", "issue_city", "epvo_number", "qr", "verification_url",
)  # fmt: skip
SUPPLEMENT_FIELDS = (
    "gpa", "total_credits", "final_attestation", "line_no", "line_term", "line_code", "line_name",
    "line_credits", "line_percent", "line_letter", "line_points", "line_traditional",
)  # fmt: skip
FIELD_NAMES = DIPLOMA_FIELDS + SUPPLEMENT_FIELDS


class FieldSpec(BaseModel):
    """One field of a profile as the registrar edits it (mm, points)."""

    model_config = ConfigDict(extra="forbid")

    name: Literal[FIELD_NAMES]  # type: ignore[valid-type]
    x_mm: float = Field(ge=-50, le=500)
    y_mm: float = Field(ge=-50, le=500)
    width_mm: float = Field(gt=0, le=500)
    height_mm: float = Field(gt=0, le=500)
    font: Literal["serif", "serif-bold", "sans", "sans-bold"] = "serif"
    size_pt: float = Field(default=12, ge=4, le=72)
    align: Literal["left", "center", "right"] = "left"
    kind: Literal["text", "qr"] = "text"
    pitch_mm: float = Field(default=0, ge=0, le=100)
    rows: int = Field(default=0, ge=0, le=200)  # the rows one form holds (0: no limit)


def _forbid_unless_printer(by: Any) -> None:
    if not may_issue_diplomas(by):
        raise RecordsError("forbidden", _("Only the registrar may manage blanks and print diplomas on them."))


def _millimetres(value: Any, *, label: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high:
        raise RecordsError(
            "bad_millimetres",
            _("%(label)s must be a number of millimetres from %(low)s to %(high)s."),
            label=label,
            low=low,
            high=high,
        )
    return number.quantize(Decimal("0.1"))


def checked_fields(fields: Any) -> list[dict[str, Any]]:
    """The fields as stored, or RecordsError naming the first bad field and what is wrong with it."""
    if not isinstance(fields, list):
        raise RecordsError("bad_fields", _("The fields must be a list."))
    checked = []
    for index, item in enumerate(fields, start=1):
        try:
            checked.append(FieldSpec.model_validate(item).model_dump())
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"]) or "—"
            raise RecordsError(
                "bad_fields",
                _("Field %(index)s (%(where)s): %(error)s"),
                index=index,
                where=where,
                error=error["msg"],
            ) from exc
    names = [item["name"] for item in checked]
    if len(names) != len(set(names)):
        raise RecordsError("bad_fields", _("Each field may be placed only once."))
    return checked


def blank_profile_save(
    *,
    by: Any,
    profile: BlankProfile | None,
    name: str,
    design: str,
    level: str,
    side: str,
    width_mm: Any,
    height_mm: Any,
    fields: Any,
) -> BlankProfile:
    """Create or change a blank profile: the sheet and every field's box, checked before anything is saved."""
    _forbid_unless_printer(by)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise RecordsError("bad_name", _("A profile needs a name of at most 120 characters."))
    if design not in BlankProfile.Design.values or level not in BlankProfile.Level.values:
        raise RecordsError("bad_design", _("Choose the blank's design and degree level."))
    if side not in BlankProfile.Side.values:
        raise RecordsError("bad_design", _("Choose the blank's language side."))
    width = _millimetres(width_mm, label=_("The sheet width"), low=Decimal(50), high=MAX_SHEET_MM)
    height = _millimetres(height_mm, label=_("The sheet height"), low=Decimal(50), high=MAX_SHEET_MM)
    checked = checked_fields(fields)
    with transaction.atomic():
        before = None
        if profile is not None:
            profile = BlankProfile.objects.select_for_update().get(pk=profile.pk)
            before = {
                "fields": profile.fields,
                "width_mm": str(profile.width_mm),
                "height_mm": str(profile.height_mm),
            }
        else:
            profile = BlankProfile()
        profile.name, profile.design, profile.level, profile.side = name, design, level, side
        profile.width_mm, profile.height_mm, profile.fields = width, height, checked
        profile.updated_by = by
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError as exc:
            raise RecordsError(
                "duplicate_profile", _("A profile of this name exists for this design, level and side.")
            ) from exc
        audit_record(
            actor=by,
            action="blank.profile_save",
            object_type="blank_profile",
            object_id=profile.pk,
            changes={
                "before": before,
                "after": {"fields": checked, "width_mm": str(width), "height_mm": str(height)},
            },
        )
    return profile


def blank_profile_scan_upload(*, by: Any, profile: BlankProfile, content: bytes) -> BlankProfile:
    """Attach a scanned image of the blank (PNG or JPEG, checked and re-encoded) for the live preview."""
    _forbid_unless_printer(by)
    try:
        image = checked_image(content, max_bytes=SCAN_MAX_BYTES, max_pixels=SCAN_MAX_PIXELS)
    except ImageRefused as exc:
        raise RecordsError("bad_image", "%(error)s", error=str(exc)) from exc
    with transaction.atomic():
        profile = BlankProfile.objects.select_for_update().get(pk=profile.pk)
        profile.scan = Blob.store(image.png, "image/png")
        profile.updated_by = by
        profile.save(update_fields=["scan", "updated_by", "updated_at"])
        audit_record(
            actor=by,
            action="blank.scan_upload",
            object_type="blank_profile",
            object_id=profile.pk,
            changes={"sha256": profile.scan.sha256, "pixels": [image.width_px, image.height_px]},
        )
    return profile


def printer_calibration_save(*, by: Any, name: str, offset_x_mm: Any, offset_y_mm: Any) -> PrinterCalibration:
    """Store a printer's offset (create the printer when new): every later print is shifted by it."""
    _forbid_unless_printer(by)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise RecordsError("bad_name", _("A printer needs a name of at most 120 characters."))
    x = _millimetres(offset_x_mm, label=_("The x offset"), low=-MAX_OFFSET_MM, high=MAX_OFFSET_MM)
    y = _millimetres(offset_y_mm, label=_("The y offset"), low=-MAX_OFFSET_MM, high=MAX_OFFSET_MM)
    with transaction.atomic():
        printer = PrinterCalibration.objects.select_for_update().filter(name=name).first()
        before = None if printer is None else [str(printer.offset_x_mm), str(printer.offset_y_mm)]
        printer = printer or PrinterCalibration(name=name)
        printer.offset_x_mm, printer.offset_y_mm, printer.updated_by = x, y, by
        printer.save()
        audit_record(
            actor=by,
            action="blank.printer_save",
            object_type="printer_calibration",
            object_id=printer.pk,
            changes={"before": before, "after": [str(x), str(y)]},
        )
    return printer


def profile_layout(profile: BlankProfile) -> drawing.BlankLayout:
    """The drawing layout of a profile."""
    return drawing.BlankLayout(
        width_mm=float(profile.width_mm),
        height_mm=float(profile.height_mm),
        fields=tuple(drawing.BlankField(**item) for item in profile.fields),
    )


def printer_offset(printer: PrinterCalibration) -> drawing.Offset:
    return drawing.Offset(float(printer.offset_x_mm), float(printer.offset_y_mm))


def blank_values(document: Document, data: dict[str, Any], language: str) -> dict[str, Any]:
    """What each field name shows for one registered diploma or supplement, in the profile's language."""

    def text(key: str) -> str:
        value = data.get(key) or {}
        return str(value.get(language, "")) if isinstance(value, dict) else str(value)

    def date(key: str) -> str:
        return format_date(data[key], language) if data.get(key) else ""

    protocol_date = date("protocol_date")
    values: dict[str, Any] = {
        "full_name": text("full_name"),
        "university": text("university"),
        "programme": f"{data.get('programme_code', '')} {text('programme_name')}".strip(),
        "programme_code": data.get("programme_code", ""),
        "programme_name": text("programme_name"),
        "degree": text("degree"),
        "study_form": text("study_form"),
        "honours": HONOURS[language] if data.get("with_honours") else "",
        "diploma_number": data.get("diploma_number", ""),
        "series": data.get("series", ""),
        "registry_number": document.registry_number,
        "protocol": f"№ {data.get('protocol_number') or '—'}, {protocol_date or '—'}",
        "protocol_number": data.get("protocol_number", ""),
        "protocol_date": protocol_date,
        "issue_date": date("issue_date"),
        "issue_city": text("issue_city"),
        "epvo_number": data.get("epvo_number", ""),
        "qr": verification_url(document),
        "verification_url": verification_url(document),
        "gpa": data.get("gpa") or "",
        "total_credits": data.get("total_credits", ""),
    }
    final = data.get("final_attestation")
    if final:
        values["final_attestation"] = (
            f"{final['discipline_name']}: {final['letter']} ({final.get('points') or '—'})"
        )
    lines = data.get("lines") or []
    columns = {
        "line_term": "term",
        "line_code": "discipline_code",
        "line_name": "discipline_name",
        "line_credits": "credits",
        "line_percent": "final_percent",
        "line_letter": "letter",
        "line_points": "points",
        "line_traditional": "traditional",
    }
    values["line_no"] = [str(index) for index in range(1, len(lines) + 1)]
    for name, key in columns.items():
        values[name] = ["" if line.get(key) is None else str(line[key]) for line in lines]
    return values


def _document_of(entry: DiplomaBookEntry, profile: BlankProfile) -> Document | None:
    return entry.diploma if profile.design == BlankProfile.Design.DIPLOMA else entry.supplement


def _printable(
    entries: Sequence[DiplomaBookEntry], profile: BlankProfile
) -> list[tuple[DiplomaBookEntry, Document]]:
    """Every entry with its registered document, or RecordsError naming the first that cannot be printed."""
    result = []
    for entry in entries:
        document = _document_of(entry, profile)
        if (
            entry.status != DiplomaBookEntry.Status.ISSUED
            or document is None
            or document.state != State.REGISTERED
        ):
            raise RecordsError(
                "not_printable",
                _(
                    "Diploma %(number)s cannot be printed: only issued diplomas with a registered document are."
                ),
                number=entry.display_number,
            )
        version = document.current_version
        if version is None or version.data.get("degree_level") != profile.level:
            raise RecordsError(
                "wrong_blank",
                _("Diploma %(number)s is not of this blank's degree level."),
                number=entry.display_number,
            )
        if PrintedBlank.objects.filter(document=document, status=PrintedBlank.Status.PRINTED).exists():
            raise RecordsError(
                "already_printed",
                _("Diploma %(number)s is already on a blank: mark that blank spoiled to print it again."),
                number=entry.display_number,
            )
        result.append((entry, document))
    return result


def _free_numbers(series: str, first: int, count: int) -> list[int]:
    """The first `count` form numbers of `series` from `first` on that no printed or spoiled blank has."""
    taken = set(
        PrintedBlank.objects.filter(
            series=series, number__gte=first, number__lt=first + count * 2 + 1000
        ).values_list("number", flat=True)
    )
    numbers: list[int] = []
    candidate = first
    while len(numbers) < count:
        if candidate not in taken:
            numbers.append(candidate)
        candidate += 1
    return numbers


def _check_series(series: str, first_number: Any) -> tuple[str, int]:
    series = (series or "").strip()
    if not series or len(series) > 10:
        raise RecordsError("bad_series", _("Give the blanks' series (at most 10 characters)."))
    try:
        first = int(str(first_number).strip())
    except ValueError:
        first = 0
    if not 1 <= first <= 9_999_999:
        raise RecordsError(
            "bad_series", _("Give the number of the first blank in the printer (1 to 9999999).")
        )
    return series, first


def _print(
    *,
    by: Any,
    pairs: Sequence[tuple[DiplomaBookEntry, Document]],
    profile: BlankProfile,
    printer: PrinterCalibration,
    series: str,
    first: int,
    action: str,
    spoiled: PrintedBlank | None = None,
    reason: str = "",
    only_sheet: int | None = None,
) -> BlankPrintRun:
    """Draw the sheets (outside any transaction), then record the run and every blank in one.

    A document whose rows do not fit one form continues on the next blanks (doctemplates.blanks.
    record_sheets): each sheet is a blank of its own. `only_sheet` prints one sheet of the one
    document (a spoiled sheet printed again)."""
    layout, offset = profile_layout(profile), printer_offset(printer)
    sheets = [
        (entry, document, values)
        for entry, document in pairs
        for values in drawing.record_sheets(
            layout,
            blank_values(document, document.current_version.data, profile.side),  # type: ignore[union-attr]
        )
    ]
    if only_sheet is not None:
        sheets = sheets[only_sheet : only_sheet + 1]
    pdf = drawing.draw_blanks(
        layout, [values for _e, _d, values in sheets], offset=offset, title=profile.name
    )
    numbers = _free_numbers(series, first, len(sheets))
    try:
        with transaction.atomic():
            if spoiled is not None:
                spoiled = PrintedBlank.objects.select_for_update().get(pk=spoiled.pk)
                if spoiled.status != PrintedBlank.Status.PRINTED:
                    raise RecordsError("already_spoiled", _("This blank is already marked spoiled."))
            run = BlankPrintRun.objects.create(
                profile=profile,
                printer=printer,
                offset_x_mm=printer.offset_x_mm,
                offset_y_mm=printer.offset_y_mm,
                pdf=Blob.store(pdf, "application/pdf"),
                created_by=by,
            )
            blanks = PrintedBlank.objects.bulk_create(
                PrintedBlank(series=series, number=number, run=run, page=page, entry=entry, document=document)
                for page, (number, (entry, document, _v)) in enumerate(
                    zip(numbers, sheets, strict=True), start=1
                )
            )
            if spoiled is not None:
                spoiled.status, spoiled.reason = PrintedBlank.Status.SPOILED, reason
                spoiled.replaced_by = PrintedBlank.objects.get(series=series, number=numbers[0])
                spoiled.save(update_fields=["status", "reason", "replaced_by"])
            audit_record(
                actor=by,
                action=action,
                object_type="blank_print_run",
                object_id=run.pk,
                changes={
                    "profile": profile.pk,
                    "printer": printer.name,
                    "offset_mm": [str(printer.offset_x_mm), str(printer.offset_y_mm)],
                    "blanks": {
                        f"{series} {number:07d}": entry.display_number
                        for number, (entry, _d, _v) in zip(numbers, sheets, strict=True)
                    },
                    **({"spoiled": spoiled.display_number, "reason": reason} if spoiled is not None else {}),
                },
            )
    except IntegrityError as exc:
        raise RecordsError(
            "blank_taken", _("A blank number was taken by another print at the same time: print again.")
        ) from exc
    assert len(blanks) == len(sheets)
    return run


def blank_cohort_print(
    *,
    by: Any,
    entries: Sequence[DiplomaBookEntry],
    profile: BlankProfile,
    printer: PrinterCalibration,
    series: str,
    first_number: Any,
) -> BlankPrintRun:
    """Print a cohort's diplomas (or supplements) in diploma-book order onto blanks from `first_number` on."""
    _forbid_unless_printer(by)
    series, first = _check_series(series, first_number)
    ordered = sorted(entries, key=lambda entry: (entry.series, entry.number))
    if not ordered:
        raise RecordsError("nothing_to_print", _("There is no diploma to print."))
    pairs = _printable(ordered, profile)
    return _print(
        by=by, pairs=pairs, profile=profile, printer=printer, series=series, first=first, action="blank.print"
    )


def blank_spoil(
    *, by: Any, blank: PrintedBlank, reason: str, printer: PrinterCalibration | None = None
) -> PrintedBlank:
    """Mark a misprinted blank spoiled and print its document again on the next free form of the series."""
    _forbid_unless_printer(by)
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("reason_required", _("Say why the blank is spoiled."))
    if blank.status != PrintedBlank.Status.PRINTED:
        raise RecordsError("already_spoiled", _("This blank is already marked spoiled."))
    run = _print(
        by=by,
        pairs=[(blank.entry, blank.document)],
        profile=blank.run.profile,
        printer=printer or blank.run.printer,
        series=blank.series,
        first=blank.number + 1,
        action="blank.spoil",
        spoiled=blank,
        reason=reason[:2000],
        # Which sheet of its document the spoiled blank was (a long supplement takes several).
        only_sheet=PrintedBlank.objects.filter(
            run=blank.run, document=blank.document, page__lt=blank.page
        ).count(),
    )
    return run.blanks.get()


def calibration_pdf(*, by: Any, profile: BlankProfile, printer: PrinterCalibration) -> bytes:
    """The calibration sheet of a profile's sheet size, printed with the printer's current offset."""
    _forbid_unless_printer(by)
    labels = [
        f"{printer.name}: x {printer.offset_x_mm} mm, y {printer.offset_y_mm} mm",
        f"{profile.name}: {profile.width_mm} × {profile.height_mm} mm",
    ]
    return drawing.calibration_sheet(
        float(profile.width_mm), float(profile.height_mm), offset=printer_offset(printer), labels=labels
    )

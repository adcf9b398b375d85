"""Monitoring exports: indicator tables (and a registered report's frozen tables) written as CSV or XLSX
(openpyxl), each export recorded in the audit chain (who exported which figures, in what format)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from records.models import Document
from records.services.audit import audit_record
from records.services.exports import FORMATS, FORMULA_STARTS

__all__ = ["FORMATS", "Table", "monitoring_export", "report_export", "write_csv", "write_xlsx"]


@dataclass
class Table:
    """A titled table of figures: a header and rows of plain cell values."""

    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # a spreadsheet would take it for a formula
    if value is None:
        return ""
    return value


def write_csv(tables: list[Table]) -> bytes:
    """UTF-8 with a BOM (spreadsheets then read Cyrillic); tables one after another, titled."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(h) for h in table.header])
        for row in table.rows:
            writer.writerow([_cell(v) for v in row])
        for note in table.notes:
            writer.writerow([_cell(note)])
    return ("\ufeff" + buffer.getvalue()).encode()


def write_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table: the title, the bold header, the rows and the notes under them."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for index, table in enumerate(tables):
        name = "".join(c for c in table.title if c not in "[]:*?/\\")[:28] or f"Sheet {index + 1}"
        while name in used:
            name = f"{name[:25]} {index + 1}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([_cell(table.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([_cell(h) for h in table.header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) if not hasattr(v, "as_tuple") else float(v) for v in row])
        for note in table.notes:
            sheet.append([_cell(note)])
        sheet.column_dimensions["A"].width = 40
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write(tables: list[Table], file_format: str) -> bytes:
    return write_csv(tables) if file_format == "csv" else write_xlsx(tables)


def monitoring_export(
    *, by: Any, section: str, file_format: str, filters: dict[str, Any], tables: list[Table]
) -> bytes:
    """A monitoring section's tables as CSV or XLSX, the export recorded as `monitoring.export`."""
    content = _write(tables, file_format)
    audit_record(
        actor=by,
        action="monitoring.export",
        changes={"section": section, "format": file_format, "filters": filters},
    )
    return content


def report_export(*, by: Any, document: Document, file_format: str) -> bytes:
    """A report's frozen tables (its current version's figures, never recomputed) as CSV or XLSX, with
    its provenance above the notes; recorded as a `monitoring.export` of the document."""
    data = document.current_version.data if document.current_version is not None else {}
    provenance = _("As of %(date)s; policy version %(policy)s; data digest %(digest)s.") % {
        "date": data.get("as_of"), "policy": data.get("policy_version"), "digest": data.get("projection_digest"),
    }  # fmt: skip
    tables = [
        Table(t["title"], t["header"], t["rows"], [provenance, *data.get("notes", [])] if i == 0 else [])
        for i, t in enumerate(data.get("tables", []))
    ]
    return monitoring_export(
        by=by, section="report", file_format=file_format, filters={"document": document.pk}, tables=tables
    )

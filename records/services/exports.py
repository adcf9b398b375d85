"""Exports: a document list or search results as CSV or XLSX, and a document's current PDF; each export
is recorded in the audit chain (what was exported, in which format, how many rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from records.errors import RecordsError
from records.labels import kind_name, state_label
from records.models import Document
from records.selectors.document import DocumentFilters, document_current_pdf, documents_filtered
from records.selectors.search import SearchParams, search_documents_for_export
from records.services.audit import audit_record

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Cells starting with these are formulas to a spreadsheet; a leading apostrophe keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    """Column titles in the active language."""
    return [
        _("Number"),
        _("Title"),
        _("Kind"),
        _("State"),
        _("Org unit"),
        _("Subject"),
        _("Created by"),
        _("Created at"),
        _("Registered at"),
    ]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def row(document: Document) -> list[Any]:
    """One document as a list of cell values (datetimes local and naive, as spreadsheets want)."""
    return [
        document.registry_number,
        document.display_title,  # in the reader's language, like the list it exports
        kind_name(document.kind),
        state_label(document.state),
        document.org_unit.name,
        document.subject.full_name() if document.subject else "",
        document.created_by.get_username(),
        _local(document.created_at),
        _local(document.registered_at),
    ]


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Counted:
    """Wraps rows and counts what was written, so the audit event can say how many."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = documents
        self.count = 0

    def __iter__(self) -> Iterator[list[Any]]:
        for document in self.documents:
            self.count += 1
            yield [_safe_text(value) for value in row(document)]


def write_csv(documents: Iterable[Document]) -> tuple[bytes, int]:
    """CSV bytes (UTF-8 with BOM so spreadsheet programs read Cyrillic) and the row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    rows = _Counted(documents)
    for values in rows:
        writer.writerow(
            [
                value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value
                for value in values
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), rows.count


def write_xlsx(documents: Iterable[Document]) -> tuple[bytes, int]:
    """XLSX bytes (one sheet, a header row) and the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Documents")[:31])
    sheet.append(header())
    rows = _Counted(documents)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows.count


def _write(documents: Iterable[Document], file_format: str) -> tuple[bytes, int]:
    if file_format not in FORMATS:
        raise RecordsError("bad_format", _("Unknown export format %(format)s."), format=file_format[:20])
    return (write_csv if file_format == "csv" else write_xlsx)(documents)


def document_list_export(
    *, by: Any, filters: DocumentFilters, order: Sequence[str], file_format: str
) -> bytes:
    """The documents `by` may see that match `filters`, in `order`, as a file; recorded as one event."""
    documents = documents_filtered(user=by, filters=filters).order_by(*order)
    content, count = _write(documents.iterator(chunk_size=2000), file_format)
    audit_record(
        actor=by,
        action="document.export",
        changes={
            "format": file_format,
            "count": count,
            "filters": {k: v for k, v in vars(filters).items() if v not in ("", None)},
        },
    )
    return content


def search_results_export(*, by: Any, params: SearchParams, file_format: str) -> bytes:
    """The search results `by` may see, as a file (capped like the search); recorded as one event."""
    if file_format not in FORMATS:
        raise RecordsError("bad_format", _("Unknown export format %(format)s."), format=file_format[:20])
    found = search_documents_for_export(user=by, text=params.text, filters=params.filters, sort=params.sort)
    content, count = _write(found.documents, file_format)
    audit_record(
        actor=by,
        action="search.export",
        changes=params.audit_changes(format=file_format, count=count, capped=found.capped),
    )
    return content


def document_pdf_export(*, by: Any, document: Document, destination: str) -> bytes | None:
    """The current PDF of `document` for an operator writing it to `destination` (None: not rendered
    yet, nothing recorded); recorded as one event."""
    pdf = document_current_pdf(document)
    if pdf is not None:
        audit_record(actor=by, action="document.export", document=document, changes={"to": destination})
    return pdf

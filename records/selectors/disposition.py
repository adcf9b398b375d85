"""The due list: records whose retention has run out (by their filing), and the disposition acts.

A record is due when its filing's ``due_on`` (1 January after its closing year plus the series'
period, or as a review extended it) is not after the day asked about, and it is not destroyed yet.
The list is read with the (due_on, series_index) index: one range scan, then a page of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.models import Document, Filing
from records.selectors.fileplan import archive_documents_q, may_see_archive
from records.selectors.holds import HoldMatcher, held_documents

DISPOSITION_KIND = "disposition_act"


def due_filings(
    *, user: Any = None, on: dt.date | None = None, series: str = "", action: str = ""
) -> QuerySet[Filing]:
    """Filings due on `on` (today when None) of records not destroyed, oldest due first; scoped to `user`
    when given (None: the operator's command and the scheduled task, which see every record)."""
    on = on or timezone.localdate()
    queryset = Filing.objects.filter(due_on__lte=on, disposed=False)
    if user is not None:
        queryset = queryset.filter(document__in=Document.objects.filter(archive_documents_q(user)))
    if series:
        queryset = queryset.filter(series_index=series)
    if action:
        queryset = queryset.filter(final_action=action)
    return queryset.order_by("due_on", "document_id")


@dataclass(frozen=True)
class DueSummary:
    """How many records are due, by series and final action."""

    total: int
    by_series: list[tuple[str, str, int]]  # (series index, final action, count)


def due_summary(*, user: Any = None, on: dt.date | None = None) -> DueSummary:
    rows = (
        due_filings(user=user, on=on)
        .order_by()
        .values_list("series_index", "final_action")
        .annotate(n=Count("document_id"))
    )
    by_series = sorted((s, a, n) for s, a, n in rows)
    return DueSummary(total=sum(n for _s, _a, n in by_series), by_series=by_series)


@dataclass(frozen=True)
class DueRecord:
    """One due record for lists: its filing, document and the holds that keep it."""

    filing: Filing
    document: Document
    holds: list[Any]


def due_records(filings: list[Filing] | QuerySet[Filing]) -> list[DueRecord]:
    """The documents of a page of due filings with their holds (three queries however long the page)."""
    filings = list(filings)
    documents = {
        d.pk: d
        for d in Document.objects.filter(pk__in=[f.document_id for f in filings]).select_related(
            "current_version"
        )
    }
    held = held_documents(documents.values())
    return [DueRecord(f, documents[f.document_id], held.get(f.document_id, [])) for f in filings]


def disposition_acts(user: Any) -> QuerySet[Document]:
    """The disposition acts the user may see, newest first."""
    return (
        Document.objects.filter(kind=DISPOSITION_KIND)
        .filter(archive_documents_q(user))
        .exclude(state="disposed")
        .order_by("-created_at", "-id")
    )


def transfer_marked(user: Any = None) -> QuerySet[Filing]:
    """Records marked for transfer to the state archive (what the transfer exports)."""
    queryset = Filing.objects.filter(transfer_marked_at__isnull=False, disposed=False)
    if user is not None:
        queryset = queryset.filter(Q(document__in=Document.objects.filter(archive_documents_q(user))))
    return queryset.order_by("series_index", "document_id")


ROW_FIELDS = (
    "document_id",
    "registry_number",
    "kind",
    "title",
    "year",
    "org_path",
    "subject_id",
    "series_index",
    "due_on",
    "final_action",
)


class _DueDocument:
    """Enough of a due document for the hold matcher, from one filing row (its copies of the document)."""

    __slots__ = ("kind", "org_path", "pk", "registry_number", "subject_id", "title", "year")

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.pk, self.registry_number, self.kind, self.title, self.year, self.org_path, self.subject_id) = (
            row[:7]
        )


def due_rows(*, on: dt.date | None = None, series: str = "") -> Iterator[tuple[Any, ...]]:
    """Every due record as a tuple (id, number, kind, title, series, due date, action, ids of the holds
    that keep it), oldest due first, streamed from the filings alone (their copies of the documents'
    number, kind and title: no join) in one query; holds are matched in memory, student holds as a set
    of document ids found once (bench/bench_retention_due.py: 1,000,000 documents)."""
    matcher = HoldMatcher()
    students = matcher.student_documents() if matcher.holds else {}
    rows = due_filings(on=on, series=series).values_list(*ROW_FIELDS)
    for row in rows.iterator(chunk_size=10_000):
        held: list[int] = []
        if matcher.holds:
            held = [hold.pk for hold in matcher.holds_for(_DueDocument(row), row[7], students)]  # type: ignore[arg-type]
        yield (row[0], row[1], row[2], row[3], row[7], row[8], row[9], held)


def due_list_for(
    user: Any, *, on: dt.date | None = None, series: str = "", action: str = ""
) -> QuerySet[Filing]:
    """The due list an archive official reads (the API): refused to everyone else, scoped to their units."""
    if not may_see_archive(user):
        raise RecordsError("forbidden", _("Only the archive officials may read the due list."))
    return due_filings(user=user, on=on, series=series, action=action)

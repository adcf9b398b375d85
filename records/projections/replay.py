"""Rebuild every projection from the registry, or check that the tables match a rebuild.

The replay deletes the projection tables, applies every registered and never revoked document of a
kind with a projection in registration order (registered_at, id) through the kind's own ``project``
hook in replay mode, then recomputes each touched student once. In replay mode the hooks of the
academic kinds queue their rows (``ReplayContext.add``), written in bulk before any other kind's
hook runs and at the end; nothing reads the tables in between, so the rows are those of
registration one document at a time (``--check`` and tests/records/academic/test_replay.py).
``--check`` does the same in a savepoint that is rolled back, comparing a digest of every row
(every column but the primary key) before and after.

Measured with bench/bench_replay_synthetic.py (about 1,000,000 grade lines for 20,000 students).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from records.kinds.base import all_kinds
from records.models.academic import GradeLine, Student, StudentGpa, StudentStatusEvent
from records.models.fileplan import FileSeries, Filing
from records.models.monitoring import StudentSpell, TermResultCell, TermStudentResult
from records.models.teaching import LoadLineRow, TeachingAssignment, TeachingEvidence
from records.models.transfer import TransferredRecord
from records.projections import teaching_done
from records.projections.base import in_force, replaying
from records.projections.fileplan import FILING_COPIES, refresh_filing_copies
from records.projections.grades import recompute_grades
from records.projections.policy import policy_book
from records.projections.students import ORDER_RULES, recompute_students
from records.projections.term_results import rebuild_term_results
from records.services.students import apply_due_status_changes

TABLES: tuple[type[models.Model], ...] = (
    Student,
    StudentStatusEvent,
    GradeLine,
    StudentGpa,
    StudentSpell,
    TermResultCell,
    TermStudentResult,
    FileSeries,
    TransferredRecord,
    LoadLineRow,
    TeachingAssignment,
    TeachingEvidence,
)
# What a check compares: the projections, and the filings' copies of their documents (the due list's).
CHECKED: tuple[type[models.Model], ...] = (*TABLES, Filing)
Row = tuple[Any, ...]
CHUNK = 2000  # documents fetched, or students recomputed, at once
# Kinds whose replay hooks only queue rows (see ReplayContext.add) and read no projection table;
# before any other kind's hook the queued rows are written.
QUEUEING = frozenset(
    {"grade_statement", "final_attestation_protocol", "academic_policy", "rating_statement"}
    | {f"student_order_{order_type}" for order_type in ORDER_RULES}
)


@dataclass
class ReplayReport:
    """What a replay did and, for a check, the rows that differ (table → missing / unexpected rows)."""

    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    missing: dict[str, list[Row]] = field(default_factory=dict)  # in the tables, not produced by the replay
    unexpected: dict[str, list[Row]] = field(
        default_factory=dict
    )  # produced by the replay, not in the tables

    @property
    def differs(self) -> bool:
        return any(self.missing.values()) or any(self.unexpected.values())


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, dict | list) else value


def snapshot() -> dict[str, Counter[Row]]:
    """Every projection row as a tuple of its columns (no primary keys; JSON as sorted text), per table."""
    result: dict[str, Counter[Row]] = {}
    for model in TABLES:
        rows = model.objects.order_by().values_list(*_columns(model))  # type: ignore[attr-defined]
        result[model._meta.label] = Counter(tuple(_hashable(v) for v in row) for row in rows)
    return result


def _lock_tables() -> None:
    """On PostgreSQL, registrations and revocations wait until the replay's transaction ends."""
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _rebuild(progress: Callable[[int], None] | None) -> int:
    for model in reversed(TABLES):
        model.objects.all().delete()  # type: ignore[attr-defined]
    kinds = {kind.code: kind for kind in all_kinds() if kind.project is not None}
    documents = in_force(sorted(kinds)).select_related("current_version")
    count = 0
    with replaying() as context:
        for document in documents.iterator(chunk_size=CHUNK):
            if document.kind not in QUEUEING:
                context.flush()  # a hook that may read the tables sees every row before it
            project = kinds[document.kind].project
            assert project is not None and document.current_version is not None
            project(document, document.current_version)
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
        context.flush()
        people = sorted(context.status_people)
        for start in range(0, len(people), CHUNK):
            recompute_students(people[start : start + CHUNK], fresh=True)
        book = policy_book()
        people = sorted(context.grade_people)
        for start in range(0, len(people), CHUNK):
            recompute_grades(set(people[start : start + CHUNK]), book)
    rebuild_term_results(None, book)
    refresh_filing_copies()
    return count


def _digest(row: Row) -> bytes:
    return hashlib.blake2b(repr(row).encode(), digest_size=16).digest()


def _rows(model: type[models.Model]) -> Iterator[Row]:
    if model is Filing:  # the filings are decisions, not rebuilt; only their copies of the documents are
        rows = Filing.objects.order_by().values_list("document_id", *FILING_COPIES)
        for row in rows.iterator(chunk_size=CHUNK):
            yield tuple(row)
        return
    rows = model.objects.order_by().values_list(*_columns(model))  # type: ignore[attr-defined]
    for row in rows.iterator(chunk_size=CHUNK):
        yield tuple(_hashable(v) for v in row)


def _digests() -> dict[str, Counter[bytes]]:
    """Like ``snapshot`` but a 16-byte digest per row: a million rows fit in little memory."""
    return {model._meta.label: Counter(_digest(row) for row in _rows(model)) for model in CHECKED}


def _rows_with(wanted: dict[str, Counter[bytes]]) -> dict[str, list[Row]]:
    """The rows now in the tables whose digests are wanted (as many times as wanted), sorted."""
    found: dict[str, list[Row]] = {}
    for model in CHECKED:
        label = model._meta.label
        left = Counter(wanted.get(label, {}))
        rows: list[Row] = []
        if left:
            for row in _rows(model):
                digest = _digest(row)
                if left[digest] > 0:
                    left[digest] -= 1
                    rows.append(row)
        found[label] = sorted(rows, key=repr)
    return found


def replay(*, check: bool = False, progress: Callable[[int], None] | None = None) -> ReplayReport:
    """Rebuild the projections (committed), or with `check` compare a rebuild with the tables (rolled back).

    The check compares row digests; the differing rows themselves are read back from the rebuilt
    tables (unexpected) and, after the rebuild's savepoint is rolled back, from the original ones
    (missing).
    """
    report = ReplayReport()
    if check:
        # The tables catch up with today first (what the daily task does), so a check compares like
        # with like: a replay folds the orders in force today.

        apply_due_status_changes()
        teaching_done.refresh_due()
    with transaction.atomic():
        _lock_tables()
        if not check:
            report.documents = _rebuild(progress)
            report.rows = {model._meta.label: model.objects.count() for model in TABLES}  # type: ignore[attr-defined]
            return report
        before = _digests()
        with transaction.atomic():
            report.documents = _rebuild(progress)
            after = _digests()
            report.rows = {label: sum(rows.values()) for label, rows in after.items()}
            report.unexpected = _rows_with({label: after[label] - before[label] for label in after})
            transaction.set_rollback(True)  # back to the tables as they were
        report.missing = _rows_with({label: before[label] - after[label] for label in before})
        transaction.set_rollback(True)
    return report

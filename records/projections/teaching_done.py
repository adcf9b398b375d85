"""The hours done of each teaching assignment (TeachingAssignment.done), kept in the same transaction
as what it is read from, so the load monitoring sums a column instead of reading the whole journal.

What an assignment of the registered distribution has done in its term:
- lectures, practicals and laboratory classes: the hours the journal shows held (dated up to today)
  by the assigned teacher for the discipline and one of the line's groups, at most the assigned
  hours (the most of any one group);
- consultation, exam and midterm control, coursework and practice: the assigned hours once a
  registered, never revoked statement of the discipline, group and term exists — a grade,
  coursework or practice statement (the per-term results, TermResultCell), a rating statement or a
  final attestation protocol of that period (TeachingEvidence);
- thesis supervision and review, commissions: the assigned hours once a registered final
  attestation protocol of one of the groups in the academic year exists (TeachingEvidence);
- master's and doctoral supervision: the assigned hours once the term has ended (31 January,
  30 June) — an assumption, no document records supervision hours. That depends only on the day,
  so it is not stored (``done`` is 0): the reads add it (records.selectors.teaching).

Who keeps it: the journal service (a class added or removed: that teacher's assignments of the
discipline and kind), the load distribution's projection (its department's year), the per-term
results (a grade, coursework or practice statement registered or revoked: the statement kinds of
those terms and groups), the rating statement's and final attestation protocol's projections (their
TeachingEvidence rows and the assignments they name). ``registry replay`` rebuilds it at its end.

A class dated after today does not count yet, so each classroom row also stores the latest class it
counted (``counted_until``) and the earliest it did not (``next_class``): on a day past
``next_class`` (or before ``counted_until``) the stored figure is stale, the reads compute that row
from the journal, and ``refresh_due`` (the daily task, and ``registry replay --check`` first) stores
it again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from records.academics.teaching_load import CLASSROOM_KINDS
from records.models import Document, JournalClass, TeachingAssignment, TeachingEvidence
from records.models.monitoring import TermResultCell
from records.projections.base import as_of_date, replay_context

RATING_KIND = "rating_statement"
FINAL_ATTESTATION_KIND = "final_attestation_protocol"
STATEMENT_KINDS_DONE = frozenset({"consultation", "exam", "midterm", "coursework", "practice"})
PROTOCOL_KINDS_DONE = frozenset({"thesis_supervision", "thesis_review", "commission"})
EVIDENCE_KINDS = CLASSROOM_KINDS | STATEMENT_KINDS_DONE | PROTOCOL_KINDS_DONE  # the rest: by the term's end
ZERO = Decimal(0)
WIDE = 200  # more assignments than this at once: read their terms' evidence whole, not narrowed
Row = tuple[
    int, int, int, int, str, str, str, Decimal
]  # pk, year, term, teacher, discipline, groups, kind, hours
FIELDS = ("pk", "academic_year", "term", "teacher_id", "discipline_code", "group_codes", "kind", "hours")


def group_list(group_codes: str) -> list[str]:
    return [c.strip() for c in group_codes.split(",") if c.strip()]


def stale_q(today: dt.date) -> Q:
    """Rows whose stored figure does not hold on `today` (never computed, or a class dated between)."""
    dated = Q(next_class__lte=today) | Q(counted_until__gt=today)
    return Q(done__isnull=True) | (Q(kind__in=sorted(CLASSROOM_KINDS)) & dated)


@dataclass(frozen=True)
class Held:
    """Classes of a teacher, discipline, group and kind: hours dated up to today, the latest such
    date, the earliest date after today."""

    hours: Decimal
    last: dt.date | None
    next: dt.date | None


class Evidence:
    """What a term's execution is read from: the classes held, the statements, the protocols —
    of the whole term, or narrowed to some teachers and disciplines."""

    def __init__(
        self, year: int, term: int, *, teachers: set[int] | None = None, disciplines: set[str] | None = None
    ) -> None:
        today = timezone.localdate()
        classes = JournalClass.objects.filter(journal__academic_year=year, journal__period=term)
        cells = TermResultCell.objects.filter(term_year=year, term_period=term)
        keys = TeachingEvidence.objects.filter(academic_year=year, period=term)
        if teachers is not None:
            classes = classes.filter(journal__teacher_id__in=sorted(teachers))
        if disciplines is not None:
            classes = classes.filter(journal__discipline_code__in=sorted(disciplines))
            cells = cells.filter(discipline_code__in=sorted(disciplines))
            keys = keys.filter(discipline_code__in=sorted(disciplines))
        summed = (
            classes.values_list(
                "journal__teacher_id", "journal__discipline_code", "journal__group__code", "kind"
            )
            .annotate(
                held=Sum("hours", filter=Q(date__lte=today)),
                last=Max("date", filter=Q(date__lte=today)),
                next=Min("date", filter=Q(date__gt=today)),
            )
            .order_by()
        )
        self.held = {
            (teacher, discipline, group, kind): Held(Decimal(held or 0), last, after)
            for teacher, discipline, group, kind, held, last, after in summed
        }
        pairs = set(cells.order_by().values_list("discipline_code", "group_code").distinct())
        pairs |= set(keys.order_by().values_list("discipline_code", "group_code").distinct())
        self.statements = {(str(d), str(g)) for d, g in pairs if d and g}
        protocols = TeachingEvidence.objects.filter(kind=FINAL_ATTESTATION_KIND, academic_year=year)
        self.protocols = set(protocols.order_by().values_list("group_code", flat=True).distinct())

    def of(
        self, teacher: int, discipline: str, group_codes: str, kind: str, planned: Decimal
    ) -> tuple[Decimal, dt.date | None, dt.date | None]:
        """(done, latest class counted, earliest class not counted) of an assignment."""
        codes = group_list(group_codes)
        if kind in CLASSROOM_KINDS:
            found = [h for c in codes if (h := self.held.get((teacher, discipline, c, kind))) is not None]
            done = min(planned, max((h.hours for h in found), default=ZERO))
            last = max((h.last for h in found if h.last is not None), default=None)
            after = min((h.next for h in found if h.next is not None), default=None)
            return done, last, after
        if kind in STATEMENT_KINDS_DONE:
            return (planned if any((discipline, c) in self.statements for c in codes) else ZERO), None, None
        if kind in PROTOCOL_KINDS_DONE:
            return (planned if any(c in self.protocols for c in codes) else ZERO), None, None
        return ZERO, None, None  # supervision: done by the term's end, added by the reads


def compute(rows: Iterable[Row]) -> dict[int, tuple[Decimal, dt.date | None, dt.date | None]]:
    """The figures of some assignments (read only: the reads use it for stale rows)."""
    by_term: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for row in rows:
        by_term[(row[1], row[2])].append(row)
    found: dict[int, tuple[Decimal, dt.date | None, dt.date | None]] = {}
    for (year, term), members in by_term.items():
        narrow = len(members) <= WIDE
        evidence = Evidence(
            year,
            term,
            teachers={r[3] for r in members} if narrow else None,
            disciplines={r[4] for r in members} if narrow else None,
        )
        for pk, _y, _t, teacher, discipline, group_codes, kind, planned in members:
            found[pk] = evidence.of(teacher, discipline, group_codes, kind, planned)
    return found


def _write(figures: dict[int, tuple[Decimal, dt.date | None, dt.date | None]]) -> None:
    table = connection.ops.quote_name(TeachingAssignment._meta.db_table)
    sql = f"UPDATE {table} SET done = %s, counted_until = %s, next_class = %s WHERE id = %s"  # noqa: S608
    field = TeachingAssignment._meta.get_field("done")
    params = [
        (field.get_db_prep_save(done, connection), last, after, pk)
        for pk, (done, last, after) in sorted(figures.items())
    ]
    with transaction.atomic(), connection.cursor() as cursor:  # one commit, not one a row
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def refresh(assignments: QuerySet[TeachingAssignment]) -> None:
    """Compute and store the figures of `assignments`."""
    _write(compute(assignments.order_by().values_list(*FIELDS)))


def rebuild() -> None:
    """Every assignment's figures (``registry replay`` at its end)."""
    refresh(TeachingAssignment.objects.all())


def refresh_due(today: dt.date | None = None) -> int:
    """Store again the rows whose figure no longer holds (a class's day has come); how many."""
    stale = TeachingAssignment.objects.filter(stale_q(today or timezone.localdate()))
    count = stale.count()
    if count:
        refresh(stale)
    return count


def live() -> bool:
    """Kept now, or left to the replay's rebuild (and never inside a rewound registry)."""
    return replay_context() is None and as_of_date() is None


def classes_changed(*, year: int, term: int, teacher_id: int, discipline_code: str, kind: str) -> None:
    """A class was added to or removed from a journal (records.services.journal)."""
    if live():
        refresh(
            TeachingAssignment.objects.filter(
                academic_year=year,
                term=term,
                teacher_id=teacher_id,
                discipline_code=discipline_code,
                kind=kind,
            )
        )


def assignments_replaced(*, department_code: str, year: int) -> None:
    """A distribution's assignments replaced its department's year (records.projections.teaching)."""
    if live():
        refresh(TeachingAssignment.objects.filter(department_code=department_code, academic_year=year))


def _naming(
    year: int, term: int | None, groups: Iterable[str], kinds: frozenset[str]
) -> QuerySet[TeachingAssignment]:
    rows = TeachingAssignment.objects.filter(academic_year=year, kind__in=sorted(kinds))
    if term is not None:
        rows = rows.filter(term=term)
    named = Q(pk__in=[])
    for group in sorted(set(groups)):
        named |= Q(group_codes__contains=group)
    return rows.filter(named)


def _exact(rows: QuerySet[TeachingAssignment], groups: Iterable[str]) -> list[int]:
    """The ids of `rows` one of whose groups is one of `groups` (``contains`` also finds prefixes)."""
    wanted = set(groups)
    return [pk for pk, codes in rows.values_list("pk", "group_codes") if wanted & set(group_list(codes))]


def results_changed(keys: Iterable[tuple[int, int, str]]) -> None:
    """The per-term results of these (year, period, group) were rebuilt: a statement registered or
    revoked (records.projections.term_results)."""
    if not live():
        return
    by_term: dict[tuple[int, int], set[str]] = defaultdict(set)
    for year, period, group in keys:
        by_term[(year, period)].add(group)
    for (year, period), groups in sorted(by_term.items()):
        ids = _exact(_naming(year, period, groups, STATEMENT_KINDS_DONE), groups)
        if ids:
            refresh(TeachingAssignment.objects.filter(pk__in=ids))


def _evidence_row(document: Document, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "document_id": document.pk,
        "kind": document.kind,
        "academic_year": int(data.get("academic_year") or 0),
        "period": int(data.get("period") or 0),
        "discipline_code": str(data.get("discipline_code") or "")[:40],
        "group_code": str(data.get("group_code") or "")[:40],
    }


def evidence_registered(document: Document, data: dict[str, Any]) -> None:
    """A rating statement or final attestation protocol was registered: its keys, and the
    assignments it makes done."""
    row = _evidence_row(document, data)
    context = replay_context()
    if context is not None:
        context.add(TeachingEvidence, row)
        return
    TeachingEvidence.objects.create(**row)
    _evidence_changed(row)


def evidence_revoked(document: Document, data: dict[str, Any]) -> None:
    """A rating statement or final attestation protocol was revoked."""
    TeachingEvidence.objects.filter(document_id=document.pk).delete()
    _evidence_changed(_evidence_row(document, data))


def _evidence_changed(row: dict[str, Any]) -> None:
    if not live():
        return
    year, period, group = row["academic_year"], row["period"], row["group_code"]
    ids = _exact(_naming(year, period, [group], STATEMENT_KINDS_DONE), [group]) if period else []
    if row["kind"] == FINAL_ATTESTATION_KIND:
        ids += _exact(_naming(year, None, [group], PROTOCOL_KINDS_DONE), [group])
    if ids:
        refresh(TeachingAssignment.objects.filter(pk__in=ids))

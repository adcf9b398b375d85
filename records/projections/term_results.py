"""Per-term session results (records.models.monitoring.TermResultCell, TermGroupResult) from GradeLine.

The monitoring's session results of a whole university would otherwise aggregate every result of
a term (120,000 for 20,000 students) on each request. These tables hold the same figures already
counted per term × group × discipline × statement, and per student × term × group; the page
reads a few thousand cells and one row per student. What is counted (the definitions of records.selectors.monitoring):

- the grade lines in effect (not replaced by an amendment), final attestation left out;
- results: the lines that count (the attempt that counts after retakes); positive (above FX/F),
  good (excellent or good) by the grading scale of the policy in force at the term's start — a
  policy registered or revoked rebuilds every term (records.kinds.academic_policy);
- students / debtors of a cell or a group: distinct students with a counting result / with a
  counting result graded FX or F there;
- session fails: regular attempts graded FX or F, whether or not a retake replaced them;
- per student, term and group (TermStudentResult): whether a result counts, whether a counting one
  is FX or F, and when the latest was registered — the page counts distinct students in the
  viewer's scope from these, and places a student's term GPA in the group of their latest result
  in that scope.

Registration or revocation of a statement recomputes the grade lines of its students
(records.projections.grades.recompute_grades), which rebuilds the terms and groups whose lines
changed (``rebuild_term_results(keys)``: each key's rows are rebuilt from that term and group's
lines alone); `registry replay` rebuilds everything at its end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from records.models import Document
from records.models.academic import GradeLine
from records.models.monitoring import TermResultCell, TermStudentResult
from records.projections import teaching_done
from records.projections.policy import PolicyBook, policy_book, term_start

FAILING = ("FX", "F")
TermKey = tuple[int, int, str]  # (term_year, term_period, group_code)
CHUNK = 5000


def _lines() -> QuerySet[GradeLine]:
    return (
        GradeLine.objects.filter(in_effect=True)
        .exclude(attempt_kind=GradeLine.AttemptKind.FINAL_ATTESTATION)
        .order_by()
    )


def _examiners(document_ids: Iterable[int]) -> dict[int, str]:
    """The examiner each statement names (its data, read in SQL)."""
    ids = sorted(set(document_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        statements = Document.objects.filter(pk__in=ids[start : start + CHUNK]).annotate(
            examiner=KeyTextTransform("examiner", "current_version__data")
        )
        found.update((pk, examiner or "") for pk, examiner in statements.values_list("pk", "examiner"))
    return found


def scale_letters(book: PolicyBook, year: int, period: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The letters above FX/F and the excellent-or-good letters of the policy in force at the term's start."""
    scale = book.at(term_start(year, period))[0].grading_scale
    return (
        tuple(b.letter for b in scale if b.category != "unsatisfactory"),
        tuple(b.letter for b in scale if b.category in ("excellent", "good")),
    )


def _cells(lines: QuerySet[GradeLine], book: PolicyBook) -> list[TermResultCell]:
    key = ("term_year", "term_period", "group_code", "discipline_code", "document_id")
    failing = Q(letter__in=FAILING)
    counting = Q(counts=True)
    cells: list[TermResultCell] = []
    terms = lines.values_list("term_year", "term_period").distinct()
    for year, period in sorted(set(terms)):
        positive, good = scale_letters(book, year, period)
        figures = (
            lines.filter(term_year=year, term_period=period)
            .values_list(*key)
            .annotate(
                results=Count("id", filter=counting),
                positive=Count("id", filter=counting & Q(letter__in=positive)),
                good=Count("id", filter=counting & Q(letter__in=good)),
                open_fails=Count("id", filter=counting & failing),
                students=Count("person_id", filter=counting, distinct=True),
                debtors=Count("person_id", filter=counting & failing, distinct=True),
                session_fails=Count("id", filter=failing & Q(attempt_kind=GradeLine.AttemptKind.REGULAR)),
            )
        )
        rows = list(figures)
        examiners = _examiners(row[4] for row in rows)
        cells += [
            TermResultCell(
                term_year=year, term_period=period, group_code=group, discipline_code=discipline,
                document_id=document, examiner=examiners.get(document, ""), results=results, positive=positive_n,
                good=good_n, open_fails=open_fails, students=students, debtors=debtors, session_fails=session_fails,
            )
            for _y, _p, group, discipline, document, results, positive_n, good_n, open_fails, students, debtors,
            session_fails in rows
        ]  # fmt: skip
    return cells


def _students(lines: QuerySet[GradeLine]) -> list[TermStudentResult]:
    figures = lines.values_list("person_id", "term_year", "term_period", "group_code").annotate(
        results=Count("id", filter=Q(counts=True)),
        fails=Count("id", filter=Q(counts=True, letter__in=FAILING)),
        last=Max("registered_at"),
        last_document=Max("document_id"),
    )
    return [
        TermStudentResult(
            person_id=person,
            term_year=year,
            term_period=period,
            group_code=group,
            counted=results > 0,
            debtor=fails > 0,
            last_registered=last,
            last_document_id=last_document,
        )
        for person, year, period, group, results, fails, last, last_document in figures
    ]


def rebuild_term_results(keys: Iterable[TermKey] | None = None, book: PolicyBook | None = None) -> None:
    """Rebuild the per-term results: all of them (None), or those of the terms × groups in `keys`,
    by the policies of `book` (the registered ones when None)."""
    book = book or policy_book()
    if keys is None:
        TermResultCell.objects.all().delete()
        TermStudentResult.objects.all().delete()
        lines = _lines()
        TermResultCell.objects.bulk_create(_cells(lines, book), batch_size=1000)
        TermStudentResult.objects.bulk_create(_students(lines), batch_size=1000)
        if teaching_done.live():
            teaching_done.rebuild()  # the end of a replay, or a policy: every term at once
        return
    by_term: dict[tuple[int, int], set[str]] = defaultdict(set)
    for year, period, group in keys:
        by_term[(year, period)].add(group)
    for (year, period), groups in sorted(by_term.items()):
        where = {"term_year": year, "term_period": period, "group_code__in": sorted(groups)}
        TermResultCell.objects.filter(**where).delete()
        TermStudentResult.objects.filter(**where).delete()
        lines = _lines().filter(**where)
        TermResultCell.objects.bulk_create(_cells(lines, book), batch_size=1000)
        TermStudentResult.objects.bulk_create(_students(lines), batch_size=1000)
    teaching_done.results_changed((y, p, g) for (y, p), groups in by_term.items() for g in groups)


def term_keys(lines: QuerySet[GradeLine]) -> set[TermKey]:
    """The terms × groups some grade lines are in (what a change to them makes stale)."""
    return set(lines.order_by().values_list("term_year", "term_period", "group_code").distinct())

"""Exam grade statements → GradeLine and StudentGpa.

Registration writes one GradeLine per statement line (the computed values stored in the statement,
with the policy version used) and recomputes, for every student on it:

- ``in_effect``: false for a line replaced by a registered amendment of its statement;
- ``counts``: the attempt that counts for the discipline under the policy's retake rule;
- StudentGpa: term and cumulative GPA per term, each by the policy in force at the term's start.

Revocation deletes the statement's lines and recomputes the same, so it undoes exactly that.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _

from records.academics.gpa import CourseAttempt, Term, counting_attempts, weighted_gpa
from records.academics.policy import AcademicPolicy
from records.errors import RecordsError
from records.models import Document, Person, StudyGroup, Version
from records.models.academic import GradeLine, StudentGpa
from records.projections.base import in_force, replay_context
from records.projections.policy import PolicyBook, policy_book, term_start
from records.projections.term_results import TermKey, rebuild_term_results, term_keys

STATEMENT_KIND = "grade_statement"
FAILING_LETTERS = ("FX", "F")


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def statement_document(number: str, *, in_force_only: bool = True) -> Document | None:
    """The statement with this registry number: in force, or (for a replay) ever registered."""
    if not number:
        return None
    documents = in_force([STATEMENT_KIND]) if in_force_only else Document.objects.filter(kind=STATEMENT_KIND)
    return documents.filter(registry_number=number).select_related("current_version").first()


def check_statement_rules(
    data: dict[str, Any], persons: list[Person], *, exclude_document_id: int | None
) -> None:
    """A second statement for a discipline, group and term must be an amendment or a retake (FX/F only)."""
    same = GradeLine.objects.filter(
        discipline_code=data["discipline_code"],
        group_code=data["group_code"],
        term_year=data["academic_year"],
        term_period=data["period"],
    ).exclude(document_id=exclude_document_id or 0)
    kind = data["attempt_kind"]
    term = f"{data['academic_year']}/{int(data['academic_year']) + 1}-{data['period']}"
    if kind == "regular":
        existing = same.filter(attempt_kind="regular").select_related("document").first()
        if existing is not None:
            raise RecordsError(
                "statement_exists",
                _(
                    "A statement for %(discipline)s, group %(group)s, term %(term)s is already registered "
                    "(%(number)s); file an amendment or a retake instead."
                ),
                discipline=data["discipline_code"],
                group=data["group_code"],
                term=term,
                number=existing.document.registry_number,
            )
    elif kind == "amendment":
        amended = statement_document(str(data.get("amends_number") or ""))
        if amended is None or amended.pk == exclude_document_id:
            raise RecordsError(
                "amended_statement_missing",
                _("There is no registered statement %(number)s to amend."),
                number=data.get("amends_number") or "—",
            )
        amended_data = amended.current_version.data if amended.current_version else {}
        if any(
            str(amended_data.get(key)) != str(data[key])
            for key in ("discipline_code", "group_code", "academic_year", "period")
        ):
            raise RecordsError(
                "amendment_mismatch",
                _("Statement %(number)s is for another discipline, group or term."),
                number=amended.registry_number,
            )
        have = set(GradeLine.objects.filter(document=amended).values_list("person_id", flat=True))
        for row, person in enumerate(persons, start=1):
            if person.pk not in have:
                raise RecordsError(
                    "amendment_student_missing",
                    _("Line %(row)s: %(student)s is not on statement %(number)s."),
                    row=row,
                    student=person.full_name(),
                    number=amended.registry_number,
                )
    else:  # retake
        for row, person in enumerate(persons, start=1):
            line = (
                GradeLine.objects.filter(
                    person=person, discipline_code=data["discipline_code"], in_effect=True, counts=True
                )
                .exclude(document_id=exclude_document_id or 0)
                .first()
            )
            if line is None or line.letter not in FAILING_LETTERS:
                raise RecordsError(
                    "retake_not_allowed",
                    _(
                        "Line %(row)s: %(student)s has no FX or F in %(discipline)s; a retake is for FX and F only."
                    ),
                    row=row,
                    student=person.full_name(),
                    discipline=data["discipline_code"],
                )


def line_persons(data: dict[str, Any]) -> list[Person]:
    """The students of a registered statement's lines, in line order."""
    iins = [str(line["student_iin"]) for line in data["lines"]]
    by_iin = {p.iin: p for p in Person.objects.filter(iin__in=iins)}
    return [by_iin[iin] for iin in iins]


def line_person_ids(data: dict[str, Any]) -> list[int]:
    """The ids of the persons of a registered statement's lines, in line order (cached in a replay)."""
    context = replay_context()
    if context is not None:
        found = [context.person(str(line["student_iin"])) for line in data["lines"]]
        if all(found):
            return [entry[0] for entry in found if entry is not None]
    return [person.pk for person in line_persons(data)]


def project_statement(document: Document, version: Version) -> None:
    """Registration of a statement: rules checked again, lines written, counts and GPA recomputed."""
    data = version.data
    context = replay_context()
    if context is None:
        persons = line_persons(data)
        # Statements of one group register one at a time, so two regular ones cannot both pass.
        StudyGroup.objects.select_for_update().filter(code=data["group_code"]).first()
        check_statement_rules(data, persons, exclude_document_id=document.pk)
        person_ids = [person.pk for person in persons]
    else:
        person_ids = line_person_ids(data)
    # What was amended when the amendment was registered, even if it has been revoked since.
    amends = (
        statement_document(str(data.get("amends_number") or ""), in_force_only=False)
        if data["attempt_kind"] == "amendment"
        else None
    )
    amended_retake = bool(
        amends and amends.current_version and amends.current_version.data.get("attempt_kind") == "retake"
    )
    write_lines(
        document,
        data,
        person_ids,
        attempt_kind=data["attempt_kind"],
        amends=amends,
        is_retake=data["attempt_kind"] == "retake" or amended_retake,
    )


def write_lines(
    document: Document,
    data: dict[str, Any],
    person_ids: list[int],
    *,
    attempt_kind: str,
    amends: Document | None = None,
    is_retake: bool = False,
) -> None:
    """Write the GradeLines of a registered statement or protocol and recompute its students.

    In a replay the rows are queued (inserted in bulk by the replay) and the recomputation deferred.
    """
    assert document.registered_at is not None
    common = {
        "document_id": document.pk,
        "amends_id": amends.pk if amends is not None else None,
        "registered_at": document.registered_at,
        "discipline_code": data["discipline_code"],
        "discipline_name": data["discipline_name"],
        "credits": data["credits"],
        "group_code": data["group_code"],
        "term_year": data["academic_year"],
        "term_period": data["period"],
        "attempt_kind": attempt_kind,
        "is_retake": is_retake,
        "policy_version": data["policy_version"],
    }
    rows = [
        {
            **common,
            "person_id": person_id,
            "rating1": _dec(line.get("rating1")),
            "rating2": _dec(line.get("rating2")),
            "exam": _dec(line.get("exam")),
            "admission_rating": _dec(line.get("admission_rating")),
            "admitted": bool(line.get("admitted", True)),
            "final_percent": _dec(line.get("final_percent")),
            "letter": line.get("letter") or "",
            "points": _dec(line.get("points")),
            "traditional_mark": line.get("traditional_mark"),
        }
        for person_id, line in zip(person_ids, data["lines"], strict=True)
    ]
    people = set(person_ids)
    context = replay_context()
    if context is None:
        GradeLine.objects.bulk_create([GradeLine(**row) for row in rows])
        recompute_grades(
            people, policy_book(), stale={(common["term_year"], common["term_period"], common["group_code"])}
        )
    else:
        for row in rows:
            context.add(GradeLine, row)
        context.grade_people |= people


def unproject_statement(document: Document, version: Version) -> None:
    """Revocation of a statement: its lines go; counts and GPA are recomputed without them."""
    people = set(GradeLine.objects.filter(document=document).values_list("person_id", flat=True))
    stale = term_keys(GradeLine.objects.filter(document=document))
    GradeLine.objects.filter(document=document).delete()
    recompute_grades(people, policy_book(), stale=stale)


@dataclass(slots=True)
class _Line:
    """The columns of a GradeLine that the recomputation reads (lighter than a model instance)."""

    pk: int
    person_id: int
    document_id: int
    amends_id: int | None
    discipline_code: str
    group_code: str
    credits: int
    term_year: int
    term_period: int
    is_retake: bool
    points: Decimal | None
    letter: str
    in_effect: bool
    counts: bool
    attempt_kind: str


_LINE_COLUMNS = tuple(f.name for f in fields(_Line))
L = TypeVar("L", GradeLine, _Line)


def counts_in_gpa(attempt_kind: str, policy: AcademicPolicy) -> bool:
    """Coursework and practice grades count in GPA when the policy says so; exam grades always do."""
    if attempt_kind == GradeLine.AttemptKind.COURSEWORK:
        return policy.counting.coursework_in_gpa
    if attempt_kind == GradeLine.AttemptKind.PRACTICE:
        return policy.counting.practice_in_gpa
    return True


def _attempt(line: GradeLine | _Line, counts: bool = True) -> CourseAttempt:
    assert line.points is not None
    return CourseAttempt(
        counts_in_gpa=counts,
        discipline_code=line.discipline_code,
        credits=line.credits,
        points=line.points,
        letter=line.letter,
        term=Term(line.term_year, line.term_period),
        is_retake=line.is_retake,
    )


def effective_lines(lines: list[L]) -> list[L]:
    """Lines in registration order with those replaced by an amendment left out."""
    replaced: set[int] = set()
    for line in lines:
        if line.amends_id is not None:
            replaced |= {
                other.pk
                for other in lines
                if other.document_id == line.amends_id and other.discipline_code == line.discipline_code
            }
    return [line for line in lines if line.pk not in replaced]


def recompute_grades(person_ids: set[int], book: PolicyBook, *, stale: Iterable[TermKey] = ()) -> None:
    """Recompute in_effect, counts and StudentGpa of these students from their grade lines, then the
    per-term results of the terms × groups whose lines changed, and of `stale` (the terms ×
    groups of lines the caller added or deleted); a replay rebuilds those once, at its end."""
    by_person: dict[int, list[_Line]] = defaultdict(list)
    rows = (
        GradeLine.objects.filter(person_id__in=person_ids)
        .order_by("registered_at", "document_id")
        .values_list(*_LINE_COLUMNS)
    )
    for row in rows:
        line = _Line(*row)
        by_person[line.person_id].append(line)
    changed: list[_Line] = []
    gpa_rows: list[StudentGpa] = []
    policies: dict[tuple[int, int], tuple[AcademicPolicy, str]] = {}

    def policy_at(term: Term) -> tuple[AcademicPolicy, str]:
        key = (term.academic_year, term.period)
        if key not in policies:
            policies[key] = book.at(term_start(term.academic_year, term.period))
        return policies[key]

    for person_id in sorted(person_ids):
        lines = by_person.get(person_id, [])
        effective = effective_lines(lines)
        graded = [line for line in effective if line.points is not None and line.letter]
        attempts = [
            _attempt(
                line, counts_in_gpa(line.attempt_kind, policy_at(Term(line.term_year, line.term_period))[0])
            )
            for line in graded
        ]
        counting_ids: set[int] = set()
        if graded:
            last = max(attempt.term for attempt in attempts)
            policy, _version = policy_at(last)
            chosen = counting_attempts(attempts, policy)
            chosen_ids = {id(a) for a in chosen}
            counting_ids = {line.pk for line, a in zip(graded, attempts, strict=True) if id(a) in chosen_ids}
        effective_ids = {line.pk for line in effective}
        for line in lines:
            in_effect, counts = line.pk in effective_ids, line.pk in counting_ids
            if (line.in_effect, line.counts) != (in_effect, counts):
                line.in_effect, line.counts = in_effect, counts
                changed.append(line)
        for term in sorted({a.term for a in attempts}):
            policy, version = policy_at(term)
            in_term = counting_attempts(attempts, policy, only_term=term)
            so_far = counting_attempts(attempts, policy, up_to=term)
            gpa_rows.append(
                StudentGpa(
                    person_id=person_id,
                    term_year=term.academic_year,
                    term_period=term.period,
                    term_gpa=weighted_gpa(in_term, policy),  # = term_gpa(attempts, term, policy)
                    term_credits=sum(a.credits for a in in_term),
                    cumulative_gpa=weighted_gpa(so_far, policy),  # = gpa(attempts, policy, up_to=term)
                    cumulative_credits=sum(a.credits for a in so_far),
                    policy_version=version,
                )
            )
    by_value: dict[tuple[bool, bool], list[int]] = defaultdict(list)
    for line in changed:
        by_value[(line.in_effect, line.counts)].append(line.pk)
    for (in_effect, counts), ids in sorted(by_value.items()):
        for start in range(0, len(ids), 5000):
            GradeLine.objects.filter(pk__in=ids[start : start + 5000]).update(
                in_effect=in_effect, counts=counts
            )
    StudentGpa.objects.filter(person_id__in=person_ids).delete()
    StudentGpa.objects.bulk_create(gpa_rows, batch_size=1000)
    if replay_context() is None:
        rebuild_term_results({*stale, *((x.term_year, x.term_period, x.group_code) for x in changed)}, book)


def all_grade_people() -> set[int]:
    """Everyone with a grade line (a new or revoked policy recomputes them all)."""
    return set(GradeLine.objects.values_list("person_id", flat=True).distinct())


def exam_date(data: dict[str, Any]) -> dt.date:
    """The statement's exam date."""
    return dt.date.fromisoformat(str(data["exam_date"]))

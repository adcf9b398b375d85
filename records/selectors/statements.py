"""The grade statements due this term for a teacher: the disciplines of the registered working
curricula of the groups they may draft statements for, in the semester the group is in now, with
the statement already started (draft, in review, ..., registered) when there is one.

A teacher (without a wider role) to whom a registered load distribution of the year assigns work
sees only the disciplines and groups it gives them to examine (records.selectors.teaching); a teacher
without one, and every wider role, sees every discipline of the groups in their scope this term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from records.lifecycle import State
from records.models import Document, Person, StudyGroup
from records.models.academic import StudentStatus
from records.permissions import READ_ALL_ROLES, has_role, may_create, person_id
from records.projections.debts import curriculum_disciplines_by_semester
from records.selectors.document import documents_visible_to
from records.selectors.teaching import assigned_statements

KIND = "grade_statement"


@dataclass(frozen=True)
class Term:
    """An academic year (its first calendar year) and a period (1 autumn, 2 spring)."""

    year: int
    period: int


def current_term(today: dt.date) -> Term:
    """The term whose session is under way: August–January is the autumn term, February–July spring."""
    year = today.year if today.month >= 8 else today.year - 1
    return Term(year, 1 if today.month >= 8 or today.month == 1 else 2)


@dataclass(frozen=True)
class DueStatement:
    """One discipline of one group this term, and the statement of it if one was started."""

    group: StudyGroup
    semester: int
    code: str
    name: str
    credits: int
    document: Document | None

    @property
    def state(self) -> str:
        return self.document.state if self.document is not None else ""


def statements_due(*, user: Any, term: Term) -> list[DueStatement]:
    """Every discipline examined this term in the groups the user may draft statements for."""
    groups = [
        g
        for g in StudyGroup.objects.select_related("programme__department").order_by("code")
        if may_create(user, KIND, g.programme.department)
    ]
    started = _started_statements(user=user, term=term)
    mine = _assigned(user, term)
    due: list[DueStatement] = []
    plans: dict[tuple[str, int], dict[int, list[dict[str, Any]]] | None] = {}
    for group in groups:
        key = (group.programme.code, group.intake_year)
        if key not in plans:
            plans[key] = curriculum_disciplines_by_semester(*key)
        semester = (term.year - group.intake_year) * 2 + term.period
        for discipline in (plans[key] or {}).get(semester, []):
            if discipline.get("control_form") == "final_attestation":
                continue
            if mine is not None and (group.code, str(discipline["code"])) not in mine:
                continue
            due.append(
                DueStatement(
                    group=group,
                    semester=semester,
                    code=str(discipline["code"]),
                    name=str(discipline["name"]),
                    credits=int(discipline["credits"]),
                    document=started.get((group.code, str(discipline["code"]))),
                )
            )
    return due


def _assigned(user: Any, term: Term) -> set[tuple[str, str]] | None:
    """The (group, discipline) pairs a plain teacher examines by the registered distribution (None: all)."""
    if has_role(user, READ_ALL_ROLES):
        return None
    person = person_id(user)
    if person is None:
        return None
    return assigned_statements(person_id=person, year=term.year, term=term.period)


def _started_statements(*, user: Any, term: Term) -> dict[tuple[str, str], Document]:
    """The user-visible regular statements of the term by (group, discipline); the newest wins."""
    documents = (
        documents_visible_to(user=user)
        .filter(kind=KIND)
        .exclude(state__in=[State.REVOKED, State.SUPERSEDED])
        .filter(
            current_version__data__academic_year=term.year,
            current_version__data__period=term.period,
            current_version__data__attempt_kind="regular",
        )
        .select_related("current_version")
        .order_by("created_at", "id")
    )
    found: dict[tuple[str, str], Document] = {}
    for document in documents:
        data = document.current_version.data if document.current_version else {}
        found[(str(data.get("group_code")), str(data.get("discipline_code")))] = document
    return found


def statement_groups(user: Any) -> list[StudyGroup]:
    """Study groups whose programme department the user may draft a grade statement for."""
    groups = StudyGroup.objects.select_related("programme__department").order_by("code")
    return [g for g in groups if may_create(user, KIND, g.programme.department)]


def group_roster(group: StudyGroup) -> list[dict[str, str]]:
    """The group's current students (enrolled in the Student projection, or not yet projected but
    assigned to the group), sorted by name: each with IIN and name."""
    enrolled = Q(student_record__group=group, student_record__status=StudentStatus.ENROLLED)
    unprojected = Q(student_record__isnull=True, group=group)
    people = Person.objects.filter(Q(kind=Person.Kind.STUDENT) & (enrolled | unprojected)).distinct()
    rows = [{"iin": p.iin, "name": p.full_name()} for p in people]
    return sorted(rows, key=lambda r: r["name"])

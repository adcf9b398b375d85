"""Writes of the electronic journal: open a journal, add or remove a class, save typed cells.

Each service runs in one transaction, validates everything before changing anything (a bad cell or
date anywhere changes nothing), and writes one audit event naming exactly what changed. Only the
journal's teacher writes (records.permissions.may_keep_journal). The rules of marks and dates are the
academic policy in force on the term's first day (records.journal.rating).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from records.academics.errors import AcademicInputError
from records.errors import ConcurrentEdit, NotFoundOrForbidden, RecordsError
from records.journal.cells import format_cell, parse_cell
from records.journal.rating import Cell, check_class_date, term_weeks
from records.journal.terms import term_policy
from records.kinds.base import get_kind
from records.models import ClassKind, Journal, JournalClass, JournalMark, OrgUnit, Person, StudyGroup
from records.models.academic import Student, StudentStatus
from records.permissions import may_keep_journal, may_open_journal, person_id
from records.projections import teaching_done
from records.selectors.journal import journal_grid
from records.services.audit import audit_record
from records.services.document import document_create


def _group_students(group: StudyGroup) -> list[Person]:
    rows = Student.objects.filter(group=group, status__in=[StudentStatus.ENROLLED, ""]).select_related(
        "person"
    )
    people = [row.person for row in rows]
    if not people:  # before any enrollment order is registered, the group is the people placed in it
        people = list(Person.objects.filter(group=group, kind=Person.Kind.STUDENT))
    return sorted(people, key=lambda p: (p.last_name_ru, p.first_name_ru, p.pk))


def journal_open(
    *,
    by: Any,
    department: OrgUnit,
    group: StudyGroup,
    discipline_code: str,
    discipline_name: str,
    academic_year: int,
    period: int,
    credits: int = 5,
    subgroup: int = 0,
    students: Sequence[Person] | None = None,
) -> Journal:
    """Open the journal of a discipline for a group (or subgroup) in a term, kept by `by`.

    The students are the group's enrolled students unless `students` (a subgroup) names some of them.
    """
    teacher_id = person_id(by)
    if teacher_id is None or not may_open_journal(by, department):
        raise RecordsError("forbidden", _("You may not open a journal for %(unit)s."), unit=department.name)
    code, name = discipline_code.strip(), discipline_name.strip()
    if not code or not name:
        raise RecordsError("journal_discipline", _("A journal needs a discipline code and name."))
    policy = term_policy(academic_year, period)
    term_weeks(academic_year, period, policy)  # refuses a term that keeps no journal
    members = _group_students(group)
    if students is not None:
        known = {p.pk for p in members}
        strangers = [p.full_name() for p in students if p.pk not in known]
        if strangers:
            raise RecordsError(
                "journal_students",
                _("Not students of group %(group)s: %(names)s."),
                group=group.code,
                names=", ".join(strangers),
            )
        members = list(students)
    with transaction.atomic():
        if Journal.objects.filter(
            discipline_code=code,
            group=group,
            subgroup=subgroup,
            academic_year=academic_year,
            period=period,
            teacher_id=teacher_id,
        ).exists():
            raise RecordsError("journal_exists", _("This journal is already open."))
        journal = Journal.objects.create(
            department=department,
            org_path=department.path,
            teacher_id=teacher_id,
            group=group,
            subgroup=subgroup,
            discipline_code=code,
            discipline_name=name,
            credits=credits,
            academic_year=academic_year,
            period=period,
        )
        journal.students.set(members)
        audit_record(
            actor=by,
            action="journal.open",
            object_type="journal",
            object_id=journal.pk,
            changes={
                "discipline": code,
                "group": group.code,
                "subgroup": subgroup,
                "term": f"{academic_year}-{period}",
                "students": [p.iin for p in members],
            },
        )
    return journal


def _lock(journal: Journal, by: Any, lock_version: int | None) -> Journal:
    locked = Journal.objects.select_for_update().filter(pk=journal.pk).first()
    if locked is None or not may_keep_journal(by, locked):
        raise NotFoundOrForbidden("not_found", _("There is no such journal, or you may not write in it."))
    if lock_version is not None and locked.lock_version != lock_version:
        raise ConcurrentEdit(
            "concurrent_edit",
            _(
                "This journal was changed elsewhere while you were editing. Reload it and type your changes again."
            ),
        )
    return locked


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        hours = Decimal(-1)
    if not hours.is_finite() or not Decimal("0.5") <= hours <= Decimal(8) or hours % Decimal("0.5"):
        raise RecordsError(
            "class_hours",
            _("A class lasts 0.5 to 8 academic hours in steps of 0.5, not %(value)s."),
            value=value,
        )
    return hours


def journal_add_class(
    *,
    journal: Journal,
    by: Any,
    date: dt.date,
    kind: str,
    hours: Any = 2,
    topic: str = "",
    midterm: bool = False,
) -> JournalClass:
    """Add a class on `date` (inside the term) of `kind` lasting `hours` academic hours."""
    if kind not in ClassKind.values:
        raise RecordsError("class_kind", _("Unknown kind of class: %(kind)s."), kind=kind)
    length = _hours(hours)
    with transaction.atomic():
        locked = _lock(journal, by, None)
        check_class_date(
            date,
            term_weeks(locked.academic_year, locked.period, term_policy(locked.academic_year, locked.period)),
        )
        added = JournalClass.objects.create(
            journal=locked, date=date, kind=kind, hours=length, topic=topic.strip()[:300], midterm=midterm
        )
        locked.lock_version += 1
        locked.save(update_fields=["lock_version", "updated_at"])
        _done_changed(locked, kind)
        audit_record(
            actor=by,
            action="journal.class_add",
            object_type="journal",
            object_id=locked.pk,
            changes={
                "class": added.pk,
                "date": date.isoformat(),
                "kind": kind,
                "hours": length,
                "midterm": midterm,
            },
        )
    return added


def journal_remove_class(*, journal: Journal, by: Any, class_id: int) -> None:
    """Remove a class and its marks (a class entered by mistake)."""
    with transaction.atomic():
        locked = _lock(journal, by, None)
        target = JournalClass.objects.filter(journal=locked, pk=class_id).first()
        if target is None:
            raise NotFoundOrForbidden("not_found", _("There is no such class in this journal."))
        marks = {
            str(m.student_id): format_cell_of(m) for m in JournalMark.objects.filter(journal_class=target)
        }
        target.delete()
        locked.lock_version += 1
        locked.save(update_fields=["lock_version", "updated_at"])
        _done_changed(locked, target.kind)
        audit_record(
            actor=by,
            action="journal.class_remove",
            object_type="journal",
            object_id=locked.pk,
            changes={"class": class_id, "date": target.date.isoformat(), "kind": target.kind, "marks": marks},
        )


def _done_changed(journal: Journal, kind: str) -> None:
    """The teaching load's hours done of the journal's teacher, discipline and kind of class."""
    teaching_done.classes_changed(
        year=journal.academic_year,
        term=journal.period,
        teacher_id=journal.teacher_id,
        discipline_code=journal.discipline_code,
        kind=kind,
    )


def format_cell_of(mark: JournalMark) -> str:
    """The token a stored mark shows as."""
    return format_cell(Cell(mark.attendance, mark.mark))


@dataclass(frozen=True)
class CellError:
    """A typed cell that was refused: where, and why."""

    class_id: int
    student_id: int
    message: str


class JournalInputError(RecordsError):
    """Some typed cells were refused; nothing was saved. `errors` says which and why."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(
            "bad_cells",
            _("%(count)s cell(s) could not be saved: %(first)s"),
            count=len(errors),
            first=errors[0].message,
        )
        self.errors = errors


def journal_save_cells(
    *, journal: Journal, by: Any, lock_version: int | None, cells: Mapping[tuple[int, int], str]
) -> Journal:
    """Save typed cells {(class id, student id): token}; refuses all of them if any is bad.

    `lock_version` is what the page loaded (None: do not check, for the one-cell saves of the grid).
    """
    with transaction.atomic():
        locked = _lock(journal, by, lock_version)
        policy = term_policy(locked.academic_year, locked.period)
        class_ids = set(JournalClass.objects.filter(journal=locked).values_list("pk", flat=True))
        student_ids = set(locked.students.values_list("pk", flat=True))
        errors: list[CellError] = []
        parsed = {}
        for (class_id, student_id), text in cells.items():
            if class_id not in class_ids or student_id not in student_ids:
                errors.append(CellError(class_id, student_id, _("There is no such cell in this journal.")))
                continue
            try:
                parsed[(class_id, student_id)] = parse_cell(text, policy)
            except AcademicInputError as exc:
                errors.append(CellError(class_id, student_id, exc.message))
        if errors:
            raise JournalInputError(errors)
        existing = {
            (m.journal_class_id, m.student_id): m
            for m in JournalMark.objects.filter(journal_class_id__in={c for c, _s in parsed})
        }
        changed: dict[str, dict[str, str]] = {}
        create, update, delete = [], [], []
        for key, cell in parsed.items():
            old = existing.get(key)
            before = format_cell_of(old) if old is not None else ""
            after = format_cell(cell)
            if before == after:
                continue
            changed[f"{key[0]}:{key[1]}"] = {"from": before, "to": after}
            if old is None:
                create.append(
                    JournalMark(
                        journal_class_id=key[0], student_id=key[1], attendance=cell.attendance, mark=cell.mark
                    )
                )
            elif not cell.attendance and cell.mark is None:
                delete.append(old.pk)
            else:
                old.attendance, old.mark = cell.attendance, cell.mark
                update.append(old)
        if not changed:
            return locked
        JournalMark.objects.bulk_create(create)
        JournalMark.objects.bulk_update(update, ["attendance", "mark"])
        JournalMark.objects.filter(pk__in=delete).delete()
        locked.lock_version += 1
        locked.save(update_fields=["lock_version", "updated_at"])
        audit_record(
            actor=by,
            action="journal.edit",
            object_type="journal",
            object_id=locked.pk,
            changes={"cells": changed},
        )
    return locked


def rating_statement_data(*, journal: Journal, by: Any, control: int) -> dict[str, Any]:
    """The data of the rating statement РК1 (control 1) or РК2 (control 2) of a journal, from its marks;
    its date is the last day of the half-semester."""
    if control not in (1, 2):
        raise RecordsError("rating_control", _("A rating statement is for РК1 or РК2."))
    grid = journal_grid(journal=journal, user=by)
    if not grid.rows:
        raise RecordsError("journal_empty", _("The journal has no students."))
    end = grid.weeks.first_half_end if control == 1 else grid.weeks.end
    lines = []
    for row in grid.rows:
        half = row.ratings.first if control == 1 else row.ratings.second
        counts = {"present": 0, "absent": 0, "excused": 0}
        for token, h in zip(row.tokens, grid.halves, strict=True):
            cell = parse_cell(token, grid.policy)
            if h == control and cell.attendance in counts:
                counts[cell.attendance] += 1
        lines.append(
            {
                "student_iin": row.student.iin,
                "current": str(half.current),
                "midterm": str(half.midterm),
                **counts,
            }
        )
    return {
        "discipline_code": journal.discipline_code,
        "discipline_name": journal.discipline_name,
        "credits": journal.credits,
        "group_code": journal.group.code,
        "academic_year": journal.academic_year,
        "period": journal.period,
        "control": control,
        "date": end.isoformat(),
        "teacher": journal.teacher.full_name(),
        "lines": lines,
    }


def journal_draft_rating_statement(*, journal: Journal, by: Any, control: int) -> Any:
    """Draft the rating statement РК1 or РК2 of a journal (records.kinds.rating_statement); the draft
    then goes through its route like any document."""
    if not may_keep_journal(by, journal):
        raise NotFoundOrForbidden("not_found", _("There is no such journal, or you may not write in it."))
    data = rating_statement_data(journal=journal, by=by, control=control)
    kind = get_kind("rating_statement")
    return document_create(
        by=by, kind=kind.code, org_unit=journal.department, title=kind.make_title(data), data=data
    )

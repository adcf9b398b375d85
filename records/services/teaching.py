"""Writes of the teaching load: staff positions (audited), drafting a department's calculation and
distribution, assigning lines to teachers in a draft distribution, and the semester execution report
drafted with its figures (records.selectors.teaching)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document, OrgUnit, Person, StaffPosition
from records.permissions import may_edit_staff_positions
from records.selectors.teaching import load_done
from records.services.audit import audit_record
from records.services.document import document_create, document_update_draft


def _refuse_unless_may_edit(by: Any, department: OrgUnit) -> None:
    if not may_edit_staff_positions(by, department):
        raise RecordsError(
            "forbidden", _("You may not edit the staff positions of %(unit)s."), unit=department.name
        )


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise RecordsError("invalid_number", _("%(field)s must be a number."), field=field) from None


def staff_position_save(
    *,
    by: Any,
    department: OrgUnit,
    person: Person,
    academic_year: int,
    kind: str,
    rate: Any,
    contracted_hours: Any = None,
    position: StaffPosition | None = None,
) -> StaffPosition:
    """Create or change a teacher's position in a department's year (one audit event)."""
    _refuse_unless_may_edit(by, department)
    if position is not None and position.department_id != department.pk:
        raise RecordsError(
            "forbidden", _("You may not edit the staff positions of %(unit)s."), unit=department.name
        )
    rate_value = _decimal(rate, "rate") or Decimal(0)
    hours_value = _decimal(contracted_hours, "contracted hours")
    if kind == StaffPosition.Kind.HOURLY and not hours_value:
        raise RecordsError("hours_required", _("An hourly position needs its contracted hours."))
    if kind != StaffPosition.Kind.HOURLY and rate_value <= 0:
        raise RecordsError("rate_required", _("A position other than hourly needs a rate above zero."))
    with transaction.atomic():
        target = position or StaffPosition(department=department)
        before = {"rate": str(target.rate), "kind": target.kind} if position else {}
        target.person = person
        target.academic_year = academic_year
        target.kind = kind
        target.rate = rate_value
        target.contracted_hours = hours_value
        try:
            target.full_clean()
        except ValidationError as exc:
            raise RecordsError("invalid_position", "%(problems)s", problems=" ".join(exc.messages)) from exc
        target.save()
        audit_record(
            actor=by,
            action="staff_position.save",
            object_type="staff_position",
            object_id=target.pk,
            changes={
                "department": department.code,
                "person": person.iin,
                "academic_year": academic_year,
                "kind": kind,
                "rate": str(rate_value),
                "contracted_hours": str(hours_value) if hours_value is not None else None,
                "before": before,
            },
        )
    return target


def staff_position_delete(*, by: Any, position: StaffPosition) -> None:
    """Remove a position (one audit event)."""
    _refuse_unless_may_edit(by, position.department)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="staff_position.delete",
            object_type="staff_position",
            object_id=position.pk,
            changes={"department": position.department.code, "person": position.person.iin},
        )
        position.delete()


def load_document_create(
    *, by: Any, kind: str, department: OrgUnit, academic_year: int, **extra: Any
) -> Document:
    """Draft a department's load calculation or distribution for a year (its figures are computed)."""
    data = {"academic_year": academic_year, "department_code": department.code, **extra}
    title = get_kind(kind).make_title({**data, "department_name": department.name_ru}, "ru")
    return document_create(by=by, kind=kind, org_unit=department, title=title, data=data)


def distribution_assign(
    *, by: Any, document: Document, lock_version: int, assignments: dict[str, str]
) -> Document:
    """Set the teacher (by IIN) of each line (by key) in a draft distribution; "" unassigns it.

    Lines split among several teachers keep their split unless the line is given here.
    """
    version = document.current_version
    assert version is not None
    data = dict(version.data)
    kept = [a for a in data.get("assignments", []) if a["line_key"] not in assignments]
    given = [{"line_key": key, "teacher_iin": iin} for key, iin in sorted(assignments.items()) if iin]
    data["assignments"] = [{k: a[k] for k in ("line_key", "teacher_iin", "hours")} for a in kept] + given
    return document_update_draft(document=document, by=by, lock_version=lock_version, data=data)


def execution_report_create(*, by: Any, department: OrgUnit, academic_year: int, semester: int) -> Document:
    """Draft the department's semester execution report with the plan and what was done, per teacher."""
    summary = load_done(department, academic_year, semester)
    rows = [
        {
            "teacher_iin": t.iin,
            "teacher_name": t.name,
            "kind": kind,
            "planned": str(t.planned.get(kind, Decimal(0))),
            "done": str(t.done.get(kind, Decimal(0))),
        }
        for t in summary.teachers
        for kind in t.planned
    ]
    data = {
        "academic_year": academic_year,
        "semester": semester,
        "department_code": department.code,
        "department_name": department.name_ru,
        "distribution_number": summary.distribution_number,
        "rows": rows,
        "planned_total": str(summary.assigned),
        "done_total": str(summary.done_total),
    }
    title = get_kind("load_execution_report").make_title(data, "ru")
    return document_create(by=by, kind="load_execution_report", org_unit=department, title=title, data=data)


def teacher_plan_create(
    *,
    by: Any,
    department: OrgUnit,
    teacher: Person,
    academic_year: int,
    other_work: list[dict[str, Any]] | None = None,
) -> Document:
    """Draft a teacher's individual plan: the teaching hours the registered distribution plans (per term
    and kind of work), the actual hours done so far, and the other work the teacher enters."""
    actual = []
    for term in (1, 2):
        for load in load_done(department, academic_year, term).teachers:
            if load.person_id == teacher.pk:
                actual += [
                    {"term": term, "kind": kind, "actual": str(value)} for kind, value in load.done.items()
                ]
    data = {
        "academic_year": academic_year,
        "department_code": department.code,
        "teacher_iin": teacher.iin,
        "rows": actual,
        "other_work": other_work or [],
    }
    title = get_kind("teacher_plan").make_title({**data, "teacher_name": teacher.full_name("ru")}, "ru")
    return document_create(by=by, kind="teacher_plan", org_unit=department, title=title, data=data)

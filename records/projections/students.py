"""Orders on students → Student and StudentStatusEvent.

A student's state is the fold of their registered orders in effective-date order (then registration
order). The Student row is effective-dated: it folds only the orders in force today (effective on or
before today in the university's time zone); an order registered before its effective date waits as
a pending event (in_force false) until the daily task (records.services.students.apply_due_status_
changes) applies it; a replay folds as of the same day, so it gives the same rows. Registering an order adds its event and recomputes the fold; revoking removes the event and
recomputes, so a revoked order no longer changes anything. Contradictions (expelling a graduate,
leave for someone on leave, an order dated before the student's last order) are refused with a
RecordsError naming the student, at drafting and again at registration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.academics.gpa import CourseAttempt, Term
from records.academics.honours import honours_for_attempts
from records.academics.progression import may_move_to_next_year
from records.errors import RecordsError
from records.models import Document, Person, Programme, StudyGroup, Version
from records.models.academic import GradeLine, Student, StudentGpa, StudentStatus, StudentStatusEvent
from records.models.monitoring import StudentSpell
from records.projections.base import replay_context
from records.projections.debts import academic_debts, curriculum_disciplines
from records.projections.policy import policy_book, term_start

ENROLLED, ON_LEAVE, EXPELLED, GRADUATED = (
    StudentStatus.ENROLLED.value,
    StudentStatus.ON_LEAVE.value,
    StudentStatus.EXPELLED.value,
    StudentStatus.GRADUATED.value,
)

# order type → (the status it sets or None to keep it, the statuses it may be applied to ("" = no record)).
ORDER_RULES: dict[str, tuple[str | None, frozenset[str]]] = {
    "enrollment": (ENROLLED, frozenset({""})),
    "transfer": (None, frozenset({ENROLLED})),
    "academic_leave": (ON_LEAVE, frozenset({ENROLLED})),
    "return_from_leave": (ENROLLED, frozenset({ON_LEAVE})),
    "expulsion": (EXPELLED, frozenset({ENROLLED, ON_LEAVE})),
    "reinstatement": (ENROLLED, frozenset({EXPELLED})),
    "next_year": (None, frozenset({ENROLLED})),
    "final_attestation_admission": (None, frozenset({ENROLLED})),
    "graduation": (GRADUATED, frozenset({ENROLLED})),
}
# Data keys an order carries into the student's state.
STATE_KEYS = ("programme_code", "group_code", "year_of_study", "funding", "degree_awarded", "with_honours")


@dataclasses.dataclass(frozen=True)
class StudentState:
    """A student's state after some orders."""

    status: str = ""
    status_since: dt.date | None = None
    programme_code: str = ""
    group_code: str = ""
    year_of_study: int | None = None
    funding: str = ""
    final_attestation_admitted: bool = False
    degree_awarded: str = ""
    with_honours: bool = False


def apply_order(
    state: StudentState, order_type: str, changes: dict[str, Any], effective: dt.date
) -> StudentState:
    """The state after one order (no checks: the fold of whatever orders are in force)."""
    status, _allowed = ORDER_RULES[order_type]
    updates: dict[str, Any] = {k: changes[k] for k in STATE_KEYS if changes.get(k) not in (None, "", False)}
    if order_type == "next_year" and "year_of_study" not in updates:
        updates["year_of_study"] = (state.year_of_study or 0) + 1
    if order_type == "final_attestation_admission":
        updates["final_attestation_admitted"] = True
    if order_type in ("enrollment", "reinstatement"):
        updates.setdefault("final_attestation_admitted", False)
    if status is not None and status != state.status:
        updates["status"] = status
        updates["status_since"] = effective
    return dataclasses.replace(state, **updates)


def _describe(person: Person) -> str:
    return f"{person.full_name()} ({person.iin})"


def order_changes(order_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The part of an order's data that changes the student's state."""
    return {k: data[k] for k in STATE_KEYS if data.get(k) not in (None, "", False)}


def student_person(iin: str) -> Person:
    """The student with this IIN, or a RecordsError naming it."""
    person = Person.objects.filter(iin=iin, kind=Person.Kind.STUDENT).first()
    if person is None:
        raise RecordsError("unknown_student", _("There is no student with IIN %(iin)s."), iin=iin)
    return person


def state_on(person: Person, date: dt.date | None = None) -> StudentState:
    """The student's state from registered orders effective on or before `date` (all orders when None)."""
    events = StudentStatusEvent.objects.filter(person=person)
    if date is not None:
        events = events.filter(effective_date__lte=date)
    state = StudentState()
    for event in events.order_by("effective_date", "registered_at", "document_id"):
        state = apply_order(state, event.order_type, event.changes, event.effective_date)
    return state


def check_order(order_type: str, data: dict[str, Any], *, exclude_document_id: int | None = None) -> Person:
    """Refuse an order that contradicts the student's registered history; returns the student."""
    person = student_person(str(data["student_iin"]))
    effective = dt.date.fromisoformat(str(data["effective_date"]))
    later = (
        StudentStatusEvent.objects.filter(person=person, effective_date__gt=effective)
        .exclude(document_id=exclude_document_id or 0)
        .select_related("document")
        .order_by("effective_date")
        .first()
    )
    if later is not None:
        raise RecordsError(
            "order_out_of_sequence",
            _("Student %(student)s: order %(number)s already takes effect later, on %(date)s."),
            student=_describe(person),
            number=later.document.registry_number,
            date=later.effective_date.isoformat(),
        )
    state = state_on(person, effective)
    _status, allowed = ORDER_RULES[order_type]
    if state.status not in allowed:
        current = StudentStatus(state.status).label if state.status else _("not enrolled")
        raise RecordsError(
            "order_contradicts_state",
            _("Student %(student)s is %(status)s since %(since)s; this order cannot apply to them."),
            student=_describe(person),
            status=str(current).lower(),
            since=state.status_since.isoformat() if state.status_since else "—",
        )
    if order_type == "next_year":
        _check_progression(person, state, effective)
    if order_type == "final_attestation_admission":
        _check_no_debt(person, state)
    if order_type == "graduation" and not state.final_attestation_admitted:
        raise RecordsError(
            "not_admitted_to_final_attestation",
            _("Student %(student)s has not been admitted to the final attestation."),
            student=_describe(person),
        )
    if order_type == "graduation" and data.get("with_honours"):
        _check_honours(person, effective)
    _check_references(person, data)
    return person


LEVELS = {"bachelor": "bachelor", "master": "master", "doctor": "doctoral"}


def _check_no_debt(person: Person, state: StudentState) -> None:
    """Admission to the final attestation needs every discipline of the working curriculum passed.

    Without a registered curriculum for the student's programme and intake the registry cannot tell,
    and the admission is not checked (as progression is not checked without grades).
    """

    group = StudyGroup.objects.filter(code=state.group_code).first()
    if group is None or not state.programme_code:
        return
    disciplines = curriculum_disciplines(state.programme_code, group.intake_year)
    if disciplines is None:
        return
    debts = academic_debts(person, disciplines)
    if debts:
        raise RecordsError(
            "academic_debt",
            _(
                "Student %(student)s cannot be admitted to the final attestation: no positive grade in %(disciplines)s."
            ),
            student=_describe(person),
            disciplines=", ".join(debts),
        )


def _check_progression(person: Person, state: StudentState, effective: dt.date) -> None:
    """Moving to the next year needs the policy's cumulative GPA and no open FX/F (when grades are on record).

    A student with no registered grades is not checked: the registry does not hold their results.
    """

    rows = [
        row
        for row in StudentGpa.objects.filter(person=person).order_by("term_year", "term_period")
        if term_start(row.term_year, row.term_period) <= effective
    ]
    programme = Programme.objects.filter(code=state.programme_code).first()
    if not rows or programme is None or state.year_of_study is None:
        return
    policy, _version = policy_book().at(effective)
    level = LEVELS.get(programme.level, programme.level)
    if policy.progression.threshold(level, state.year_of_study) is None:
        return
    debts = sorted(
        set(
            GradeLine.objects.filter(person=person, counts=True, letter__in=("FX", "F")).values_list(
                "discipline_code", flat=True
            )
        )
    )
    decision = may_move_to_next_year(
        state.year_of_study, rows[-1].cumulative_gpa, policy, level=level, open_debts=debts
    )
    if not decision.ok:
        raise RecordsError(
            "progression_refused",
            _("Student %(student)s cannot move to the next year: %(reasons)s"),
            student=_describe(person),
            reasons=" ".join(decision.messages),
        )


def _check_honours(person: Person, effective: dt.date) -> None:
    """A diploma with honours needs the policy's grades, GPA and final attestation (records.academics.honours)."""

    lines = GradeLine.objects.filter(person=person, in_effect=True, points__isnull=False).exclude(letter="")
    attempts = [
        CourseAttempt(
            discipline_code=line.discipline_code,
            credits=line.credits,
            points=line.points,
            letter=line.letter,
            term=Term(line.term_year, line.term_period),
            is_retake=line.is_retake,
        )
        for line in lines.exclude(attempt_kind="final_attestation").order_by("registered_at", "document_id")
        if line.points is not None
    ]
    final = list(lines.filter(attempt_kind="final_attestation", counts=True).values_list("letter", flat=True))
    policy, _version = policy_book().at(effective)
    decision = honours_for_attempts(attempts, final, policy)
    if not decision.ok:
        raise RecordsError(
            "honours_refused",
            _("Student %(student)s does not qualify for a diploma with honours: %(reasons)s"),
            student=_describe(person),
            reasons=" ".join(decision.messages),
        )


def _check_references(person: Person, data: dict[str, Any]) -> None:
    programme_code = data.get("programme_code") or ""
    group_code = data.get("group_code") or ""
    if programme_code and not Programme.objects.filter(code=programme_code).exists():
        raise RecordsError(
            "unknown_programme",
            _("Student %(student)s: there is no programme %(value)s."),
            student=_describe(person),
            value=programme_code,
        )
    if group_code:
        group = StudyGroup.objects.filter(code=group_code).select_related("programme").first()
        if group is None:
            raise RecordsError(
                "unknown_group",
                _("Student %(student)s: there is no study group %(value)s."),
                student=_describe(person),
                value=group_code,
            )
        if programme_code and group.programme.code != programme_code:
            raise RecordsError(
                "group_not_in_programme",
                _("Student %(student)s: group %(group)s belongs to programme %(programme)s, not %(value)s."),
                student=_describe(person),
                group=group_code,
                programme=group.programme.code,
                value=programme_code,
            )


def recompute_student(person_id: int) -> None:
    """Rebuild one student's row and the 'status after' of their events from the events in force."""
    recompute_students([person_id])


def projection_day() -> dt.date:
    """Today in the university's time zone: orders effective on or before it are in force."""

    return timezone.localdate()


def recompute_students(person_ids: list[int], *, fresh: bool = False, as_of: dt.date | None = None) -> None:
    """Rebuild these students' rows from their orders in force on `as_of` (today), and each event's
    'status after' and in-force flag from the whole history (pending orders included).

    `fresh` (a replay, whose Student table starts empty) inserts the rows in bulk instead of updating.
    """
    day = as_of or projection_day()
    by_person: dict[int, list[tuple[int, str, dict[str, Any], dt.date, str, bool, int]]] = {
        pk: [] for pk in person_ids
    }
    events = (
        StudentStatusEvent.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "effective_date", "registered_at", "document_id")
        .values_list(
            "person_id", "id", "order_type", "changes", "effective_date", "status", "in_force", "document_id"
        )
    )
    for person, *event in events:
        by_person[person].append(tuple(event))  # type: ignore[arg-type]
    programmes: dict[str, int | None] = {}
    groups: dict[str, int | None] = {}
    changed: dict[str, list[int]] = {}
    flags: dict[bool, list[int]] = {True: [], False: []}
    rows: list[Student] = []
    gone: list[int] = []
    spells: list[tuple[int, int, str, dt.date, StudentState, str]] = []
    for person_id in person_ids:
        history = StudentState()
        state: StudentState | None = None  # the state today: the fold of the orders in force
        for event_id, order_type, changes, effective_date, status, in_force, document_id in by_person[
            person_id
        ]:
            previous_programme = history.programme_code
            history = apply_order(history, order_type, changes, effective_date)
            spells.append((person_id, document_id, order_type, effective_date, history, previous_programme))
            if status != history.status:
                changed.setdefault(history.status, []).append(event_id)
            due = effective_date <= day
            if due:
                state = history
            if in_force != due:
                flags[due].append(event_id)
        if state is None:
            gone.append(person_id)  # no order in force yet (or none at all): no row
            continue
        if state.programme_code and state.programme_code not in programmes:
            programmes[state.programme_code] = (
                Programme.objects.filter(code=state.programme_code).values_list("id", flat=True).first()
            )
        if state.group_code and state.group_code not in groups:
            groups[state.group_code] = (
                StudyGroup.objects.filter(code=state.group_code).values_list("id", flat=True).first()
            )
        rows.append(
            Student(
                person_id=person_id,
                programme_id=programmes.get(state.programme_code) if state.programme_code else None,
                group_id=groups.get(state.group_code) if state.group_code else None,
                year_of_study=state.year_of_study,
                funding=state.funding,
                status=state.status,
                status_since=state.status_since,
                final_attestation_admitted=state.final_attestation_admitted,
                degree_awarded=state.degree_awarded,
                with_honours=state.with_honours,
            )
        )
    _write_spells(person_ids, spells, fresh=fresh)
    for status, ids in sorted(changed.items()):
        for start in range(0, len(ids), 5000):
            StudentStatusEvent.objects.filter(pk__in=ids[start : start + 5000]).update(status=status)
    for in_force, ids in flags.items():
        for start in range(0, len(ids), 5000):
            StudentStatusEvent.objects.filter(pk__in=ids[start : start + 5000]).update(in_force=in_force)
    if gone:
        Student.objects.filter(person_id__in=gone).delete()
    if fresh:
        Student.objects.bulk_create(rows, batch_size=1000)
        return
    for row in rows:
        Student.objects.update_or_create(
            person_id=row.person_id,
            defaults={
                "programme_id": row.programme_id,
                "group_id": row.group_id,
                "year_of_study": row.year_of_study,
                "funding": row.funding,
                "status": row.status,
                "status_since": row.status_since,
                "final_attestation_admitted": row.final_attestation_admitted,
                "degree_awarded": row.degree_awarded,
                "with_honours": row.with_honours,
            },
        )


def _write_spells(
    person_ids: list[int], spells: list[tuple[int, int, str, dt.date, StudentState, str]], *, fresh: bool
) -> None:
    """Replace these students' monitoring spells (records.models.monitoring) by the fold's states:
    each order's state lasts until the next order's effective date."""

    codes = {s.programme_code for *_x, s, _p in spells} | {p for *_x, p in spells}
    programmes = dict(Programme.objects.filter(code__in=codes - {""}).values_list("code", "id"))
    groups = dict(
        StudyGroup.objects.filter(code__in={s.group_code for *_x, s, _p in spells} - {""}).values_list(
            "code", "id"
        )
    )
    rows = []
    for index, (person_id, document_id, order_type, effective, state, previous) in enumerate(spells):
        following = spells[index + 1] if index + 1 < len(spells) else None
        valid_to = following[3] if following is not None and following[0] == person_id else None
        rows.append(
            StudentSpell(
                person_id=person_id,
                document_id=document_id,
                order_type=order_type,
                valid_from=effective,
                valid_to=valid_to,
                status=state.status,
                programme_id=programmes.get(state.programme_code),
                group_id=groups.get(state.group_code),
                previous_programme_id=programmes.get(previous),
                year_of_study=state.year_of_study,
                funding=state.funding,
            )
        )
    if not fresh:
        StudentSpell.objects.filter(person_id__in=person_ids).delete()
    StudentSpell.objects.bulk_create(rows, batch_size=1000)


def due_status_people(day: dt.date | None = None, *, person_ids: list[int] | None = None) -> list[int]:
    """The students (of `person_ids`, else all) with an order whose effective date has come but whose
    row does not show it yet."""
    day = day or projection_day()
    events = StudentStatusEvent.objects.filter(in_force=False, effective_date__lte=day)
    if person_ids is not None:
        events = events.filter(person_id__in=person_ids)
    return sorted(set(events.values_list("person_id", flat=True)))


def pending_changes(person: Person, day: dt.date | None = None) -> list[StudentStatusEvent]:
    """The student's registered orders that come into force after `day` (today), earliest first."""
    day = day or projection_day()
    return list(
        StudentStatusEvent.objects.filter(person=person, effective_date__gt=day)
        .select_related("document")
        .order_by("effective_date", "registered_at", "document_id")
    )


def project_order(document: Document, version: Version) -> None:
    """Registration of an order: checked again (drafts may race), its event stored, the student recomputed.

    In a replay the event is queued (inserted in bulk by the replay) and the recomputation deferred.
    """
    order_type = str(version.data["order_type"])
    iin = str(version.data["student_iin"])
    context = replay_context()
    if context is None:
        # Orders on one student register one at a time: the check sees the other's event.
        Person.objects.select_for_update().filter(iin=iin).first()
        person_id = check_order(order_type, version.data, exclude_document_id=document.pk).pk
    else:
        found = context.person(iin)
        person_id = (
            found[0] if found is not None and found[1] == Person.Kind.STUDENT else student_person(iin).pk
        )
    assert document.registered_at is not None
    event = {
        "person_id": person_id,
        "document_id": document.pk,
        "order_type": order_type,
        "effective_date": dt.date.fromisoformat(str(version.data["effective_date"])),
        "registered_at": document.registered_at,
        "changes": order_changes(order_type, version.data),
    }
    if document.subject_id is None:
        Document.objects.filter(pk=document.pk).update(subject_id=person_id)
        document.subject_id = person_id
    if context is None:
        StudentStatusEvent.objects.create(**event)
        recompute_student(person_id)
    else:
        context.add(StudentStatusEvent, event)
        context.status_people.add(person_id)


def unproject_order(document: Document, version: Version) -> None:
    """Revocation of an order: its event goes and the student's history is recomputed without it."""
    person_ids = list(
        StudentStatusEvent.objects.filter(document=document).values_list("person_id", flat=True)
    )
    StudentStatusEvent.objects.filter(document=document).delete()
    for person_id in person_ids:
        recompute_student(person_id)

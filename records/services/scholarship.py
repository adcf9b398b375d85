"""Scholarship orders: who gets the state scholarship for a semester, the order, the payment list.

Everything comes from the registry's projections: a student's status, group, year and funding at
the start of the paid term are the fold of their registered orders (StudentStatusEvent); the grades
are the grade lines of the preceding session (GradeLine, from registered statements); the rule is
records.academics.scholarship.scholarship_decision under the academic policy in force at the start
of the paid term. The list is refused while the session is incomplete (a discipline of a group's
curriculum without a registered statement, or a statement still on its route).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy
from records.academics.scholarship import (
    ScholarshipAmounts,
    ScholarshipDecision,
    StudentFacts,
    TermGrade,
    scholarship_decision,
)
from records.errors import RecordsError
from records.kinds.scholarship_order import KIND, MAX_AMOUNT, check_no_duplicate, term_label
from records.lifecycle import State
from records.models import Document, OrgUnit, Person, StudyGroup
from records.models.academic import GradeLine, StudentStatusEvent
from records.models.org import Role
from records.permissions import has_role, may_create
from records.projections.base import in_force
from records.projections.policy import policy_book, term_start
from records.projections.students import ENROLLED, ON_LEAVE, StudentState, apply_order
from records.selectors.scholarship import (
    ScholarshipForbidden,
    scholarship_access_check,
    scholarship_order_get,
)
from records.services.audit import access_record, audit_record
from records.services.document import document_create

DEFAULT_BASE_AMOUNT = 47_135  # bachelor, KZT a month (domain.md §2.6, 2024 amounts)
DEFAULT_INCREASED_AMOUNT = 54_205
MEDICAL_GROUNDS = frozenset({"illness", "tuberculosis"})
PREVIEW_ROLES = frozenset({Role.REGISTRAR, Role.DEAN})
UNFINISHED_STATES = (State.DRAFT, State.REVIEW, State.APPROVED, State.SIGNING)
# The projection names the state order "state_grant"; the policy's default funding_sources say "state".
POLICY_FUNDING = {"state_grant": "state"}
# The order is rendered in Russian: its rate labels are the order's own words, not UI strings.
ORDER_RATE_LABELS = {"base": "базовая", "increased": "повышенная"}
RATE_LABELS = {"base": gettext_lazy("base"), "increased": gettext_lazy("increased")}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ScholarshipRequest:
    """What the registrar asks for: the paid term, the monthly amounts and optionally a faculty."""

    academic_year: int
    semester: int
    base_amount: int = DEFAULT_BASE_AMOUNT
    increased_amount: int = DEFAULT_INCREASED_AMOUNT
    faculty: OrgUnit | None = None

    @property
    def session(self) -> tuple[int, int]:
        """The session that decides the term: spring of the year before for semester 1, else autumn."""
        if self.semester == 1:
            return self.academic_year - 1, 2
        return self.academic_year, 1


@dataclass
class StudentLine:
    """One student of the scope and the decision about them."""

    iin: str
    name: str
    group_code: str
    funding: str
    decision: ScholarshipDecision

    @property
    def rate_label(self) -> str:
        """The rate in the active language (empty when not awarded)."""
        rate = self.decision.rate
        return str(RATE_LABELS[rate]) if rate in RATE_LABELS else ""

    @property
    def amount(self) -> int:
        """The monthly amount in whole tenge."""
        return int(self.decision.amount)


@dataclass
class ScholarshipList:
    """The outcome for every student of the scope, the policy version used and the total."""

    request: ScholarshipRequest
    policy_version: str
    awarded: list[StudentLine] = field(default_factory=list)
    excluded: list[StudentLine] = field(default_factory=list)

    @property
    def term_label(self) -> str:
        """The paid term, e.g. "2026/27, семестр 1"."""
        return term_label(self.request.academic_year, self.request.semester)

    @property
    def session_label(self) -> str:
        """The session that decided it."""
        return term_label(*self.request.session)

    @property
    def total(self) -> int:
        """The monthly total of the awarded amounts."""
        return sum(line.amount for line in self.awarded)

    def order_data(self) -> dict[str, Any]:
        """The data of the scholarship order, with the reasons written in Russian (the order's language)."""
        request = self.request
        with translation.override("ru"):
            return {
                "academic_year": request.academic_year,
                "semester": request.semester,
                "term_label": self.term_label,
                "session_label": self.session_label,
                "faculty_code": request.faculty.code if request.faculty else "",
                "faculty_name": request.faculty.name_ru if request.faculty else "",
                "base_amount": request.base_amount,
                "increased_amount": request.increased_amount,
                "policy_version": self.policy_version,
                "awarded": [
                    {
                        "iin": line.iin,
                        "name": line.name,
                        "group_code": line.group_code,
                        "rate": line.decision.rate,
                        "rate_label": ORDER_RATE_LABELS[line.decision.rate],
                        "amount": line.amount,
                        "reasons": _reasons(line),
                    }
                    for line in self.awarded
                ],
                "excluded": [
                    {
                        "iin": line.iin,
                        "name": line.name,
                        "group_code": line.group_code,
                        "funding": line.funding,
                        "reasons": _reasons(line),
                    }
                    for line in self.excluded
                ],
                "total_amount": self.total,
            }


def _reasons(line: StudentLine) -> list[dict[str, str]]:
    """The decision's reasons as stored in the order: code and text."""
    return [{"code": reason.code, "text": reason.message} for reason in line.decision.reasons]


def session_start(year: int, period: int) -> dt.date:
    """When a session begins: 15 December for the autumn one, 15 May for the spring one."""
    return dt.date(year, 12, 15) if period == 1 else dt.date(year + 1, 5, 15)


def _check_request(request: ScholarshipRequest) -> None:
    """Refuse a bad term, amounts out of range, or a term whose deciding session has not begun."""
    if request.semester not in (1, 2) or not 1990 <= request.academic_year <= 2999:
        raise RecordsError("bad_term", _("Choose an academic year and semester 1 or 2."))
    for amount in (request.base_amount, request.increased_amount):
        if not 1 <= amount <= MAX_AMOUNT:
            raise RecordsError(
                "amount_out_of_range",
                _("Monthly amounts must be between 1 and %(max)s tenge, got %(amount)s."),
                max=MAX_AMOUNT,
                amount=amount,
            )
    if request.increased_amount < request.base_amount:
        raise RecordsError(
            "amount_out_of_range",
            _("The increased amount (%(increased)s) must not be below the base amount (%(base)s)."),
            increased=request.increased_amount,
            base=request.base_amount,
        )
    year, period = request.session
    if timezone.localdate() < session_start(year, period):
        raise RecordsError(
            "term_in_future",
            _("The session deciding %(term)s (%(session)s) has not taken place yet."),
            term=term_label(request.academic_year, request.semester),
            session=term_label(year, period),
        )


@dataclass
class _Candidate:
    """A student of the registry on the first day of the paid term."""

    person_id: int
    state: StudentState
    leave_document_id: int | None


def _candidates(term_date: dt.date) -> list[_Candidate]:
    """Every student enrolled or on leave on `term_date`: the fold of their orders effective by then."""
    states: dict[int, StudentState] = {}
    leaves: dict[int, int | None] = {}
    events = (
        StudentStatusEvent.objects.filter(effective_date__lte=term_date)
        .order_by("person_id", "effective_date", "registered_at", "document_id")
        .values_list("person_id", "order_type", "changes", "effective_date", "document_id")
    )
    for person_id, order_type, changes, effective, document_id in events:
        states[person_id] = apply_order(states.get(person_id, StudentState()), order_type, changes, effective)
        if order_type == "academic_leave":
            leaves[person_id] = document_id
    return [
        _Candidate(pid, state, leaves.get(pid))
        for pid, state in states.items()
        if state.status in (ENROLLED, ON_LEAVE)
    ]


def _in_scope(
    candidates: list[_Candidate], faculty: OrgUnit | None
) -> tuple[list[_Candidate], dict[str, StudyGroup]]:
    """The candidates whose group belongs to the faculty (all of them without one), and their groups."""
    codes = {c.state.group_code for c in candidates}
    groups = {
        g.code: g for g in StudyGroup.objects.filter(code__in=codes).select_related("programme__department")
    }
    if faculty is None:
        return candidates, groups
    chosen = [
        c
        for c in candidates
        if c.state.group_code in groups
        and groups[c.state.group_code].programme.department.path.startswith(faculty.path)
    ]
    return chosen, groups


def _leave_kind(candidate: _Candidate) -> str:
    """ "medical" for a leave on illness grounds, "other" for any other leave, "none" when not on leave."""
    if candidate.state.status != ON_LEAVE:
        return "none"
    document = (
        Document.objects.filter(pk=candidate.leave_document_id).select_related("current_version").first()
    )
    grounds = (
        document.current_version.data.get("leave_grounds") if document and document.current_version else None
    )
    return "medical" if grounds in MEDICAL_GROUNDS else "other"


def _rates_before(request: ScholarshipRequest) -> dict[str, str]:
    """IIN → the rate of the latest earlier scholarship order in force naming the student ("none" if excluded)."""
    orders = []
    for document in in_force([KIND]).select_related("current_version"):
        data = document.current_version.data if document.current_version else {}
        term = (int(data.get("academic_year", 0)), int(data.get("semester", 0)))
        if term < (request.academic_year, request.semester):
            orders.append((term, document.pk, data))
    rates: dict[str, str] = {}
    for _term, _pk, data in sorted(orders, key=lambda o: (o[0], o[1])):
        for line in data.get("excluded", []):
            rates[line["iin"]] = "none"
        for line in data.get("awarded", []):
            rates[line["iin"]] = line["rate"]
    return rates


def _session_problems(request: ScholarshipRequest, groups: list[StudyGroup]) -> list[str]:
    """What keeps the session of these groups from being complete, each naming group and discipline."""
    year, period = request.session
    codes = {g.code for g in groups}
    registered = set(
        GradeLine.objects.filter(term_year=year, term_period=period, group_code__in=codes)
        .values_list("group_code", "discipline_code")
        .distinct()
    )
    curricula: dict[tuple[str, int], dict[str, Any]] = {}
    for document in in_force(["working_curriculum"]).select_related("current_version"):
        data = document.current_version.data if document.current_version else {}
        curricula[(str(data.get("programme_code")), int(data.get("intake_year", 0)))] = data
    problems: list[str] = []
    for group in sorted(groups, key=lambda g: g.code):
        number = (year - group.intake_year) * 2 + period
        if number < 1:
            continue
        curriculum = curricula.get((group.programme.code, group.intake_year))
        if curriculum is None:
            problems.append(
                _("group %(group)s: no working curriculum is registered for %(programme)s, intake %(intake)s")
                % {"group": group.code, "programme": group.programme.code, "intake": group.intake_year}
            )
            continue
        semesters = {int(s["number"]): s for s in curriculum.get("semesters", [])}
        for discipline in semesters.get(number, {}).get("disciplines", []):
            if discipline.get("control_form") == "final_attestation":
                continue
            if (group.code, discipline["code"]) not in registered:
                problems.append(
                    _("group %(group)s, discipline %(discipline)s: no registered grade statement")
                    % {"group": group.code, "discipline": discipline["code"]}
                )
    unfinished = Document.objects.filter(kind="grade_statement", state__in=UNFINISHED_STATES).select_related(
        "current_version"
    )
    for document in unfinished.order_by("id"):
        data = document.current_version.data if document.current_version else {}
        if data.get("group_code") in codes and (data.get("academic_year"), data.get("period")) == (
            year,
            period,
        ):
            problems.append(
                _("group %(group)s, discipline %(discipline)s: a grade statement is still %(state)s")
                % {
                    "group": data["group_code"],
                    "discipline": data.get("discipline_code"),
                    "state": document.state,
                }
            )
    return problems


def scholarship_list(*, request: ScholarshipRequest) -> ScholarshipList:
    """Decide the scholarship of every student of the scope (no permission check, nothing stored)."""
    _check_request(request)
    term_date = term_start(request.academic_year, request.semester)
    policy, policy_version = policy_book().at(term_date)
    candidates, groups = _in_scope(_candidates(term_date), request.faculty)
    if not any(
        _policy_funding(c.state.funding, policy) in policy.scholarship.funding_sources for c in candidates
    ):
        raise RecordsError(
            "no_state_funded_students",
            _("There are no state-funded students in this scope on %(date)s."),
            date=term_date.isoformat(),
        )
    year, period = request.session
    people = {p.pk: p for p in Person.objects.filter(pk__in=[c.person_id for c in candidates])}
    grades: dict[int, list[TermGrade]] = defaultdict(list)
    # Coursework and practice grades weigh in the scholarship rule when the policy says so.
    not_counted = [
        kind
        for kind, counted in (
            (GradeLine.AttemptKind.COURSEWORK, policy.counting.coursework_in_scholarship),
            (GradeLine.AttemptKind.PRACTICE, policy.counting.practice_in_scholarship),
        )
        if not counted
    ]
    for grade in (
        GradeLine.objects.filter(
            person_id__in=people, term_year=year, term_period=period, in_effect=True, is_retake=False
        )
        .exclude(attempt_kind__in=not_counted)
        .order_by("discipline_code", "registered_at")
    ):
        grades[grade.person_id].append(TermGrade(grade.discipline_code, grade.letter or None, grade.admitted))
    with_results = set(
        GradeLine.objects.filter(person_id__in=people, term_year__lte=year).values_list(
            "person_id", flat=True
        )
    )
    # Groups whose enrolled students sat the session (a new intake has none: it is skipped by semester).
    needing_session = {c.state.group_code for c in candidates if c.state.status == ENROLLED}
    problems = _session_problems(request, [groups[code] for code in needing_session if code in groups])
    if problems:
        raise RecordsError(
            "session_incomplete",
            _("The session %(session)s is not complete: %(problems)s."),
            session=term_label(year, period),
            problems="; ".join(problems),
        )
    amounts = ScholarshipAmounts(Decimal(request.base_amount), Decimal(request.increased_amount))
    rates_before = _rates_before(request)
    result = ScholarshipList(request=request, policy_version=policy_version)
    for candidate in candidates:
        person = people[candidate.person_id]
        year_of_study = candidate.state.year_of_study or 1
        # A student who already sat a session is past their first semester, even while the
        # next-year order of the coming September is not registered yet.
        if year_of_study == 1 and candidate.person_id in with_results:
            year_of_study = 2
        facts = StudentFacts(
            funding=_policy_funding(candidate.state.funding, policy),
            year_of_study=year_of_study,
            semester=request.semester,
            academic_leave=_leave_kind(candidate),  # type: ignore[arg-type]
            rate_before_leave=rates_before.get(person.iin, "none"),  # type: ignore[arg-type]
        )
        try:
            decision = scholarship_decision(facts, grades.get(person.pk, []), policy, amounts)
        except AcademicInputError as exc:
            raise RecordsError(
                "bad_student_data",
                _("Student %(student)s: %(problem)s"),
                student=person.iin,
                problem=exc.message,
            ) from exc
        line = StudentLine(
            person.iin, person.full_name("ru"), candidate.state.group_code, candidate.state.funding, decision
        )
        (result.awarded if decision.eligible else result.excluded).append(line)
    result.awarded.sort(key=lambda line: (line.group_code, line.name))
    result.excluded.sort(key=lambda line: (line.group_code, line.name))
    return result


def _policy_funding(funding: str, policy: AcademicPolicy) -> str:
    """The student's funding in the policy's words (a policy may also name "state_grant" itself)."""
    if funding in policy.scholarship.funding_sources:
        return funding
    return POLICY_FUNDING.get(funding, funding)


def _scope_unit(request: ScholarshipRequest) -> OrgUnit:
    """The unit owning the order: the faculty, or the university for a university-wide order."""
    unit = request.faculty or OrgUnit.objects.filter(parent__isnull=True).first()
    if unit is None:
        raise RecordsError("no_university", _("The university's org structure is not set up."))
    return unit


def scholarship_preview(*, by: Any, request: ScholarshipRequest) -> ScholarshipList:
    """The list for the registrar (or a dean, for their faculty) to check; a view of restricted data, audited."""
    scholarship_access_check(by)
    unit = _scope_unit(request)
    if not (getattr(by, "is_superuser", False) or has_role(by, PREVIEW_ROLES, unit.path)):
        raise ScholarshipForbidden("forbidden", _("You may not see the scholarship list of this scope."))
    result = scholarship_list(request=request)
    audit_record(
        actor=by,
        action="scholarship.preview",
        object_type="scholarship_list",
        object_id=f"{request.academic_year}-{request.semester}-{unit.code}",
        changes={
            "academic_year": request.academic_year,
            "semester": request.semester,
            "faculty": unit.code if request.faculty else "",
            "awarded": len(result.awarded),
            "excluded": len(result.excluded),
            "policy_version": result.policy_version,
        },
    )
    return result


def scholarship_order_create(*, by: Any, request: ScholarshipRequest) -> Document:
    """Draft the scholarship order of the term and scope (refused if one exists and is not revoked)."""
    scholarship_access_check(by)
    unit = _scope_unit(request)
    if not may_create(by, KIND, unit):
        raise ScholarshipForbidden("forbidden", _("Only the registrar prepares scholarship orders."))
    result = scholarship_list(request=request)
    data = result.order_data()
    check_no_duplicate(request.academic_year, request.semester, data["faculty_code"])
    title = _("State scholarship, %(term)s") % {"term": data["term_label"]}
    if request.faculty is not None:
        title += f" — {request.faculty.name_ru}"
    return document_create(by=by, kind=KIND, org_unit=unit, title=title, data=data)


def scholarship_order_view(*, by: Any, pk: int | str) -> Document:
    """One scholarship order for its back-office page; its student list is restricted data, so audited."""
    document = scholarship_order_get(user=by, pk=pk)
    access_record(actor=by, action="document.view", document=document)
    return document


def _payment_rows(document: Document) -> tuple[list[str], list[list[Any]], int]:
    """Header, one row per awarded student and the total of a scholarship order."""
    data = document.current_version.data if document.current_version else {}
    header = [_("No."), _("Full name"), _("IIN"), _("Group"), _("Rate"), _("Monthly amount")]
    rows = [
        [index, line["name"], line["iin"], line["group_code"], str(RATE_LABELS[line["rate"]]), line["amount"]]
        for index, line in enumerate(data.get("awarded", []), start=1)
    ]
    return header, rows, int(data.get("total_amount", 0))


def scholarship_payment_export(*, by: Any, pk: int | str, file_format: str) -> tuple[bytes, str, str]:
    """The payment list of a registered order as CSV or XLSX: bytes, content type, file name; audited."""
    document = scholarship_order_get(user=by, pk=pk)
    if file_format not in FORMATS:
        raise RecordsError("bad_format", _("Unknown export format %(format)s."), format=file_format[:20])
    if document.state != State.REGISTERED:
        raise RecordsError(
            "order_not_registered",
            _("The payment list is exported only from a registered order; this one is %(state)s."),
            state=document.state,
        )
    header, rows, total = _payment_rows(document)
    total_row = ["", _("Total"), "", "", "", total]
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Payment list")[:31])
        for values in (header, *rows, total_row):
            sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        text = io.StringIO()
        csv.writer(text).writerows([header, *rows, total_row])
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
    audit_record(
        actor=by,
        action="scholarship.payment_export",
        document=document,
        changes={"format": file_format, "rows": len(rows), "total": total},
    )
    name = (document.registry_number or f"scholarship-{document.pk}").replace("/", "-")
    return content, FORMATS[file_format], f"{name}.{file_format}"

"""Every kind's transition table: who (role and scope) may take which transition in which state.

One table per kind (kinds with the same roles share one), walked through the public services on a real
document of that kind: drafted by its author, then at each state every row is checked before the
document moves on along its route (submit, approve, send for signing, the route's signatures). A row
is either allowed (offered by `available_transitions` and taken by `document_transition`, inside a
savepoint that is rolled back so the walk goes on from the same state) or refused with the reason's
code (`not_found`: the actor may not even see the document; `transition_not_allowed`: a wrong role,
scope or state; `not_your_step`: a signature out of the route's order), writing no audit event and
leaving the state as it was. Approvals other than the one on the path are checked as offered only
(each would render the PDF again).

A kind registered without a table here fails `test_every_kind_has_a_transition_table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.kinds.base import all_kinds, get_kind
from records.kinds.student_order import ORDER_SCHEMAS, kind_code
from records.lifecycle import State
from records.models import ApiToken, ArchiveTransfer, AuditEvent, Document, OrgUnit, Role
from records.services.document import (
    available_transitions,
    document_create,
    document_create_registered,
    document_transition,
)
from records.services.signature import document_sign
from records.services.transfer import transfer_act_data
from tests.factories import make_staff
from tests.records.api.conftest import TokenClient
from tests.records.drafts import CASES, Side

OK = "allowed"
HIDDEN = "not_found"
NO = "transition_not_allowed"
NOT_YOUR_STEP = "not_your_step"

DEAN, RECTOR, VICE_RECTOR, REGISTRAR = Role.DEAN, Role.RECTOR, Role.VICE_RECTOR, Role.REGISTRAR
HEAD, TEACHER, ARCHIVIST, AUDITOR = Role.HEAD_OF_DEPARTMENT, Role.TEACHER, Role.ARCHIVIST, Role.AUDITOR
ADMINISTRATOR, METHODOLOGIST, STUDENT = Role.ADMINISTRATOR, Role.METHODOLOGIST, Role.STUDENT
EXPERT = Role.EXPERT_COMMISSION
OTHER_DEAN, FACULTY_REGISTRAR = "other_dean", "faculty_registrar"

Row = tuple[str, str, str, str]  # (state, transition or "sign", actor, OK or the refusal's code)
TARGET = {
    "submit": State.REVIEW,
    "reject": State.DRAFT,
    "start_signing": State.SIGNING,
    "register": State.REGISTERED,
    "revoke": State.REVOKED,
    "supersede": State.SUPERSEDED,
    "archive": State.ARCHIVED,
}


def table(**states: dict[str, dict[str, str]]) -> list[Row]:
    """Rows from {state: {transition: {actor: outcome}}}."""
    return [
        (state, name, actor, outcome)
        for state, names in states.items()
        for name, actors in names.items()
        for actor, outcome in actors.items()
    ]


# The tail every kind shares once registered: revokers revoke and supersede, the archivist archives,
# nothing is disposed before it is archived and its retention ran out.
def registered(revokers: set[str], not_revokers: set[str]) -> dict[str, dict[str, str]]:
    return {
        "revoke": {**dict.fromkeys(revokers, OK), **dict.fromkeys(not_revokers, NO), STUDENT: HIDDEN},
        "supersede": {**dict.fromkeys(revokers, OK), **dict.fromkeys(not_revokers, NO)},
        "archive": {ARCHIVIST: OK, RECTOR: NO},
        "dispose": {ARCHIVIST: NO},
        "reject": {RECTOR: NO},
    }


INTERNAL_ORDER = table(
    draft={
        "submit": {DEAN: OK, RECTOR: OK, REGISTRAR: OK, AUDITOR: NO, HEAD: HIDDEN, TEACHER: HIDDEN},
        "approve": {RECTOR: NO},
        "start_signing": {REGISTRAR: NO},
    },
    review={
        "approve": {RECTOR: OK, REGISTRAR: OK, VICE_RECTOR: OK, DEAN: NO, AUDITOR: NO, OTHER_DEAN: HIDDEN},
        "reject": {RECTOR: OK, DEAN: NO, AUDITOR: NO, STUDENT: HIDDEN},  # four eyes: not the author
        "submit": {DEAN: NO},
    },
    approved={
        "start_signing": {REGISTRAR: OK, DEAN: OK, AUDITOR: NO, TEACHER: HIDDEN},
        "reject": {RECTOR: OK},
        "register": {REGISTRAR: NO},
    },
    signing={
        "register": {REGISTRAR: NO, RECTOR: NO},
        "reject": {RECTOR: OK, DEAN: NO, AUDITOR: NO},  # four eyes: the author is no signer here
        "sign": {DEAN: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
        "revoke": {RECTOR: NO},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, AUDITOR}),
)

ACADEMIC_POLICY = table(  # owned by the university
    draft={
        "submit": {REGISTRAR: OK, VICE_RECTOR: OK, RECTOR: NO, AUDITOR: NO, DEAN: HIDDEN, OTHER_DEAN: HIDDEN},
    },
    review={
        "approve": {RECTOR: OK, VICE_RECTOR: OK, REGISTRAR: NO, AUDITOR: NO, DEAN: HIDDEN},
        "reject": {RECTOR: OK, REGISTRAR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, VICE_RECTOR: OK, ARCHIVIST: NO, DEAN: HIDDEN}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, REGISTRAR: NO},
        "sign": {VICE_RECTOR: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR}, {REGISTRAR, VICE_RECTOR}),
)

STUDENT_ORDER = table(  # owned by the faculty, drafted by its dean
    draft={
        "submit": {
            DEAN: OK,
            REGISTRAR: OK,
            VICE_RECTOR: OK,
            RECTOR: NO,
            HEAD: HIDDEN,
            OTHER_DEAN: HIDDEN,
            STUDENT: HIDDEN,
        },
        "approve": {REGISTRAR: NO},
    },
    review={
        "approve": {REGISTRAR: OK, VICE_RECTOR: OK, DEAN: NO, RECTOR: NO, OTHER_DEAN: HIDDEN},
        "reject": {REGISTRAR: OK, DEAN: NO, RECTOR: NO},  # four eyes: not the author
    },
    approved={"start_signing": {REGISTRAR: OK, DEAN: OK, RECTOR: NO, AUDITOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, AUDITOR: NO},
        "sign": {REGISTRAR: NOT_YOUR_STEP, DEAN: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, VICE_RECTOR}),
)

GRADE_STATEMENT = table(  # owned by the department, drafted by the teacher; three signatures
    draft={
        "submit": {
            TEACHER: OK,
            HEAD: OK,
            REGISTRAR: OK,
            DEAN: NO,
            METHODOLOGIST: HIDDEN,
            OTHER_DEAN: HIDDEN,
            STUDENT: HIDDEN,
        },
    },
    review={
        "approve": {HEAD: OK, DEAN: OK, REGISTRAR: OK, TEACHER: NO, RECTOR: NO, OTHER_DEAN: HIDDEN},
        "reject": {DEAN: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, HEAD: OK, DEAN: OK, TEACHER: NO, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {TEACHER: OK, RECTOR: NO},
        "sign": {HEAD: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},  # the examiner signs first
    },
    registered=registered({REGISTRAR}, {RECTOR, HEAD}),
)

TRANSCRIPT = table(
    draft={
        "submit": {DEAN: OK, REGISTRAR: OK, RECTOR: NO, VICE_RECTOR: NO, HEAD: HIDDEN, OTHER_DEAN: HIDDEN}
    },
    review={
        "approve": {REGISTRAR: OK, DEAN: NO, RECTOR: NO, VICE_RECTOR: NO},
        "reject": {REGISTRAR: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, DEAN: OK, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {REGISTRAR: OK, DEAN: NO, RECTOR: NO},  # four eyes: the author is no signer here
        "sign": {DEAN: NOT_YOUR_STEP, RECTOR: NOT_YOUR_STEP},
    },
    registered=registered({REGISTRAR}, {RECTOR, DEAN}),
)

WORKING_CURRICULUM = table(  # owned by the department, drafted by its head, signed by the vice-rector
    draft={
        "submit": {
            HEAD: OK,
            DEAN: OK,
            REGISTRAR: OK,
            RECTOR: NO,
            METHODOLOGIST: HIDDEN,  # a creator role, but it sees only its own drafts
            TEACHER: HIDDEN,
            OTHER_DEAN: HIDDEN,
        },
    },
    review={
        "approve": {DEAN: OK, VICE_RECTOR: OK, HEAD: NO, REGISTRAR: NO, RECTOR: NO},
        "reject": {DEAN: OK, REGISTRAR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, VICE_RECTOR: OK, DEAN: OK, HEAD: NO, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {VICE_RECTOR: OK, RECTOR: NO},
        "sign": {RECTOR: NOT_YOUR_STEP, DEAN: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR, VICE_RECTOR}, {REGISTRAR, DEAN}),
)

FINAL_ATTESTATION_PROTOCOL = table(  # signed by the dean, then the registrar
    draft={"submit": {DEAN: OK, REGISTRAR: OK, RECTOR: NO, HEAD: HIDDEN, OTHER_DEAN: HIDDEN}},
    review={
        "approve": {REGISTRAR: OK, DEAN: NO, RECTOR: NO, VICE_RECTOR: NO},
        "reject": {REGISTRAR: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, DEAN: OK, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {DEAN: OK, REGISTRAR: OK, RECTOR: NO},
        "sign": {REGISTRAR: NOT_YOUR_STEP, RECTOR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, VICE_RECTOR}),
)

DIPLOMA = table(  # drafted by the faculty's registrar, signed by the dean, then the rector
    draft={
        "submit": {
            FACULTY_REGISTRAR: OK,
            REGISTRAR: OK,
            ADMINISTRATOR: OK,
            DEAN: NO,
            RECTOR: NO,
            OTHER_DEAN: HIDDEN,
        },
    },
    review={
        "approve": {DEAN: OK, REGISTRAR: OK, FACULTY_REGISTRAR: NO, RECTOR: NO, ADMINISTRATOR: NO},
        "reject": {DEAN: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, DEAN: OK, RECTOR: NO, ADMINISTRATOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, ADMINISTRATOR: NO},
        "sign": {RECTOR: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},  # the dean signs first
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, ADMINISTRATOR}),
)

STUDENT_CERTIFICATE = table(  # no signing route: the registrar registers it
    draft={"submit": {FACULTY_REGISTRAR: OK, REGISTRAR: OK, DEAN: NO, RECTOR: NO, STUDENT: HIDDEN}},
    review={
        "approve": {REGISTRAR: OK, FACULTY_REGISTRAR: NO, DEAN: NO, RECTOR: NO},
        "reject": {REGISTRAR: OK, DEAN: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, FACULTY_REGISTRAR: OK, DEAN: NO}},
    signing={
        "register": {REGISTRAR: OK, RECTOR: NO, DEAN: NO},
        "reject": {REGISTRAR: OK, RECTOR: NO},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, VICE_RECTOR}),
)

SCHOLARSHIP_ORDER = table(  # a faculty's order, drafted by its registrar, signed by the rector
    draft={
        "submit": {FACULTY_REGISTRAR: OK, REGISTRAR: OK, DEAN: NO, VICE_RECTOR: NO, OTHER_DEAN: HIDDEN},
    },
    review={
        "approve": {DEAN: OK, REGISTRAR: OK, VICE_RECTOR: OK, FACULTY_REGISTRAR: NO, RECTOR: NO},
        "reject": {DEAN: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, DEAN: OK, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, AUDITOR: NO},
        "sign": {DEAN: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, VICE_RECTOR}),
)

REPORT = table(  # a report of the university or a unit: the registrar's office or the vice-rector drafts,
    # the other approves (four eyes), the rector signs
    draft={
        "submit": {FACULTY_REGISTRAR: OK, REGISTRAR: OK, VICE_RECTOR: OK, DEAN: NO, OTHER_DEAN: HIDDEN},
    },
    review={
        "approve": {REGISTRAR: OK, VICE_RECTOR: OK, FACULTY_REGISTRAR: NO, DEAN: NO, RECTOR: NO},
        "reject": {REGISTRAR: OK, DEAN: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, VICE_RECTOR: OK, DEAN: NO, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, AUDITOR: NO},
        "sign": {DEAN: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR, REGISTRAR}, {DEAN, VICE_RECTOR}),
)

TRANSFER_ACT = table(  # owned by the university: the archivist drafts and signs, the rector signs
    draft={
        "submit": {ARCHIVIST: OK, RECTOR: NO, AUDITOR: NO, DEAN: HIDDEN, TEACHER: HIDDEN},
        "approve": {RECTOR: NO},
    },
    review={
        "approve": {RECTOR: OK, VICE_RECTOR: OK, ARCHIVIST: NO, REGISTRAR: NO, DEAN: HIDDEN},
        "reject": {RECTOR: OK, ARCHIVIST: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, RECTOR: OK, ARCHIVIST: NO, DEAN: HIDDEN}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, ARCHIVIST: OK, REGISTRAR: NO},
        "sign": {RECTOR: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR}, {REGISTRAR, ARCHIVIST}),
)


def _transfer_act(actors: dict[str, Any], org: Any) -> dict[str, Any]:
    """A finished bag of one registered internal order, and the act that describes it (keeping bytes)."""
    order = document_create_registered(
        by=actors[REGISTRAR], kind="internal_order", org_unit=org.faculty, title="Приказ", data=dict(ORDER)
    )
    transfer = ArchiveTransfer.objects.create(
        identifier="TR-2026-09999",
        state=ArchiveTransfer.State.DONE,
        document_ids=[order.pk],
        record_count=1,
        payload_oxum="2048.7",
        manifest_sha256="a" * 64,
    )
    return transfer_act_data(transfer=transfer, archive="Центральный государственный архив")


FILE_PLAN = table(  # owned by the university, drafted by the archivist, agreed by the expert commission
    draft={"submit": {ARCHIVIST: OK, RECTOR: NO, REGISTRAR: NO, DEAN: HIDDEN}, "approve": {EXPERT: NO}},
    review={
        "approve": {EXPERT: OK, RECTOR: NO, ARCHIVIST: NO, DEAN: HIDDEN},
        "reject": {EXPERT: OK, REGISTRAR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, EXPERT: OK, ARCHIVIST: NO, DEAN: HIDDEN}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, EXPERT: OK, AUDITOR: NO},
        "sign": {RECTOR: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({RECTOR}, {REGISTRAR, ARCHIVIST}),
)

DISPOSITION_ACT = table(  # signed by the archivist, the commission and the rector; never revoked
    draft={"submit": {ARCHIVIST: OK, RECTOR: NO, AUDITOR: NO, DEAN: HIDDEN}},
    review={"approve": {EXPERT: OK, RECTOR: NO, ARCHIVIST: NO}, "reject": {EXPERT: OK, AUDITOR: NO}},
    approved={"start_signing": {REGISTRAR: OK, EXPERT: OK, ARCHIVIST: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {RECTOR: OK, ARCHIVIST: OK, AUDITOR: NO},
        "sign": {RECTOR: NOT_YOUR_STEP, EXPERT: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered(set(), {RECTOR, REGISTRAR}),
)


def _disposition_data(actors: dict[str, Any], org: Any) -> dict[str, Any]:
    """An act listing a record whose retention ran out (filed by a plan in force since 2000)."""
    from tests.records.archive.conftest import make_due, register_plan, series

    register_plan(actors, org, "2000-01-01", [series("01-05", ["internal_order"])])
    record = document_create_registered(
        by=actors[RECTOR], kind="internal_order", org_unit=org.university, title="Приказ", data=dict(ORDER)
    )
    return {"records": [make_due(record).registry_number], "basis": "Истёк срок хранения"}


LOAD = table(  # a department's calculation or distribution: drafted by its head, approved by the
    # academic affairs office (vice-rector or registrar), signed by the head, then the vice-rector
    draft={
        "submit": {
            HEAD: OK,
            VICE_RECTOR: OK,
            REGISTRAR: NO,
            DEAN: NO,
            RECTOR: NO,
            TEACHER: HIDDEN,
            OTHER_DEAN: HIDDEN,
        },
    },
    review={
        "approve": {VICE_RECTOR: OK, REGISTRAR: OK, HEAD: NO, DEAN: NO, RECTOR: NO, OTHER_DEAN: HIDDEN},
        "reject": {VICE_RECTOR: OK, DEAN: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, VICE_RECTOR: OK, HEAD: NO, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {VICE_RECTOR: OK, AUDITOR: NO},
        "sign": {VICE_RECTOR: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},  # the head signs first
    },
    registered=registered({RECTOR, VICE_RECTOR}, {REGISTRAR, HEAD}),
)

TEACHER_PLAN = table(  # a teacher's individual plan: drafted by the teacher, approved and signed by the head
    draft={
        "submit": {TEACHER: OK, HEAD: OK, DEAN: NO, RECTOR: NO, OTHER_DEAN: HIDDEN, STUDENT: HIDDEN},
    },
    review={
        "approve": {HEAD: OK, TEACHER: NO, DEAN: NO, VICE_RECTOR: NO, OTHER_DEAN: HIDDEN},
        "reject": {HEAD: OK, RECTOR: NO},
    },
    approved={"start_signing": {REGISTRAR: OK, HEAD: OK, TEACHER: NO, RECTOR: NO}},
    signing={
        "register": {REGISTRAR: NO},
        "reject": {HEAD: OK, RECTOR: NO},
        "sign": {TEACHER: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
    },
    registered=registered({HEAD, VICE_RECTOR}, {RECTOR, TEACHER}),
)

EXECUTION_REPORT = (
    table(  # the semester execution: drafted by the head, approved by the dean, signed by the head
        draft={
            "submit": {HEAD: OK, VICE_RECTOR: OK, DEAN: NO, RECTOR: NO, TEACHER: HIDDEN, OTHER_DEAN: HIDDEN},
        },
        review={
            "approve": {DEAN: OK, VICE_RECTOR: OK, HEAD: NO, REGISTRAR: NO, RECTOR: NO, OTHER_DEAN: HIDDEN},
            "reject": {DEAN: OK, RECTOR: NO},
        },
        approved={"start_signing": {REGISTRAR: OK, DEAN: OK, HEAD: NO, RECTOR: NO}},
        signing={
            "register": {REGISTRAR: NO},
            "reject": {HEAD: OK, RECTOR: NO},
            "sign": {DEAN: NOT_YOUR_STEP, REGISTRAR: NOT_YOUR_STEP},
        },
        registered=registered({RECTOR, VICE_RECTOR}, {REGISTRAR, HEAD}),
    )
)


@dataclass(frozen=True)
class Walk:
    """How a kind's document is drafted (by whom, for which unit, with which data) and approved."""

    author: str
    approver: str
    unit: Callable[[Any], OrgUnit]
    data: Callable[[dict[str, Any], Any], dict[str, Any]]
    rows: list[Row]


def _case_data(kind: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The valid data of the subject-scope cases, for a subject inside the actors' own faculty."""

    def make(actors: dict[str, Any], org: Any) -> dict[str, Any]:
        return CASES[kind].data(actors, Side(org.group, org.faculty), org)[0]

    return make


def _faculty(org: Any) -> OrgUnit:
    return org.faculty


def _department(org: Any) -> OrgUnit:
    return org.department


def _university(org: Any) -> OrgUnit:
    return org.university


ORDER = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}
WALKS: dict[str, Walk] = {
    "internal_order": Walk(DEAN, RECTOR, _faculty, lambda a, o: dict(ORDER), INTERNAL_ORDER),
    "academic_policy": Walk(
        REGISTRAR,
        RECTOR,
        _university,
        lambda a, o: dict(get_kind("academic_policy").sample_data),
        ACADEMIC_POLICY,
    ),
    **{
        kind_code(order_type): Walk(
            DEAN, REGISTRAR, _faculty, _case_data(kind_code(order_type)), STUDENT_ORDER
        )
        for order_type in ORDER_SCHEMAS
    },
    "grade_statement": Walk(TEACHER, HEAD, _department, _case_data("grade_statement"), GRADE_STATEMENT),
    # Rating statements (РК1/РК2) have the route and roles of exam statements.
    "rating_statement": Walk(TEACHER, HEAD, _department, _case_data("rating_statement"), GRADE_STATEMENT),
    "coursework_statement": Walk(
        TEACHER, HEAD, _department, _case_data("coursework_statement"), GRADE_STATEMENT
    ),
    "practice_statement": Walk(TEACHER, HEAD, _department, _case_data("practice_statement"), GRADE_STATEMENT),
    "transcript": Walk(DEAN, REGISTRAR, _faculty, _case_data("transcript"), TRANSCRIPT),
    "working_curriculum": Walk(HEAD, DEAN, _department, _case_data("working_curriculum"), WORKING_CURRICULUM),
    "final_attestation_protocol": Walk(
        DEAN, REGISTRAR, _faculty, _case_data("final_attestation_protocol"), FINAL_ATTESTATION_PROTOCOL
    ),
    "diploma": Walk(FACULTY_REGISTRAR, DEAN, _faculty, _case_data("diploma"), DIPLOMA),
    "diploma_supplement": Walk(FACULTY_REGISTRAR, DEAN, _faculty, _case_data("diploma_supplement"), DIPLOMA),
    "student_certificate": Walk(
        FACULTY_REGISTRAR, REGISTRAR, _faculty, _case_data("student_certificate"), STUDENT_CERTIFICATE
    ),
    "scholarship_order": Walk(
        FACULTY_REGISTRAR, DEAN, _faculty, _case_data("scholarship_order"), SCHOLARSHIP_ORDER
    ),
    "file_plan": Walk(
        ARCHIVIST, EXPERT, _university, lambda a, o: dict(get_kind("file_plan").sample_data), FILE_PLAN
    ),
    "disposition_act": Walk(ARCHIVIST, EXPERT, _university, _disposition_data, DISPOSITION_ACT),
    **{
        code: Walk(FACULTY_REGISTRAR, REGISTRAR, _faculty, _case_data(code), REPORT)
        for code in (
            "report_contingent",
            "report_movement",
            "report_session_results",
            "report_graduates",
            "report_teaching_load",
        )
    },
    "transfer_act": Walk(ARCHIVIST, RECTOR, _university, _transfer_act, TRANSFER_ACT),
    "load_norms": Walk(
        REGISTRAR, RECTOR, _university, lambda a, o: dict(get_kind("load_norms").sample_data), ACADEMIC_POLICY
    ),
    "load_calculation": Walk(HEAD, VICE_RECTOR, _department, _case_data("load_calculation"), LOAD),
    "load_distribution": Walk(HEAD, VICE_RECTOR, _department, _case_data("load_distribution"), LOAD),
    "teacher_plan": Walk(TEACHER, HEAD, _department, _case_data("teacher_plan"), TEACHER_PLAN),
    "load_execution_report": Walk(
        HEAD, DEAN, _department, _case_data("load_execution_report"), EXECUTION_REPORT
    ),
}
PATH = [State.DRAFT, State.REVIEW, State.APPROVED, State.SIGNING, State.REGISTERED]


def test_every_kind_has_a_transition_table() -> None:
    """A new kind is not registered without saying who may move its documents."""
    assert set(WALKS) == {kind.code for kind in all_kinds()}
    for code, walk in WALKS.items():
        assert {row[0] for row in walk.rows} == set(PATH), code
        assert all(row[3] in (OK, HIDDEN, NO, NOT_YOUR_STEP) for row in walk.rows), code


@pytest.fixture
def actors(staff: dict[str, Any], org: Any) -> dict[str, Any]:
    """The users of `staff` and a registrar of the faculty only (to draft what the registrar approves)."""
    result = dict(staff)
    result[FACULTY_REGISTRAR] = make_staff(FACULTY_REGISTRAR, Role.REGISTRAR, org.faculty)
    return result


def _check_allowed(document: Document, user: Any, name: str) -> None:
    assert name in available_transitions(document, user)
    if name == "approve":
        return  # offered; taking it would render the PDF once more (the path approves for real)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        moved = document_transition(document=document, by=user, name=name, reason="причина")
        assert moved.state == TARGET[name]
        actions = list(AuditEvent.objects.filter(id__gt=last).order_by("id").values_list("action", flat=True))
        assert actions == [f"document.{name}"]
        transaction.set_rollback(True)  # back to the state the walk is in


def _check_refused(document: Document, user: Any, name: str, code: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as refused:
        if name == "sign":
            document_sign(document=document, by=user, passphrase="not needed: the step is checked first")
        else:
            assert name not in available_transitions(document, user)
            document_transition(document=document, by=user, name=name, reason="причина")
    assert refused.value.code == code, refused.value.message
    assert refused.value.message.strip()
    assert AuditEvent.objects.count() == before
    assert Document.objects.get(pk=document.pk).state == document.state


def _advance(document: Document, actors: dict[str, Any], walk: Walk) -> Document:
    """The next step of the route: submit, approve, send for signing, sign by every step (or register)."""
    state = document.state
    if state == State.DRAFT:
        return document_transition(document=document, by=actors[walk.author], name="submit")
    if state == State.REVIEW:
        return document_transition(document=document, by=actors[walk.approver], name="approve")
    if state == State.APPROVED:
        return document_transition(document=document, by=actors[REGISTRAR], name="start_signing")
    route = get_kind(document.kind).signing_route
    if not route:
        return document_transition(document=document, by=actors[REGISTRAR], name="register")
    bootstrap_pki(usernames={actors[step.role].username for step in route})
    for step in route:
        signer = actors[step.role]
        document_sign(document=document, by=signer, passphrase=demo_passphrase(signer.username))
    document.refresh_from_db()
    return document


def _api_spot_check(document: Document, actors: dict[str, Any], walk: Walk) -> None:
    """Through the API in review: the approver is offered "approve"; the author is refused it (four eyes)."""
    clients = {}
    for who in (walk.author, walk.approver):
        _token, key = ApiToken.issue(user=actors[who], name=f"table {who}")
        clients[who] = TokenClient(key)
    url = f"/api/v1/documents/{document.pk}/transitions"
    offered = [t["name"] for t in clients[walk.approver].get(url).json()]
    assert "approve" in offered
    assert "approve" not in [t["name"] for t in clients[walk.author].get(url).json()]
    before = AuditEvent.objects.count()
    response = clients[walk.author].post(f"{url}/approve")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == NO
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("kind", sorted(WALKS))
def test_transition_table(actors: dict[str, Any], org: Any, kind: str) -> None:
    """Each row of the kind's table, at its state, on the way from draft to registered."""
    walk = WALKS[kind]
    document = document_create(
        by=actors[walk.author], kind=kind, org_unit=walk.unit(org), title=kind, data=walk.data(actors, org)
    )
    for state in PATH:
        assert document.state == state
        for row_state, name, actor, outcome in walk.rows:
            if row_state != state:
                continue
            if outcome == OK:
                _check_allowed(document, actors[actor], name)
            else:
                _check_refused(document, actors[actor], name, outcome)
        if state == State.REVIEW:
            _api_spot_check(document, actors, walk)
        if state != State.REGISTERED:
            document = _advance(document, actors, walk)

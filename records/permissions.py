"""Roles, scopes and the one permission policy of the registry.

Two questions are answered here and nowhere else: "may user U take action A on document D"
(`may`) and "which documents may U see" (`visible_documents_q`). Selectors, views, the API,
search and exports all go through them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q
from django.utils.translation import gettext as _

from records.actors import is_system
from records.errors import RecordsError
from records.kinds.base import DocumentKind, all_kinds, get_kind
from records.lifecycle import State
from records.models import (
    Document,
    OrgUnit,
    Person,
    Programme,
    Role,
    RoleAssignment,
    StudyGroup,
)
from records.models.academic import Student
from records.subjects import SubjectRef

SYSTEM_TRAIL_ROLES = frozenset({Role.AUDITOR, Role.ADMINISTRATOR, Role.RECTOR})
# Roles whose scope shows every document under their unit.
READ_ALL_ROLES = {
    Role.RECTOR,
    Role.VICE_RECTOR,
    Role.DEAN,
    Role.HEAD_OF_DEPARTMENT,
    Role.REGISTRAR,
    Role.ARCHIVIST,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
    Role.EXPERT_COMMISSION,  # reviews what the archive keeps and destroys
}
# A student sees only documents about themselves that have been issued.
ISSUED_STATES = [State.REGISTERED, State.REVOKED, State.SUPERSEDED, State.ARCHIVED]
STAFF_ROLES = set(Role) - {Role.STUDENT}


@dataclass(frozen=True)
class Grant:
    """One role of a user with the path of its scope."""

    role: str
    path: str
    org_unit_id: int


def grants(user: Any) -> list[Grant]:
    """The user's roles with scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_rectorate_grants", None)
    if cached is None:
        cached = [
            Grant(role=r.role, path=r.org_unit.path, org_unit_id=r.org_unit_id)
            for r in RoleAssignment.objects.filter(person__user=user).select_related("org_unit")
        ]
        user._rectorate_grants = cached
    return cached


def person_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_rectorate_person_id", "unset")
    if cached == "unset":
        cached = Person.objects.filter(user=user).values_list("id", flat=True).first()
        user._rectorate_person_id = cached
    return cached  # type: ignore[return-value]


def has_role(user: Any, roles: Any, org_path: str | None = None) -> bool:
    """True when the user holds one of `roles` with a scope covering `org_path` (any scope when None)."""
    return any(g.role in roles and (org_path is None or org_path.startswith(g.path)) for g in grants(user))


def is_staff_user(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, STAFF_ROLES)


def under_path_q(path: str, field: str = "org_path") -> Q:
    """Documents whose org path starts with `path` ("/1/5/"), as an index-friendly range.

    Paths hold digits and "/" only, and "/" sorts just below "0": every path that starts with
    "/1/5/" lies in ["/1/5/", "/1/50").
    """
    if path.count("/") <= 2:  # the university itself: every document (every path starts with "/")
        return Q(**{f"{field}__gte": "/"})
    return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})


def visible_documents_q(user: Any) -> Q:
    """A filter selecting exactly the documents `user` may see. Never widen it elsewhere."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(created_by=user)
    paths = sorted({g.path for g in grants(user) if g.role in READ_ALL_ROLES})
    for path in paths:
        if path.count("/") <= 2:
            return Q()  # a university-wide role sees every document: no filter to evaluate
        q |= under_path_q(path)
    if any(g.role == Role.STUDENT for g in grants(user)):
        pid = person_id(user)
        if pid is not None:
            q |= Q(subject_id=pid, state__in=ISSUED_STATES)
    return q


def may_see(user: Any, document: Document) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if document.created_by_id == user.pk:
        return True
    if has_role(user, READ_ALL_ROLES, document.org_path):
        return True
    return (
        has_role(user, {Role.STUDENT})
        and document.subject_id is not None
        and document.subject_id == person_id(user)
        and document.state in ISSUED_STATES
    )


def may_create(user: Any, kind_code: str, org_unit: OrgUnit) -> bool:
    """May the user draft a document of this kind owned by this unit."""
    return has_role(user, get_kind(kind_code).creator_roles, org_unit.path)


def may(user: Any, action: str, document: Document) -> bool:
    """The policy: may `user` take `action` on `document`."""
    if not may_see(user, document):
        return False
    if action == "view":
        return True
    kind = get_kind(document.kind)
    path = document.org_path
    is_author = document.created_by_id == user.pk
    if action in ("edit", "submit"):
        return document.state == State.DRAFT and (is_author or has_role(user, kind.creator_roles, path))
    if action == "approve":
        return has_role(user, kind.approver_roles, path) and not is_author  # four eyes
    if action == "reject":
        # Four eyes for rejection too: an approver does not judge their own document (a signer of the
        # route may still refuse to sign it).
        if document.state == State.SIGNING and has_role(user, {s.role for s in kind.signing_route}, path):
            return True
        return has_role(user, kind.approver_roles, path) and not is_author
    if action == "start_signing":
        return has_role(user, kind.approver_roles | {Role.REGISTRAR}, path)
    if action == "sign":
        return has_role(user, {s.role for s in kind.signing_route}, path)
    if action == "register":
        return has_role(user, {Role.REGISTRAR}, path) or has_role(
            user, {s.role for s in kind.signing_route}, path
        )
    if action in ("revoke", "supersede"):
        return has_role(user, kind.revoker_roles, path)
    if action in ("archive", "dispose"):
        return has_role(user, {Role.ARCHIVIST}, path)
    if action == "audit":
        # Staff with scope, and a staff author; a student never reads the trail of their own
        # documents (it shows who looked at them), even of a certificate they requested themselves.
        return has_role(user, READ_ALL_ROLES, path) or (is_author and has_role(user, STAFF_ROLES))
    if action in ("export", "verify_report"):
        return has_role(user, READ_ALL_ROLES, path)
    return False


# --- Authority follows the subject (DESIGN law 9) ------------------------------------------------

# IINs resolved per query (SQLite's limit of bound variables is far above this).
_CHUNK = 5000


@dataclass(frozen=True)
class Subject:
    """A named subject with the org unit it belongs to (`home` None: not attached to any unit yet)."""

    ref: SubjectRef
    label: str
    home: OrgUnit | None


def _chunks(keys: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


def _student_home(person: Any, record: Any) -> OrgUnit | None:
    """A student belongs to the department of their group's programme (the projection first)."""
    for group, programme in (
        (getattr(record, "group", None), getattr(record, "programme", None)),
        (person.group, None),
    ):
        if group is not None:
            return group.programme.department
        if programme is not None:
            return programme.department
    return None


def resolve_subjects(refs: Iterable[SubjectRef]) -> list[Subject]:
    """The subjects behind `refs` with their home units, in the order named; unknown keys are left
    out (the kind's own validation names them)."""
    wanted: dict[str, list[str]] = {"student": [], "group": [], "programme": [], "unit": []}
    ordered: list[SubjectRef] = []
    for ref in dict.fromkeys(refs):
        wanted[ref.what].append(ref.key)
        ordered.append(ref)
    found: dict[SubjectRef, Subject] = {}
    for keys in _chunks(wanted["student"]):
        people = Person.objects.filter(iin__in=keys, kind=Person.Kind.STUDENT).select_related(
            "group__programme__department"
        )
        records = {
            record.person_id: record
            for record in Student.objects.filter(person__in=people).select_related(
                "group__programme__department", "programme__department"
            )
        }
        for person in people:
            ref = SubjectRef("student", person.iin)
            label = _("student %(name)s") % {"name": person.full_name()}
            found[ref] = Subject(ref, label, _student_home(person, records.get(person.pk)))
    for group in StudyGroup.objects.filter(code__in=wanted["group"]).select_related("programme__department"):
        ref = SubjectRef("group", group.code)
        found[ref] = Subject(ref, _("group %(code)s") % {"code": group.code}, group.programme.department)
    for programme in Programme.objects.filter(code__in=wanted["programme"]).select_related("department"):
        ref = SubjectRef("programme", programme.code)
        label = _("programme %(code)s") % {"code": programme.code}
        found[ref] = Subject(ref, label, programme.department)
    for unit in OrgUnit.objects.filter(code__in=wanted["unit"]):
        ref = SubjectRef("unit", unit.code)
        found[ref] = Subject(ref, _("unit %(name)s") % {"name": unit.name}, unit)
    return [found[ref] for ref in ordered if ref in found]


def document_subjects(kind: DocumentKind, data: dict[str, Any]) -> list[Subject]:
    """Every student, group, programme and unit that a document of `kind` with `data` names."""
    return resolve_subjects(kind.subjects(data)) if kind.subjects is not None else []


def _self_service_refusal(requester: Any, kind: DocumentKind, data: dict[str, Any]) -> RecordsError | None:
    """The system carrying out a person's own request (a student's certificate) may name only that
    person and what belongs to their own unit (their group and programme); the system on its own
    (a batch already checked by the registrar who started it) is not checked."""
    person = getattr(requester, "person", None) if requester is not None else None
    if person is None:
        return None
    subjects = document_subjects(kind, data)
    own = next((s for s in subjects if s.ref == SubjectRef("student", person.iin)), None)
    for subject in subjects:
        if subject is own:
            continue
        if own is None or subject.ref.what == "student" or subject.home != own.home:
            return RecordsError(
                "subject_not_yours",
                _(
                    "%(subject)s is not yours: a request may name only yourself, your group and your programme."
                ),
                subject=subject.label,
            )
    return None


def subjects_refusal(
    user: Any,
    *,
    kind: DocumentKind,
    org_unit: OrgUnit,
    data: dict[str, Any],
    step: Literal["draft", "approve"],
) -> RecordsError | None:
    """Why `user` may not draft (or approve) this document because of whom it names, or None.

    Each named subject must lie within the scope of one of the user's roles for the step (creator
    roles to draft, approver roles to approve) and within the unit that owns the document, so the
    subject's own dean, head and registrar see and answer for it. The system actor (None) is not
    checked. Subjects not attached to any unit yet (a person before enrollment) constrain nothing:
    the order also names the group and programme it enrolls them in.
    """
    if user is None:
        return None
    if is_system(user):
        return _self_service_refusal(user.for_user, kind, data)
    roles = kind.creator_roles if step == "draft" else kind.approver_roles
    for subject in document_subjects(kind, data):
        if subject.home is None:
            continue
        path = subject.home.path
        if not has_role(user, roles, path):
            message = (
                _("%(subject)s (%(home)s) is outside your scope: you may not draft this document.")
                if step == "draft"
                else _("%(subject)s (%(home)s) is outside your scope: you may not approve this document.")
            )
            return RecordsError(
                "subject_out_of_scope", message, subject=subject.label, home=subject.home.name
            )
        if not path.startswith(org_unit.path):
            return RecordsError(
                "subject_outside_unit",
                _("%(subject)s (%(home)s) is outside %(unit)s, the unit that owns this document."),
                subject=subject.label,
                home=subject.home.name,
                unit=org_unit.name,
            )
    return None


def may_name_subjects(
    user: Any,
    *,
    kind: DocumentKind,
    org_unit: OrgUnit,
    data: dict[str, Any],
    step: Literal["draft", "approve"],
) -> bool:
    """May `user` draft (or approve) a document of `kind` owned by `org_unit` naming whom `data` names."""
    return subjects_refusal(user, kind=kind, org_unit=org_unit, data=data, step=step) is None


TEMPLATE_MANAGER_ROLES = frozenset({Role.ADMINISTRATOR, Role.REGISTRAR, Role.METHODOLOGIST})


def may_manage_templates(user: Any) -> bool:
    """Methodologists, administrators and registrars (any scope) and superusers manage templates."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, TEMPLATE_MANAGER_ROLES)


def require_template_manager(user: Any) -> None:
    if not may_manage_templates(user):
        raise RecordsError(
            "forbidden", _("Only methodologists, administrators and registrars may manage templates.")
        )


def may_draft_some_kind(user: Any) -> bool:
    """True when the user holds a role that drafts some kind (a cheap check from the cached grants),
    exactly when the kind chooser would offer something."""
    return any(has_role(user, kind.creator_roles) for kind in all_kinds())


def may_see_ltv(user: Any) -> bool:
    """The archive's LTV status is for auditors (and superusers)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, {Role.AUDITOR})


def may_read_system_trail(user: Any) -> bool:
    """The system-wide audit trail: auditors, administrators and the rector (and superusers)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, SYSTEM_TRAIL_ROLES)


# Diplomas: who issues them (batches, reissue, spoiled blanks) and who sees cohorts and the book.
DIPLOMA_ISSUER_ROLES = {Role.REGISTRAR, Role.ADMINISTRATOR}


DIPLOMA_VIEWER_ROLES = {Role.REGISTRAR, Role.ADMINISTRATOR, Role.DEAN, Role.RECTOR, Role.VICE_RECTOR}


def may_issue_diplomas(user: Any) -> bool:
    """Start batches, reissue, mark blanks spoiled: the registrar and administrators."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, DIPLOMA_ISSUER_ROLES)


def may_see_diplomas(user: Any) -> bool:
    """See cohorts, previews, batches and the book: issuers, deans and the rectorate."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, DIPLOMA_VIEWER_ROLES)


# Who works with scholarship orders: the registrar prepares them, deans see their faculty's, the
# rector and vice-rector sign and oversee. Everyone else is refused outright (403).
SCHOLARSHIP_ROLES = frozenset({Role.REGISTRAR, Role.DEAN, Role.RECTOR, Role.VICE_RECTOR})


def may_work_with_scholarship(user: Any) -> bool:
    """Scholarship lists and orders: the registrar's office, deans and the rectorate (and superusers)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, SCHOLARSHIP_ROLES)


def may_draft_grade_statements(user: Any) -> bool:
    """Staff who may draft grade statements somewhere (the statement editor's sidebar item)."""
    return is_staff_user(user) and has_role(user, get_kind("grade_statement").creator_roles)


def holds_a_signing_role(user: Any) -> bool:
    """Staff who hold a role of some kind's signing route (the "To sign" page)."""
    return is_staff_user(user) and has_role(
        user, {step.role for kind in all_kinds() for step in kind.signing_route}
    )


def may_open_diplomas(user: Any) -> bool:
    """Staff who see diplomas (the diploma area's sidebar item)."""
    return is_staff_user(user) and may_see_diplomas(user)


def may_open_scholarship(user: Any) -> bool:
    """Staff who work with scholarship orders (the scholarship area's sidebar item)."""
    return is_staff_user(user) and may_work_with_scholarship(user)


# Who opens the leadership monitoring (issue 17), each within the scope of their role.
MONITORING_ROLES = frozenset(
    {Role.RECTOR, Role.VICE_RECTOR, Role.DEAN, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR}
)


def may_monitor(user: Any) -> bool:
    """May the user open the monitoring pages (a leadership role, or a superuser)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, MONITORING_ROLES)


def monitoring_paths(user: Any) -> list[str] | None:
    """The org paths whose students and results the user's monitoring covers; None for the whole
    university (a university-wide role or a superuser), [] for none."""
    if getattr(user, "is_superuser", False):
        return None
    paths = sorted({g.path for g in grants(user) if g.role in MONITORING_ROLES})
    if any(path.count("/") <= 2 for path in paths):
        return None
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def may_open_monitoring(user: Any) -> bool:
    """Staff in a leadership role (the monitoring's sidebar item)."""
    return is_staff_user(user) and may_monitor(user)


def may_prepare_reports(user: Any) -> bool:
    """May the user draft the university's reports (the report kinds' drafting rule at the root unit)."""
    root = OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIVERSITY).order_by("path").first()
    return root is not None and may_create(user, "report_contingent", root)


# --- Records management (file plan, holds, disposition) ------------------------------------------

HOLD_ROLES = frozenset({Role.ARCHIVIST, Role.RECTOR, Role.AUDITOR})


def may_manage_files(user: Any, document: Document) -> bool:
    """Re-filing, reviewing and marking for transfer: the archivist with scope over the document."""
    return may_see(user, document) and has_role(user, {Role.ARCHIVIST}, document.org_path)


def may_place_hold(user: Any, kind: str, org_path: str | None) -> bool:
    """Holds: the archivist and the rector place legal and audit holds; the auditor places audit holds.

    A hold on a document needs the role's scope over it (`org_path`); a hold on a series, a student or
    a query reaches across units, so it needs the role university-wide (`org_path` None).
    """
    roles = {Role.ARCHIVIST, Role.RECTOR} | ({Role.AUDITOR} if kind == "audit" else set())
    if org_path is None:
        return any(g.role in roles and g.path.count("/") <= 2 for g in grants(user))
    return has_role(user, roles, org_path)


def may_lift_hold(user: Any, hold: Any) -> bool:
    """Lifting: who may place such a hold over its scope (an auditor only the audit holds)."""
    path = hold.document.org_path if hold.scope == "document" and hold.document is not None else None
    return may_place_hold(user, hold.kind, path)


def may_draft_disposition(user: Any) -> bool:
    """The due list's actions (an act, a review, a transfer mark): the archivist."""
    return has_role(user, {Role.ARCHIVIST})


# --- Transfers to the archive ---------------------------------------------------------------------

TRANSFER_ROLES = frozenset({Role.ARCHIVIST})


def may_transfer(user: Any) -> bool:
    """Exporting bags, downloading them and seeing the fixity results: archivists (and superusers)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, TRANSFER_ROLES)


# Who opens the teaching load (issue 16), each within their scope: the head their department, the dean
# their faculty, the academic affairs office (vice-rector, registrar) and the rector the university.
TEACHING_LOAD_ROLES = MONITORING_ROLES


def may_see_teaching_load(user: Any) -> bool:
    """May the user open the teaching-load pages."""
    return is_staff_user(user) and (
        bool(getattr(user, "is_superuser", False)) or has_role(user, TEACHING_LOAD_ROLES)
    )


def teaching_load_covers(user: Any, unit: OrgUnit) -> bool:
    """Does the user's teaching-load scope cover `unit` (a department)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, TEACHING_LOAD_ROLES, unit.path)


def may_edit_staff_positions(user: Any, unit: OrgUnit) -> bool:
    """The head of the department, the vice-rector or an administrator over it edits its staff list."""
    return bool(getattr(user, "is_superuser", False)) or has_role(
        user, {Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR, Role.ADMINISTRATOR}, unit.path
    )


# The electronic journal (records.journal): the teacher keeps their own; the head of department and
# the dean (and the registrar, rector, vice-rector) read the journals of their unit.
JOURNAL_READER_ROLES = frozenset(
    {Role.HEAD_OF_DEPARTMENT, Role.DEAN, Role.REGISTRAR, Role.RECTOR, Role.VICE_RECTOR}
)
JOURNAL_KEEPER_ROLES = frozenset({Role.TEACHER, Role.HEAD_OF_DEPARTMENT})


def journals_q(user: Any) -> Q:
    """A filter selecting exactly the journals `user` may read."""
    if getattr(user, "is_superuser", False):
        return Q()
    q = Q(pk__in=[])
    pid = person_id(user)
    if pid is not None:
        q |= Q(teacher_id=pid)
    for path in sorted({g.path for g in grants(user) if g.role in JOURNAL_READER_ROLES}):
        q |= under_path_q(path)
    return q


def may_keep_journal(user: Any, journal: Any) -> bool:
    """Only the journal's teacher writes in it, while they teach in its department."""
    pid = person_id(user)
    return (
        pid is not None
        and pid == journal.teacher_id
        and has_role(user, JOURNAL_KEEPER_ROLES, journal.org_path)
    )


def may_open_journal(user: Any, department: OrgUnit) -> bool:
    """A teacher (or head) of the department opens journals for the disciplines they teach there."""
    return has_role(user, JOURNAL_KEEPER_ROLES, department.path)


def may_use_journals(user: Any) -> bool:
    """Staff who keep or read journals (the journal area's sidebar item)."""
    return is_staff_user(user) and has_role(user, JOURNAL_KEEPER_ROLES | JOURNAL_READER_ROLES)

"""Roles, scopes and the one permission policy of the registry.

Two questions are answered here and nowhere else: "may user U take action A on document D"
(`may`) and "which documents may U see" (`visible_documents_q`). Selectors, views, the API,
search and exports all go through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from records.lifecycle import State
from records.models.org import Role

if TYPE_CHECKING:
    from records.models import Document, OrgUnit

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
        from records.models import RoleAssignment

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
        from records.models import Person

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
    from records.kinds.base import get_kind

    return has_role(user, get_kind(kind_code).creator_roles, org_unit.path)


def may(user: Any, action: str, document: Document) -> bool:
    """The policy: may `user` take `action` on `document`."""
    from records.kinds.base import get_kind

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
        if document.state == State.SIGNING:
            return has_role(user, {s.role for s in kind.signing_route}, path) or has_role(
                user, kind.approver_roles, path
            )
        return has_role(user, kind.approver_roles, path)
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
    if action in ("audit", "export", "verify_report"):
        return has_role(user, READ_ALL_ROLES, path)
    return False

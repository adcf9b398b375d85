"""Local PKI for the demo university: init once, one signing certificate per official."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from records.models import OrgUnit, RoleAssignment
from signing import pki

SIGNING_ROLES = {
    "rector",
    "vice_rector",
    "dean",
    "head_of_department",
    "registrar",
    "teacher",
    "archivist",
    "expert_commission",
}


def demo_passphrase(username: str) -> str:
    """The demo passphrase of an official's key (printed with the logins; never for production)."""
    return f"sign-{username}"


def bootstrap_pki(*, usernames: set[str] | None = None) -> list[str]:
    """Create the PKI when missing and issue certificates to officials who have none; returns who got one."""
    directory = Path(settings.RECTORATE_PKI_DIR)
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    pki.init_pki(directory, organisation=root.name_en if root else "University")
    have = set(pki.officials(directory))
    issued = []
    assignments = RoleAssignment.objects.filter(
        role__in=SIGNING_ROLES, person__user__isnull=False
    ).select_related("person__user")
    for assignment in assignments.order_by("id"):
        user = assignment.person.user
        assert user is not None
        username = user.get_username()
        if username in have or (usernames is not None and username not in usernames):
            continue
        pki.issue_certificate(
            directory,
            username,
            assignment.person.full_name("en"),
            demo_passphrase(username),
            role=assignment.role,
        )
        have.add(username)
        issued.append(username)
    return issued

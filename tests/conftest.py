"""Shared fixtures: an org tree, one user per role (`users`, and `staff` with back-office access), and
`walk_route`, which takes a document through its route with the public services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.kinds.base import get_kind
from records.lifecycle import State
from records.models import Document, Person, Role, RoleAssignment
from records.services.document import document_transition
from records.services.signature import document_sign
from tests.factories import ROLE_UNITS, Org, make_org, make_person, make_staff


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if item.get_closest_marker("postgres"):
            item.fixturenames.append("_require_postgres")


@pytest.fixture
def _require_postgres(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL: set RECTORATE_TEST_DATABASE_URL (scripts/test does)")


@pytest.fixture
def sqlite_flushable(transactional_db: Any) -> Any:
    """A transactional test on SQLite: empty the append-only tables before Django flushes the database.

    Django flushes with DELETE, which SQLite's append-only triggers refuse (PostgreSQL truncates, which
    row triggers do not see). The triggers are dropped, the tables emptied, the triggers restored.
    """
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        triggers = cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%RAISE(ABORT%'"
        ).fetchall()
        for name, _table, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in sorted({table for _name, table, _sql in triggers}):
            cursor.execute(f'DELETE FROM "{table}"')
        for _name, _table, sql in triggers:
            cursor.execute(sql)


@pytest.fixture
def org(db: Any) -> Org:
    return make_org()


@pytest.fixture
def users(org: Org) -> dict[str, Any]:
    """One user per staff role, scoped like in a real university, plus a student and an outsider dean."""
    result: dict[str, Any] = {}
    for role, where in ROLE_UNITS.items():
        result[role] = make_staff(role, role, getattr(org, where))
    result["other_dean"] = make_staff("other_dean", Role.DEAN, org.other_faculty)
    student = make_person(kind=Person.Kind.STUDENT, username="student")
    student.group = org.group
    student.save()
    RoleAssignment.objects.create(person=student, role=Role.STUDENT, org_unit=org.faculty)
    result[Role.STUDENT] = student.user
    return result


@pytest.fixture
def staff(users: dict[str, Any]) -> dict[str, Any]:
    """The users of `users`, each with Wagtail's admin access (what the lead's data migration grants)."""
    access = Permission.objects.get(codename="access_admin")
    for user in users.values():
        user.user_permissions.add(access)
    return users


def walk_route(
    users: dict[str, Any], document: Document, *, approver: str = Role.RECTOR, until: str = State.REGISTERED
) -> Document:
    """Take a draft through its route with the public services, as the officials would, up to `until`.

    Submit (by its author), approve (by `users[approver]`, which renders the PDF), send for signing (the
    registrar), then sign as every step of the kind's signing route with its key from the local PKI, in
    route order: the last signature registers it. A kind without a route is registered by the registrar.
    """
    document = document_transition(document=document, by=document.created_by, name="submit")
    if until == State.REVIEW:
        return document
    document = document_transition(document=document, by=users[approver], name="approve")
    if until == State.APPROVED:
        return document
    document = document_transition(document=document, by=users[Role.REGISTRAR], name="start_signing")
    if until == State.SIGNING:
        return document
    signers = [users[step.role] for step in get_kind(document.kind).signing_route]
    bootstrap_pki(usernames={signer.username for signer in signers})
    for signer in signers:
        document_sign(document=document, by=signer, passphrase=demo_passphrase(signer.username))
        document.refresh_from_db()
    if not signers:
        document = document_transition(document=document, by=users[Role.REGISTRAR], name="register")
    assert document.state == State.REGISTERED, document.state
    return document


@pytest.fixture(autouse=True)
def _no_checkpoints_from_other_tests() -> None:
    """Audit checkpoints live in the blob store (files), which outlives each test's rolled-back database."""
    import shutil
    from pathlib import Path

    from records.models.blob import blob_storage
    from records.selectors.checkpoints import DIRECTORY

    shutil.rmtree(Path(blob_storage().path(DIRECTORY)), ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_bags_from_other_tests() -> None:
    """Bags are written under the transfers directory, which outlives each test's rolled-back database
    (where the same transfer ids, and so the same bag names, come again)."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    shutil.rmtree(Path(settings.RECTORATE_TRANSFER_DIR), ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_cache_from_other_tests() -> None:
    """The cache (cached panels, portal records, sessions) outlives each test's rolled-back database,
    where the same user ids and chain heads come again: each test starts with it empty."""
    from django.core.cache import cache

    from records.admin import sidebar

    cache.clear()
    sidebar.clear()  # the per-process sidebar cache: user ids come again in the next test's database

"""Shared fixtures: an org tree and one user per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from records.models import Person, Role, RoleAssignment
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


@pytest.fixture(autouse=True)
def _no_checkpoints_from_other_tests() -> None:
    """Audit checkpoints live in the blob store (files), which outlives each test's rolled-back database."""
    import shutil
    from pathlib import Path

    from records.models.blob import blob_storage
    from records.selectors.checkpoints import DIRECTORY

    shutil.rmtree(Path(blob_storage().path(DIRECTORY)), ignore_errors=True)

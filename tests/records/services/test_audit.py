"""The audit trail is evidence: append-only in the database and verifiable end to end."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from records.models import AuditEvent
from records.services.audit import audit_record
from records.services.checkpoints import audit_verify


def _events(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action="test.event", changes={"i": i, "text": "Қазақстан"})


def test_the_chain_of_untouched_events_verifies(db: Any) -> None:
    _events(5)
    report = audit_verify()
    assert report.ok and report.checked == 5


@pytest.mark.parametrize(
    "sql", ["UPDATE records_auditevent SET action='x'", "DELETE FROM records_auditevent"]
)
def test_the_database_refuses_update_and_delete(db: Any, sql: str) -> None:
    _events(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AuditEvent.objects.count() == 2


def _drop_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER records_auditevent_no_update")
            cur.execute("DROP TRIGGER records_auditevent_no_delete")
        else:
            cur.execute("DROP TRIGGER records_auditevent_append_only ON records_auditevent")


@pytest.mark.parametrize(
    ("tamper", "first_broken"),
    [
        ("UPDATE records_auditevent SET changes='{\"i\": 99}' WHERE id=3", 3),
        ("DELETE FROM records_auditevent WHERE id=2", 2),
        ("DELETE FROM records_auditevent WHERE id=5", 5),
    ],
)
def test_verify_names_the_first_altered_or_removed_event(db: Any, tamper: str, first_broken: int) -> None:
    _events(5)
    _drop_triggers()  # an attacker with database access
    with connection.cursor() as cur:
        cur.execute(tamper)
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == first_broken
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1

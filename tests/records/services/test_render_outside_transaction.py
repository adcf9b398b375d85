"""Rendering never holds the registry's write lock (issue 11: one slow conversion blocked every write
for 139 s and logins, certificate requests and API calls failed with "database is locked").

Approval reserves the number in one short transaction, renders with no transaction open, and stores
the PDF in another short one. A failed rendering leaves the document approved, numbered, unrendered
and retryable. The tests assert the order of events, never the wall time.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from doctemplates import pipeline
from doctemplates.conversion import Converter, SofficeCliConverter, get_converter
from records.demo.pki import bootstrap_pki
from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Document, Person, Role, Student
from records.services.certificates import certificate_request
from records.services.diplomas import diploma_batch_start
from records.services.document import document_create, document_submit, document_transition
from records.services.rendering import document_render_pdf
from tests.records.diplomas.conftest import build_cohort
from tests.records.services.test_document import DATA, draft


class HeldConverter(Converter):
    """The real LibreOffice converter, held at its start until the test releases it (a long job)."""

    def __init__(self, real: Converter) -> None:
        self.real = real
        self.started = threading.Event()
        self.release = threading.Event()
        self.order: list[str] = []

    def convert_docx_to_pdf(self, docx: bytes) -> bytes:
        self.started.set()
        self.release.wait(timeout=90)
        pdf = self.real.convert_docx_to_pdf(docx)
        self.order.append("conversion finished")
        return pdf


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path, django_db_blocker: Any) -> None:
    """The embedded database's settings: readers never wait, writers queue instead of failing."""
    from settings import base

    handler = ConnectionHandler({"default": {**base.DATABASES["default"], "NAME": tmp_path / "x.sqlite3"}})
    sqlite = handler["default"]
    with django_db_blocker.unblock():
        try:
            with sqlite.cursor() as cursor:
                assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
        finally:
            sqlite.close()


@pytest.mark.django_db(transaction=True)
def test_other_writes_proceed_while_an_approved_document_is_being_converted(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldConverter(get_converter())
    monkeypatch.setattr(pipeline, "get_converter", lambda: held)
    document = document_submit(document=draft(users, org), by=users[Role.DEAN])
    outcome: dict[str, Any] = {}

    def approve() -> None:
        try:
            outcome["document"] = document_transition(
                document=document, by=users[Role.RECTOR], name="approve"
            )
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()  # this thread's own connection

    approver = threading.Thread(target=approve)
    approver.start()
    try:
        assert held.started.wait(timeout=120), "the conversion never started"
        # The conversion is running now. Before, its transaction held SQLite's write lock and these
        # writes waited 30 s and failed with "database is locked".
        other = document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Другой приказ", data=DATA
        )
        document_submit(document=other, by=users[Role.DEAN])
        held.order.append("other writes committed")
    finally:
        held.release.set()
        approver.join(timeout=180)
    assert "error" not in outcome, outcome.get("error")
    assert held.order == ["other writes committed", "conversion finished"]
    approved = Document.objects.select_related("current_version").get(pk=document.pk)
    assert approved.state == State.APPROVED and approved.current_version.pdf_blob_id is not None
    assert Document.objects.get(pk=other.pk).state == State.REVIEW


def test_a_conversion_that_times_out_leaves_the_document_approved_numbered_and_retryable(
    users: dict[str, Any], org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real LibreOffice killed at its timeout: the approval stands, nothing half-stored, render again."""
    monkeypatch.setattr(pipeline, "get_converter", lambda: SofficeCliConverter(conversion_timeout=0.2))
    document = document_submit(document=draft(users, org), by=users[Role.DEAN])
    with pytest.raises(RecordsError) as caught:
        document_transition(document=document, by=users[Role.RECTOR], name="approve")
    assert caught.value.code == "render_failed"
    assert "keeps its number" in caught.value.message
    approved = Document.objects.select_related("current_version").get(pk=document.pk)
    number = approved.registry_number
    assert approved.state == State.APPROVED and number
    assert approved.current_version.pdf_blob_id is None
    actions = list(AuditEvent.objects.filter(document=document).values_list("action", flat=True))
    assert actions[-1] == "document.approve"
    with pytest.raises(RecordsError) as refused:
        document_transition(document=approved, by=users[Role.REGISTRAR], name="start_signing")
    assert refused.value.code == "not_rendered"

    monkeypatch.undo()
    version = document_render_pdf(document=approved, by=users[Role.REGISTRAR])
    assert version.pdf_blob_id is not None
    approved.refresh_from_db()
    assert approved.registry_number == number  # the reservation survived the failure
    assert document_render_pdf(document=approved, by=users[Role.REGISTRAR]).pdf_blob_id == version.pdf_blob_id
    assert AuditEvent.objects.filter(document=document, action="document.render").count() == 1
    signing = document_transition(document=approved, by=users[Role.REGISTRAR], name="start_signing")
    assert signing.state == State.SIGNING


def _write_while_held(held: HeldConverter, work: Any, users: dict[str, Any], org: Any) -> Any:
    """Run `work` in a thread; once its conversion has started, draft and submit an order here.

    Returns what `work` returned; the writes here must commit before the held conversion finishes.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()  # this thread's own connection

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert held.started.wait(timeout=120), "the conversion never started"
        other = document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Другой приказ", data=DATA
        )
        document_submit(document=other, by=users[Role.DEAN])
        held.order.append("other writes committed")
    finally:
        held.release.set()
        worker.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    assert held.order[:2] == ["other writes committed", "conversion finished"]
    assert Document.objects.get(pk=other.pk).state == State.REVIEW
    return outcome["result"]


@pytest.mark.django_db(transaction=True)
def test_other_writes_proceed_while_a_certificate_is_being_converted(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student's certificate is numbered in one short transaction, rendered with none open, then
    sealed and registered in another (it rendered inside one transaction before)."""
    bootstrap_pki(usernames=set())
    person = Person.objects.get(user=users[Role.STUDENT])
    Student.objects.create(
        person=person,
        programme=org.programme,
        group=org.group,
        year_of_study=2,
        funding="state_grant",
        status="enrolled",
        status_since=dt.date(2024, 9, 1),
    )
    held = HeldConverter(get_converter())
    monkeypatch.setattr(pipeline, "get_converter", lambda: held)
    certificate = _write_while_held(
        held,
        lambda: certificate_request(by=users[Role.STUDENT], purpose="military", language="ru"),
        users,
        org,
    )
    assert Document.objects.get(pk=certificate.pk).state == State.REGISTERED
    actions = list(AuditEvent.objects.filter(document=certificate).values_list("action", "actor_repr"))
    assert actions == [
        ("document.create", "system"),
        ("document.submit", "system"),
        ("document.approve", "system"),
        ("document.render", "system"),
        ("document.start_signing", "system"),
        ("document.register", "system"),
        ("certificate.issue", users[Role.STUDENT].username),
    ]


@pytest.mark.django_db(transaction=True)
def test_other_writes_proceed_while_a_diploma_pair_is_being_converted(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diploma batch numbers each pair in one short transaction and converts it with none open (the
    pair rendered inside the graduate's transaction before)."""
    cohort = build_cohort(users, org)
    held = HeldConverter(get_converter())
    monkeypatch.setattr(pipeline, "get_converter", lambda: held)
    job = _write_while_held(
        held,
        lambda: diploma_batch_start(by=users[Role.REGISTRAR], group_code=cohort.group_code, date=cohort.date),
        users,
        org,
    )
    issued = Document.objects.filter(kind__in=("diploma", "diploma_supplement"))
    assert issued.count() == 2 * len(job.params["graduates"])
    assert set(issued.values_list("state", flat=True)) == {State.SIGNING}

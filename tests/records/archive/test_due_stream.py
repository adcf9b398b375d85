"""The due list's stream reads the filings alone: their copies of the documents' number, kind, title,
year, unit and subject are set at filing, `disposed` by the dispose effect, and `registry replay`
re-derives them (``--check`` finds a copy that drifted)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command

from records.models import Document, Filing, Person, Role
from records.projections.replay import replay
from records.services.holds import hold_place
from tests.conftest import walk_route
from tests.records.archive.conftest import make_due
from tests.records.archive.test_disposition import _act


def _due(**options: Any) -> dict[int, dict[str, Any]]:
    out = io.StringIO()
    call_command("retention", "due", "--json", stdout=out, **options)
    result = json.loads(out.getvalue())
    assert result["total"] == len(result["records"])
    return {r["id"]: r for r in result["records"]}


def test_filing_copies_the_document_and_the_stream_reads_them(
    users: dict[str, Any], org: Any, plan: Document, registered_doc: Document
) -> None:
    record = make_due(registered_doc)
    filing = Filing.objects.get(document=record)
    assert (filing.registry_number, filing.kind, filing.title, filing.year, filing.org_path) == (
        record.registry_number,
        record.kind,
        record.title,
        record.registry_year,
        record.org_path,
    )
    assert not filing.disposed
    listed = _due()[record.pk]
    assert (listed["number"], listed["kind"], listed["title"], listed["series"]) == (
        record.registry_number,
        record.kind,
        record.title,
        "01-05",
    )
    assert listed["held_by"] == []

    walk_route(users, _act(users, org, record), approver=Role.EXPERT_COMMISSION)
    assert Filing.objects.get(document=record).disposed  # the dispose effect set it
    assert record.pk not in _due()


def test_replay_check_finds_a_drifted_copy_and_the_replay_rebuilds_it(
    users: dict[str, Any], plan: Document, registered_doc: Document
) -> None:
    record = make_due(registered_doc)
    assert not replay(check=True).differs
    Filing.objects.filter(document=record).update(title="подменено", disposed=True)
    assert record.pk not in _due()
    report = replay(check=True)
    assert report.differs and report.missing["records.Filing"] and report.unexpected["records.Filing"]
    replay()
    filing = Filing.objects.get(document=record)
    assert filing.title == record.title and not filing.disposed
    assert not replay(check=True).differs
    assert _due()[record.pk]["title"] == record.title


def test_a_student_hold_in_the_stream_is_found_by_subject_and_by_the_data(
    users: dict[str, Any], plan: Document, registered_doc: Document
) -> None:
    record = make_due(registered_doc)
    student = Person.objects.get(user=users[Role.STUDENT])
    hold = hold_place(by=users[Role.RECTOR], kind="legal", reason="Апелляция", student=student)
    assert _due()[record.pk]["held_by"] == []
    Document.objects.filter(pk=record.pk).update(subject=student)
    assert _due()[record.pk]["held_by"] == [hold.pk]

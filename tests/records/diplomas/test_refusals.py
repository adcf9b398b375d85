"""Bad input and faults: each refused with a message naming who or what, and nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from records.errors import RecordsError
from records.kinds.diploma import DIPLOMA_KIND
from records.models import AuditEvent, DiplomaBookEntry, Document, Job, Role
from records.services.diplomas import (
    diploma_batch_start,
    diploma_book_entry_add,
    diploma_reissue,
    diploma_spoil,
)
from records.services.document import document_create
from tests.records.diplomas.conftest import CohortFixture, build_cohort


def _unchanged() -> tuple[int, int, int]:
    return (
        Job.objects.count(),
        DiplomaBookEntry.objects.count(),
        Document.objects.filter(kind="diploma").count(),
    )


def test_unregistered_graduation_order_refuses_the_batch(users: dict[str, Any], org: Any) -> None:
    """A graduation order still in draft: the batch is refused naming the student and the order's state."""
    built = build_cohort(users, org, register_orders=False)
    before = _unchanged()
    with pytest.raises(RecordsError) as info:
        diploma_batch_start(by=users[Role.REGISTRAR], group_code=built.group_code, date=built.date)
    assert info.value.code == "cohort_incomplete"
    assert built.students[2].full_name() in info.value.message and "not registered" in info.value.message
    assert _unchanged() == before


def test_incomplete_transcript_refuses_the_whole_batch(users: dict[str, Any], org: Any) -> None:
    """One graduate without a D21 grade blocks every diploma; the message names the student and D21."""
    built = build_cohort(users, org, skip_d21_for_last=True)
    before = _unchanged()
    with pytest.raises(RecordsError) as info:
        diploma_batch_start(by=users[Role.REGISTRAR], group_code=built.group_code, date=built.date)
    assert built.students[2].full_name() in info.value.message and "D21" in info.value.message
    assert _unchanged() == before


def test_batch_started_twice_is_refused_then_resumed_when_stopped(
    users: dict[str, Any], cohort: CohortFixture
) -> None:
    """A second start while the first batch waits is refused naming it; after a stop it resumes the same batch."""
    registrar = users[Role.REGISTRAR]
    first = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    with pytest.raises(RecordsError) as info:
        diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    assert info.value.code == "batch_exists" and str(first.pk) in info.value.message
    assert Job.objects.filter(kind="diploma_batch").count() == 1
    Job.objects.filter(pk=first.pk).update(state=Job.State.STOPPED, stop_requested=True)
    again = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    again.refresh_from_db()
    assert again.pk == first.pk and again.state == Job.State.PENDING and not again.stop_requested
    assert Job.objects.filter(kind="diploma_batch").count() == 1


def test_only_the_registrar_starts_batches(users: dict[str, Any], cohort: CohortFixture) -> None:
    """Dean and rector may see but not issue; nothing is created or recorded."""
    before, events = _unchanged(), AuditEvent.objects.count()
    for role in (Role.DEAN, Role.RECTOR, Role.TEACHER):
        with pytest.raises(RecordsError) as info:
            diploma_batch_start(by=users[role], group_code=cohort.group_code, date=cohort.date)
        assert info.value.code == "forbidden"
    assert _unchanged() == before and AuditEvent.objects.count() == events


def _diploma_entry(users: dict[str, Any], org: Any, number: int = 1) -> DiplomaBookEntry:
    """A book entry with a draft diploma document (no rendering needed)."""
    from tests.factories import make_person

    registrar = users[Role.REGISTRAR]
    graduate = make_person(kind="student")
    entry = diploma_book_entry_add(
        series="BD", number=number, graduate=graduate, issue_date="2026-07-01", created_by=registrar
    )
    data = {**DIPLOMA_KIND.sample_data, "student_iin": graduate.iin, "diploma_number": entry.display_number}
    entry.diploma = document_create(
        by=registrar, kind="diploma", org_unit=org.faculty, title=f"Диплом {number}", data=data
    )
    entry.save(update_fields=["diploma"])
    return entry


def test_a_diploma_outside_the_book_is_refused(users: dict[str, Any], org: Any) -> None:
    """Drafting a diploma by hand with a number the book did not give this graduate is refused."""
    before = _unchanged()
    with pytest.raises(RecordsError) as info:
        document_create(
            by=users[Role.REGISTRAR],
            kind="diploma",
            org_unit=org.faculty,
            title="Диплом",
            data=DIPLOMA_KIND.sample_data,
        )
    assert info.value.code == "not_in_diploma_book" and "BD 0000001" in info.value.message
    assert _unchanged() == before


def test_duplicate_diploma_number_is_impossible(users: dict[str, Any], org: Any) -> None:
    """The book refuses a number already given (naming its holder); the database refuses it as well."""
    entry = _diploma_entry(users, org)
    with pytest.raises(RecordsError) as info:
        _diploma_entry(users, org)
    assert info.value.code == "duplicate_diploma_number"
    assert "BD 0000001" in info.value.message and entry.graduate.full_name() in info.value.message
    with pytest.raises(IntegrityError), transaction.atomic():
        DiplomaBookEntry.objects.create(
            series="BD",
            number=1,
            graduate=entry.graduate,
            issue_date="2026-07-01",
            created_by=entry.created_by,
        )
    assert DiplomaBookEntry.objects.count() == 1


def test_spoil_needs_a_reason_and_the_registrar(users: dict[str, Any], org: Any) -> None:
    """Without a reason or by a dean: refused, nothing changed; with both: spoiled and recorded."""
    entry = _diploma_entry(users, org)
    events = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as info:
        diploma_spoil(by=users[Role.REGISTRAR], entry=entry, reason="  ")
    assert info.value.code == "reason_required"
    with pytest.raises(RecordsError) as info:
        diploma_spoil(by=users[Role.DEAN], entry=entry, reason="Опечатка")
    assert info.value.code == "forbidden"
    assert AuditEvent.objects.count() == events
    spoiled = diploma_spoil(by=users[Role.REGISTRAR], entry=entry, reason="Опечатка в фамилии")
    assert (spoiled.status, spoiled.reason, spoiled.status_changed_by) == (
        "spoiled",
        "Опечатка в фамилии",
        users[Role.REGISTRAR],
    )
    assert list(AuditEvent.objects.filter(id__gt=events).values_list("action", flat=True)) == [
        "diploma.spoil"
    ]
    with pytest.raises(RecordsError) as info:
        diploma_spoil(by=users[Role.REGISTRAR], entry=spoiled, reason="Ещё раз")
    assert info.value.code == "not_issued" and "BD 0000001" in info.value.message


def test_reissue_of_an_unregistered_diploma_is_refused(users: dict[str, Any], org: Any) -> None:
    """Only a registered diploma can be reissued; the message names the number."""
    entry = _diploma_entry(users, org)
    before = _unchanged()
    with pytest.raises(RecordsError) as info:
        diploma_reissue(by=users[Role.REGISTRAR], entry=entry, reason="Утерян")
    assert info.value.code == "not_registered" and "BD 0000001" in info.value.message
    assert _unchanged() == before

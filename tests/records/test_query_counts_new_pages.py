"""Constant query counts on the pages the earlier query-count tests did not reach: the signing queue,
a render job, the journal (its list and its grid) and the archivist's transfers.

Same method as tests/records/test_query_counts.py: measure a page, add rows, assert the same count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from records.lifecycle import State
from records.models import ArchiveTransfer, Job, Journal, Person, Role
from records.services.document import document_create
from records.services.journal import journal_add_class, journal_open, journal_save_cells
from tests.conftest import walk_route
from tests.factories import Org, make_person
from tests.records.test_query_counts import DATA, assert_constant


def test_signing_queue_queries_do_not_grow_with_the_documents_waiting(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    """The rector's "To sign" list with one internal order waiting and then four."""

    def waiting(count: int) -> None:
        for n in range(count):
            document = document_create(
                by=staff[Role.DEAN],
                kind="internal_order",
                org_unit=org.faculty,
                title=f"Приказ {n}",
                data=DATA,
            )
            walk_route(staff, document, approver=Role.RECTOR, until=State.SIGNING)

    waiting(1)
    client.force_login(staff[Role.RECTOR])
    first, second = assert_constant(
        lambda: client.get("/admin/signing/"), lambda: waiting(3), django_assert_num_queries
    )
    assert second.content.count(b"/sign/") > first.content.count(b"/sign/")


def test_render_job_page_queries_do_not_grow_with_the_items(
    client: Any, staff: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """A batch render job's page with few items and with many (its items and failures listed)."""
    job = Job.objects.create(
        kind="batch_render",
        state=Job.State.DONE,
        total=2,
        done=1,
        failed=1,
        params={"mode": "pdf", "document_ids": [1, 2]},
        results={"1": "ok", "2": "Шаблон не найден."},
    )
    client.force_login(staff[Role.ADMINISTRATOR])
    url = f"/admin/templates/jobs/{job.pk}/"

    def grow() -> None:
        results = {str(n): "ok" if n <= 30 else f"Ошибка {n}" for n in range(1, 41)}
        params = {"mode": "pdf", "document_ids": list(range(1, 41))}
        Job.objects.filter(pk=job.pk).update(total=40, done=30, failed=10, params=params, results=results)

    _first, second = assert_constant(lambda: client.get(url), grow, django_assert_num_queries)
    assert "Ошибка 40" in second.content.decode()


def _pupils(org: Org, start: int, count: int) -> None:
    for n in range(start, start + count):
        person = make_person(kind=Person.Kind.STUDENT, username=f"qpupil{n}")
        person.group = org.group
        person.save()


def test_journal_pages_queries_do_not_grow_with_students_classes_and_journals(
    staff: dict[str, Any], org: Org, django_assert_num_queries: Any
) -> None:
    """The journal grid with 2 students × 2 classes and then 8 × 10 (with marks); the journal list
    with one journal and then four."""
    teacher = staff[Role.TEACHER]
    _pupils(org, 0, 2)

    def opened(code: str) -> Journal:
        return journal_open(
            by=teacher,
            department=org.department,
            group=org.group,
            discipline_code=code,
            discipline_name=f"Дисциплина {code}",
            academic_year=2024,
            period=1,
        )

    journal = opened("ICT1")
    dates = [dt.date(2024, 9, 2) + dt.timedelta(days=7 * n) for n in range(10)]
    for day in dates[:2]:
        journal_add_class(journal=journal, by=teacher, date=day, kind="practical", hours=2)
    client = Client()
    client.force_login(teacher)
    url = f"/admin/journals/{journal.pk}/"

    def grow_grid() -> None:
        _pupils(org, 2, 6)
        journal.students.set(Person.objects.filter(group=org.group, kind=Person.Kind.STUDENT))
        classes = [
            journal_add_class(journal=journal, by=teacher, date=day, kind="practical", hours=2)
            for day in dates[2:]
        ]
        students = list(journal.students.values_list("pk", flat=True))
        journal_save_cells(
            journal=journal,
            by=teacher,
            lock_version=None,
            cells={(c.pk, s): "+" for c in classes for s in students},
        )

    first, second = assert_constant(lambda: client.get(url), grow_grid, django_assert_num_queries)
    assert second.content.count(b"<td") > first.content.count(b"<td")

    def more_journals() -> None:
        for code in ("ICT2", "ICT3", "ICT4"):
            opened(code)

    first, second = assert_constant(
        lambda: client.get("/admin/journals/"), more_journals, django_assert_num_queries
    )
    assert b"ICT4" in second.content and b"ICT4" not in first.content


def test_transfers_page_queries_do_not_grow_with_the_transfers(
    staff: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """The archivist's transfers list with one finished transfer and then eleven."""
    archivist = staff[Role.ARCHIVIST]

    def transfers(start: int, count: int) -> None:
        for n in range(start, start + count):
            ArchiveTransfer.objects.create(
                identifier=f"TR-2026-{n:05d}",
                state=ArchiveTransfer.State.DONE,
                document_ids=[],
                record_count=n,
                payload_oxum=f"{n * 100}.{n}",
                manifest_sha256="a" * 64,
                created_by=archivist,
            )

    transfers(1, 1)
    client = Client()
    client.force_login(archivist)
    _first, second = assert_constant(
        lambda: client.get("/admin/transfers/"), lambda: transfers(2, 10), django_assert_num_queries
    )
    assert b"TR-2026-00011" in second.content

"""Registry numbers are gapless per series and year, also under concurrency (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from records.models import Document, Role
from records.services.document import document_approve, document_create, document_submit

DATA = {"subject": "Нумерация", "body": "Текст"}


def _submitted(users: dict[str, Any], org: Any, n: int) -> list[Document]:
    docs = []
    for i in range(n):
        doc = document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=f"№{i}", data=DATA
        )
        docs.append(document_submit(document=doc, by=users[Role.DEAN]))
    return docs


def test_numbers_follow_each_other_without_gaps(users: dict[str, Any], org: Any) -> None:
    docs = [document_approve(document=d, by=users[Role.RECTOR]) for d in _submitted(users, org, 5)]
    assert [d.registry_seq for d in docs] == [1, 2, 3, 4, 5]
    assert len({d.registry_number for d in docs}) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_duplicate_or_skip(users: dict[str, Any], org: Any) -> None:
    docs = _submitted(users, org, 24)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(chunk: list[Document]) -> None:
        try:
            barrier.wait()
            for doc in chunk:
                document_approve(document=doc, by=users[Role.RECTOR])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(docs[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = sorted(Document.objects.values_list("registry_seq", flat=True))
    assert seqs == list(range(1, 25))

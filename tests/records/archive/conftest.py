"""Helpers of the records-management tests: a registered file plan and an old registered record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from records.models import Document, Filing, Role
from records.services.document import document_create_registered
from tests.records.api.conftest import api  # noqa: F401 (the token clients of the API tests)


def series(
    index: str, kinds: list[str], *, years: int | None = 5, action: str = "destroy", unit: str = ""
) -> dict[str, Any]:
    return {
        "index": index,
        "unit": unit,
        "title_kk": f"Іс {index}",
        "title_ru": f"Дело {index}",
        "title_en": f"File {index}",
        "retention_years": years,
        "basis": "ст. 19",
        "final_action": action,
        "kinds": kinds,
    }


def register_plan(users: dict[str, Any], org: Any, effective: str, entries: list[dict[str, Any]]) -> Document:
    """A nomenclature registered in bulk (the route itself is walked in test_disposition)."""
    return document_create_registered(
        by=users[Role.ARCHIVIST],
        kind="file_plan",
        org_unit=org.university,
        title="",
        data={"effective_date": effective, "series": entries},
        registered_at=timezone.now() - dt.timedelta(days=1),
    )


def make_due(document: Document, years_ago: int = 10) -> Document:
    """Move a registered record's registration (and so its due date) `years_ago` years back."""
    registered = document.registered_at or timezone.now()
    Document.objects.filter(pk=document.pk).update(
        registered_at=registered.replace(year=registered.year - years_ago)
    )
    Filing.objects.filter(document=document).update(due_on=dt.date(registered.year - years_ago + 6, 1, 1))
    document.refresh_from_db()
    return document


def due_orders(users: dict[str, Any], org: Any, count: int) -> list[Document]:
    """`count` internal orders of the faculty, registered by its dean ten years ago (so due)."""
    return [
        make_due(
            document_create_registered(
                by=users[Role.DEAN],
                kind="internal_order",
                org_unit=org.faculty,
                title=f"Приказ {n}",
                data={"subject": "Об учебном графике", "body": "Утвердить график."},
            )
        )
        for n in range(count)
    ]


@pytest.fixture
def plan(users: dict[str, Any], org: Any) -> Document:
    """The file plan in force since 2000: internal orders kept 5 years then destroyed (series 01-05)."""
    return register_plan(
        users,
        org,
        "2000-01-01",
        [
            series("01-05", ["internal_order"]),
            series("01-01", ["academic_policy"], years=None, action="transfer"),
        ],
    )

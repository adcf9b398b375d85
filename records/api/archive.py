"""Read endpoints of records management: the due list and the holds (archive officials only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from records.api.schemas import ErrorOut, PageOut, PageParams, page_of
from records.models import FinalAction, Hold
from records.selectors.disposition import due_list_for
from records.selectors.holds import HoldMatcher, hold_scope_text, holds_for_official

router = Router(tags=["archive"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class DueParams(PageParams):
    """Filters and page of the due list (query string)."""

    on: dt.date | None = Field(None, description="The day asked about (today by default)")
    series: str = Field("", max_length=30, description="Only this series index")
    action: FinalAction | None = Field(None, description="Only this action at the end")


class DueOut(Schema):
    """A record whose retention ran out, with the active holds that keep it."""

    id: int
    number: str
    kind: str
    title: str
    series: str
    due_on: dt.date | None
    action: str
    held_by: list[int]


class DuePageOut(PageOut):
    items: list[DueOut]


class HoldParams(PageParams):
    active: bool = Field(False, description="Only holds not lifted")


class HoldOut(Schema):
    """A legal or audit hold: its scope, who placed it and, once lifted, who lifted it and why."""

    id: int
    kind: str
    reason: str
    scope: str
    scope_text: str
    document_id: int | None
    series_index: str
    student_id: int | None
    query: str
    placed_by: str
    placed_at: dt.datetime
    lifted_by: str | None
    lifted_at: dt.datetime | None
    lift_reason: str


class HoldPageOut(PageOut):
    items: list[HoldOut]


def _hold_out(hold: Hold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        kind=hold.kind,
        reason=hold.reason,
        scope=hold.scope,
        scope_text=hold_scope_text(hold),
        document_id=hold.document_id,
        series_index=hold.series_index,
        student_id=hold.student_id,
        query=hold.query,
        placed_by=hold.placed_by.get_username(),
        placed_at=hold.placed_at,
        lifted_by=hold.lifted_by.get_username() if hold.lifted_by else None,
        lifted_at=hold.lifted_at,
        lift_reason=hold.lift_reason,
    )


@router.get("/due", response={200: DuePageOut, **ERRORS}, summary="The due list")
def list_due(request: HttpRequest, params: Query[DueParams]) -> DuePageOut:
    """Records of the caller's units whose retention ran out, oldest due first (archive officials)."""
    filings = due_list_for(
        request.auth,  # type: ignore[attr-defined]
        on=params.on,
        series=params.series,
        action=params.action.value if params.action else "",
    )
    page, counts = page_of(filings, params)
    matcher = HoldMatcher()
    students = matcher.student_documents() if matcher.holds else {}
    items = [
        DueOut(
            id=f.document_id,
            number=f.registry_number,
            kind=f.kind,
            title=f.title,
            series=f.series_index,
            due_on=f.due_on,
            action=f.final_action,
            held_by=[h.pk for h in matcher.holds_for(f, f.series_index, students)],  # type: ignore[arg-type]
        )
        for f in page
    ]
    return DuePageOut(**counts, items=items)


@router.get("/holds", response={200: HoldPageOut, **ERRORS}, summary="The holds")
def list_holds(request: HttpRequest, params: Query[HoldParams]) -> HoldPageOut:
    """Legal and audit holds, newest first (archive officials)."""
    holds = holds_for_official(request.auth, active_only=params.active)  # type: ignore[attr-defined]
    page, counts = page_of(holds, params)
    return HoldPageOut(**counts, items=[_hold_out(h) for h in page])

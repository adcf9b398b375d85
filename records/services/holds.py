"""Holds: placed and lifted by authorised roles (records.permissions.may_place_hold), each an audit event.

A hold has a kind (legal or audit), a reason and one scope: a document, a series (by index), a
student, or a saved search query. While it is active nothing in its scope is destroyed (the engine's
dispose, the disposition act) nor re-described (re-filing, title changes); records.selectors.holds
answers whether a document is held.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.models import Document, Hold, HoldReason, HoldScope, Person
from records.permissions import may_lift_hold, may_place_hold, may_see
from records.selectors.holds import parse_hold_query
from records.services.audit import audit_record

QUERY_KEYS = {"q", "kind", "org_unit", "year", "series"}


def hold_place(
    *,
    by: Any,
    kind: str,
    reason: str,
    document: Document | None = None,
    series_index: str = "",
    student: Person | None = None,
    query: str = "",
) -> Hold:
    """Place a hold with exactly one scope; refused without a reason or the authority over the scope."""
    if kind not in HoldReason.values:
        raise RecordsError("invalid_hold", _("A hold is a legal hold or an audit hold."))
    if not reason.strip():
        raise RecordsError("reason_required", _("Please give a reason."))
    scopes = [
        (HoldScope.DOCUMENT, document is not None),
        (HoldScope.SERIES, bool(series_index.strip())),
        (HoldScope.STUDENT, student is not None),
        (HoldScope.QUERY, bool(query.strip())),
    ]
    chosen = [scope for scope, given in scopes if given]
    if len(chosen) != 1:
        raise RecordsError(
            "invalid_hold", _("A hold has exactly one scope: a document, a series, a student or a query.")
        )
    scope = chosen[0]
    if scope == HoldScope.QUERY:
        parsed = parse_hold_query(query)
        if not parsed or set(parsed) - QUERY_KEYS:
            raise RecordsError(
                "invalid_hold", _("A saved search uses q, kind, org_unit, year and series only.")
            )
    path = document.org_path if document is not None else None
    if (document is not None and not may_see(by, document)) or not may_place_hold(by, kind, path):
        raise RecordsError("forbidden", _("You may not place this hold."))
    with transaction.atomic():
        hold = Hold.objects.create(
            kind=kind,
            reason=reason.strip(),
            scope=scope,
            document=document,
            series_index=series_index.strip(),
            student=student,
            query=query.strip(),
            placed_by=by,
            placed_at=timezone.now(),
        )
        audit_record(
            actor=by,
            action="hold.place",
            document=document,
            object_type="hold",
            object_id=hold.pk,
            changes={
                "kind": kind,
                "scope": scope,
                "series": hold.series_index,
                "student": student.iin if student is not None else "",
                "query": hold.query,
                "reason": hold.reason,
            },
        )
    return hold


def hold_lift(*, hold: Hold, by: Any, reason: str) -> Hold:
    """Lift an active hold with a reason (audited); a lifted hold stays on record."""
    if not reason.strip():
        raise RecordsError("reason_required", _("Please give a reason."))
    with transaction.atomic():
        locked = Hold.objects.select_for_update(of=("self",)).select_related("document").get(pk=hold.pk)
        if not may_lift_hold(by, locked):
            raise RecordsError("forbidden", _("You may not lift this hold."))
        if locked.lifted_at is not None:
            raise RecordsError("hold_lifted", _("This hold was lifted already."))
        locked.lifted_at = timezone.now()
        locked.lifted_by = by
        locked.lift_reason = reason.strip()
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=by,
            action="hold.lift",
            document=locked.document,
            object_type="hold",
            object_id=locked.pk,
            changes={"reason": locked.lift_reason},
        )
    return locked

"""Filing: every registered document is filed in a series; the archivist re-files, extends, marks for transfer.

At registration the engine files the document (`filing_file`) by the nomenclature in force on its
registration date: the series that lists its kind, for its own unit before an enclosing unit before
the whole university. A document no series takes is filed by its kind's retention class, without a
series. Retention runs out on 1 January of the year after the closing year plus the period (files
close with the calendar year). Re-filing and titles are refused under hold; every change is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import NotFoundOrForbidden, RecordsError
from records.models import Document, FileSeries, Filing, FinalAction
from records.permissions import may_manage_files, may_see
from records.projections.fileplan import FILING_COPIES
from records.retention import RETENTION_CLASSES
from records.selectors.fileplan import plan_in_force, series_by_index
from records.selectors.holds import holds_for
from records.services.audit import audit_record


def due_date(registered_on: dt.date, years: int | None) -> dt.date | None:
    """When retention runs out: 1 January after the closing year plus `years` (None: permanent)."""
    if years is None:
        return None
    return dt.date(registered_on.year + 1 + years, 1, 1)


def choose_series(document: Document, on: dt.date) -> FileSeries | None:
    """The series of the nomenclature in force on `on` that files `document` by default."""
    return _best_series(document, _plan_series(on))


def _plan_series(on: dt.date) -> list[FileSeries]:
    plan_id = plan_in_force(on)
    if plan_id is None:
        return []
    return list(FileSeries.objects.filter(plan_id=plan_id).select_related("unit").order_by("index"))


def _best_series(document: Document, candidates: list[FileSeries]) -> FileSeries | None:
    """Its own unit's series before an enclosing unit's before the whole university's."""
    best: tuple[int, FileSeries] | None = None
    for series in candidates:
        if document.kind not in series.kinds:
            continue
        if series.unit is None:
            rank = 0
        elif document.org_path.startswith(series.unit.path):
            rank = len(series.unit.path)
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, series)
    return best[1] if best else None


def filing_file(document: Document) -> Filing:
    """File a document being registered (in the engine's transaction); the filing is returned."""
    on = _registered_on(document)
    filing = _filing_for(document, on, _best_series(document, _plan_series(on)))
    saved, _created = Filing.objects.update_or_create(
        document=document,
        defaults={
            field: getattr(filing, field)
            for field in (
                "plan_id",
                "series_index",
                "retention_years",
                "final_action",
                "due_on",
                "filed_at",
                *FILING_COPIES,
            )
        },
    )
    return saved


def filings_file(documents: list[Document]) -> None:
    """File a batch of documents just registered by the bulk path (new, so none is filed yet): the
    nomenclature read once per registration date, the filings inserted at once."""
    plans: dict[dt.date, list[FileSeries]] = {}
    rows = []
    for document in documents:
        on = _registered_on(document)
        if on not in plans:
            plans[on] = _plan_series(on)
        rows.append(_filing_for(document, on, _best_series(document, plans[on])))
    Filing.objects.bulk_create(rows)


def _registered_on(document: Document) -> dt.date:
    registered = document.registered_at or timezone.now()
    return timezone.localdate(registered) if timezone.is_aware(registered) else registered.date()


def _filing_for(document: Document, on: dt.date, series: FileSeries | None) -> Filing:
    if series is not None:
        years, action, index, plan = series.retention_years, series.final_action, series.index, series.plan_id
    else:
        years = RETENTION_CLASSES.get(document.retention_class, (None, ""))[0]
        action = FinalAction.DESTROY if years is not None else FinalAction.TRANSFER
        index, plan = "", None
    return Filing(
        document=document,
        plan_id=plan,
        series_index=index,
        retention_years=years,
        final_action=action,
        due_on=due_date(on, years),
        filed_at=timezone.now(),
        disposed=document.state == "disposed",
        registry_number=document.registry_number,
        kind=document.kind,
        title=document.title,
        year=document.registry_year,
        org_path=document.org_path,
        subject_id=document.subject_id,
    )


def _locked_filing(document: Document, by: Any) -> tuple[Document, Filing]:
    locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    if not may_see(by, locked):
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    if not may_manage_files(by, locked):
        raise RecordsError("forbidden", _("Only the archivist may change where a record is filed."))
    filing = Filing.objects.filter(document=locked).first()
    if filing is None or locked.state == "disposed":
        raise RecordsError("not_filed", _("Only a registered record that is not destroyed is filed."))
    return locked, filing


def refuse_if_held(document: Document) -> None:
    """Raise naming the holds when `document` is under hold."""
    holds = holds_for(document)
    if holds:
        raise RecordsError(
            "held",
            _("This record is under hold (%(holds)s): it may be neither destroyed nor re-described."),
            holds="; ".join(f"#{h.pk} {h.reason}" for h in holds),
        )


def filing_refile(*, document: Document, by: Any, series_index: str, reason: str) -> Filing:
    """Move a record to another series of the nomenclature in force on its registration date, with a reason."""
    if not reason.strip():
        raise RecordsError("reason_required", _("Please give a reason."))
    with transaction.atomic():
        locked, filing = _locked_filing(document, by)
        refuse_if_held(locked)
        assert locked.registered_at is not None
        series = series_by_index(series_index.strip(), on=timezone.localdate(locked.registered_at))
        if series is None:
            raise RecordsError(
                "unknown_series", _("There is no series %(index)s in the file plan."), index=series_index
            )
        before = {"series": filing.series_index, "due_on": str(filing.due_on or "")}
        filing.plan_id = series.plan_id
        filing.series_index = series.index
        filing.retention_years = series.retention_years
        filing.final_action = series.final_action
        filing.due_on = due_date(timezone.localdate(locked.registered_at), series.retention_years)
        filing.save()
        audit_record(
            actor=by,
            action="document.refile",
            document=locked,
            changes={
                "series": {"from": before["series"], "to": filing.series_index},
                "due_on": {"from": before["due_on"], "to": str(filing.due_on or "")},
                "reason": reason.strip(),
            },
        )
    return filing


def filing_extend(*, document: Document, by: Any, years: int, reason: str) -> Filing:
    """Review: keep a record `years` longer than its series says, with a reason (audited)."""
    if not reason.strip():
        raise RecordsError("reason_required", _("Please give a reason."))
    if not 1 <= years <= 100:
        raise RecordsError("invalid_years", _("Extend by 1 to 100 years."))
    with transaction.atomic():
        locked, filing = _locked_filing(document, by)
        if filing.due_on is None:
            raise RecordsError("permanent", _("This record is kept permanently."))
        before = filing.due_on
        filing.due_on = before.replace(year=before.year + years)
        filing.save(update_fields=["due_on"])
        audit_record(
            actor=by,
            action="document.retention_extend",
            document=locked,
            changes={
                "due_on": {"from": str(before), "to": str(filing.due_on)},
                "years": years,
                "reason": reason.strip(),
            },
        )
    return filing


def filing_mark_transfer(*, document: Document, by: Any, reason: str = "") -> Filing:
    """Mark a record for transfer to the state archive (the transfer exports what is marked)."""
    with transaction.atomic():
        locked, filing = _locked_filing(document, by)
        refuse_if_held(locked)
        if filing.transfer_marked_at is None:
            filing.transfer_marked_at = timezone.now()
            filing.save(update_fields=["transfer_marked_at"])
            audit_record(
                actor=by,
                action="document.transfer_mark",
                document=locked,
                changes={"series": filing.series_index, "reason": reason.strip()},
            )
    return filing

"""The write path for documents: create, edit a draft, take a lifecycle transition."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from records import lifecycle
from records.errors import ConcurrentEdit, NotFoundOrForbidden, RecordsError
from records.kinds.base import get_kind
from records.models import Document, OrgUnit, Person, Signature, Version
from records.models.audit import canonical_json
from records.permissions import may, may_create
from records.services.audit import access_record, audit_record
from records.services.registration import registration_reserve_number
from records.services.rendering import document_render_pdf


def _data_sha256(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(set(old) | set(new))
    return {k: {"from": old.get(k), "to": new.get(k)} for k in keys if old.get(k) != new.get(k)}


def _document_insert(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    comment: str = "",
    registered_at: dt.datetime | None = None,
    audit_extra: dict[str, Any] | None = None,
) -> Document:
    """Validate `data` and insert a document with its version 1 and the "document.create" event.

    Shared by document_create (a draft) and records.projections.bulk (with `registered_at`: state
    registered, version frozen at that time; the caller reserves the number and projects).
    Permission and title checks are the caller's. Runs in the caller's transaction.
    """
    document_kind = get_kind(kind)
    clean = document_kind.validate(data)
    if document_kind.validate_db is not None:
        clean = document_kind.validate_db(clean, org_unit)
    document = Document(
        kind=kind,
        # Without a title the kind makes one from the data, in the document's language.
        title=(title.strip() or document_kind.make_title(clean, str(clean.get("language") or "ru")))[:500],
        org_unit=org_unit,
        org_path=org_unit.path,
        subject=subject,
        created_by=by,
        retention_class=document_kind.retention_class,
        **({"state": lifecycle.State.REGISTERED, "registered_at": registered_at} if registered_at else {}),
    )
    document.save()
    version = Version.objects.create(
        document=document,
        number=1,
        data=clean,
        data_sha256=_data_sha256(clean),
        author=by,
        comment=comment,
        frozen=registered_at is not None,
        frozen_at=registered_at,
    )
    document.current_version = version
    document.save(update_fields=["current_version"])
    audit_record(
        actor=by,
        action="document.create",
        document=document,
        changes={
            "kind": kind,
            "title": document.title,
            "org_unit": org_unit.code,
            "data": clean,
            **(audit_extra or {}),
        },
    )
    return document


def _after_commit(document: Document) -> None:
    """Follow-up work of a change, inside its transaction: the search outbox row, then the drain task after commit."""
    from records.services import hooks

    hooks.document_changed(document)


def document_create(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    comment: str = "",
) -> Document:
    """Draft a new document of `kind` owned by `org_unit`; version 1 holds the data."""
    document_kind = get_kind(kind)
    if not may_create(by, kind, org_unit):
        raise RecordsError(
            "forbidden",
            _("You may not draft a %(kind)s for %(unit)s."),
            kind=document_kind.name,
            unit=org_unit.name,
        )
    title = (title or "").strip()
    if not title:
        raise RecordsError("invalid_title", _("A document needs a title."))
    with transaction.atomic():
        document = _document_insert(
            by=by, kind=kind, org_unit=org_unit, title=title, data=data, subject=subject, comment=comment
        )
        _after_commit(document)
    return document


def _lock(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("current_version", "org_unit")
        .get(pk=document.pk)
    )


def document_update_draft(
    *,
    document: Document,
    by: Any,
    lock_version: int,
    title: str | None = None,
    data: dict[str, Any] | None = None,
    comment: str | None = None,
) -> Document:
    """Edit a draft in place. `lock_version` is what the editor loaded; a mismatch means someone else saved."""
    kind = get_kind(document.kind)
    clean = kind.validate(data) if data is not None else None
    if clean is not None and kind.validate_db is not None:
        clean = kind.validate_db(clean, document.org_unit)
    with transaction.atomic():
        locked = _lock(document)
        if locked.lock_version != lock_version:
            raise ConcurrentEdit(
                "concurrent_edit",
                _(
                    "This document was changed by someone else while you were editing. Reload it and apply your changes again."
                ),
            )
        if not may(by, "edit", locked):
            raise RecordsError("forbidden", _("You may not edit this document in its current state."))
        version = locked.current_version
        assert version is not None and not version.frozen
        changes: dict[str, Any] = {}
        if title is not None and title.strip() and title.strip() != locked.title:
            changes["title"] = {"from": locked.title, "to": title.strip()[:500]}
            locked.title = title.strip()[:500]
        if clean is not None and clean != version.data:
            changes["data"] = _diff(version.data, clean)
            version.data = clean
            version.data_sha256 = _data_sha256(clean)
        if comment is not None:
            version.comment = comment
        if changes.get("data") and version.author_id != by.pk:
            version.author = by  # a version names who wrote it (after a rejection: the one who fixed it)
        version.save(update_fields=["data", "data_sha256", "comment", "author"])
        locked.lock_version += 1
        locked.save(update_fields=["title", "lock_version", "updated_at"])
        audit_record(actor=by, action="document.edit", document=locked, changes=changes)
        _after_commit(locked)
    return locked


def available_transitions(document: Document, user: Any) -> list[str]:
    """Names of the transitions `user` may take now (for buttons and API choices)."""
    return [t.name for t in document.get_available_user_state_transitions(user)]  # type: ignore[attr-defined]


def document_transition(*, document: Document, by: Any, name: str, reason: str = "") -> Document:
    """Take lifecycle transition `name` with its side effects, in one transaction with its audit event.

    Approval reserves the number in that transaction; the PDF (which carries the number and QR code)
    is rendered after it commits and stored in a second short one (rendering never holds the write
    lock). A failed rendering leaves the document approved, unrendered and retryable, and raises.
    """
    if name not in lifecycle.TRANSITION_LABELS:
        raise RecordsError("unknown_transition", _("Unknown action %(name)s."), name=name)
    render_after = False
    with transaction.atomic():
        locked = _lock(document)
        method = getattr(locked, name)
        if not may(by, "view", locked):
            raise NotFoundOrForbidden("not_found", _("Document not found."))
        if not can_proceed(method) or not has_transition_perm(method, by):
            raise RecordsError(
                "transition_not_allowed",
                _("You cannot %(action)s this document while it is %(state)s."),
                action=str(lifecycle.TRANSITION_LABELS[name]).lower(),
                state=str(lifecycle.State(locked.state).label).lower(),
            )
        if name in lifecycle.NEEDS_REASON and not reason.strip():
            raise RecordsError("reason_required", _("Please give a reason."))
        if name == "start_signing" and locked.current_version and locked.current_version.pdf_blob_id is None:
            raise RecordsError(
                "not_rendered",
                _("The approved version has no PDF yet, so it cannot be signed. Render it first."),
            )
        state_before = locked.state
        changes: dict[str, Any] = {}
        method()
        update = ["state", "lock_version", "updated_at"]
        version = locked.current_version
        assert version is not None
        if name == "submit":
            kind = get_kind(locked.kind)
            if kind.validate_db is not None:  # the registry may have changed since drafting
                version.data = kind.validate_db(version.data, locked.org_unit)
            version.frozen = True
            version.frozen_at = timezone.now()
            version.data_sha256 = _data_sha256(version.data)
            version.save(update_fields=["data", "frozen", "frozen_at", "data_sha256"])
            changes["version"] = version.number
            changes["data_sha256"] = version.data_sha256
        elif name == "approve":
            changes["registry_number"] = registration_reserve_number(document=locked)
            update += ["registry_series", "registry_year", "registry_seq", "registry_number"]
            render_after = version.pdf_blob_id is None
        elif name == "reject":
            Signature.objects.filter(version=version, void=False).update(void=True)
            new_version = Version.objects.create(
                document=locked,
                number=version.number + 1,
                data=version.data,
                data_sha256=version.data_sha256,
                author=version.author,  # the draft goes back to its author; whoever edits it next signs it
                comment="",
            )
            locked.current_version = new_version
            update.append("current_version")
            changes["new_version"] = new_version.number
        elif name == "register":
            locked.registered_at = timezone.now()
            update.append("registered_at")
            kind = get_kind(locked.kind)
            if kind.project is not None:
                kind.project(locked, version)
        elif name == "dispose":
            from records.services.disposal import dispose_content

            changes["residual"] = dispose_content(locked)
        elif name == "revoke":
            kind = get_kind(locked.kind)
            if kind.unproject is not None:
                kind.unproject(locked, version)
        if reason:
            changes["reason"] = reason
        changes["state"] = {"from": state_before, "to": locked.state}
        locked.lock_version += 1
        locked.save(update_fields=update)
        audit_record(actor=by, action=f"document.{name}", document=locked, changes=changes)
        _after_commit(locked)
    if render_after:
        # The PDF the officials sign already carries its number and QR code.
        locked.current_version = document_render_pdf(document=locked, by=by)
    return locked


def document_submit(*, document: Document, by: Any) -> Document:
    """Freeze the current version and send it for review."""
    return document_transition(document=document, by=by, name="submit")


def document_approve(*, document: Document, by: Any) -> Document:
    """Approve in review; reserves the registry number."""
    return document_transition(document=document, by=by, name="approve")


def document_reject(*, document: Document, by: Any, reason: str) -> Document:
    """Send back to the author with a reason; a new draft version starts from the rejected data."""
    return document_transition(document=document, by=by, name="reject", reason=reason)


def document_record_view(*, document: Document, by: Any) -> None:
    """Views of restricted documents are evidence too: a read, kept without the chain head's lock."""
    access_record(actor=by, action="document.view", document=document)

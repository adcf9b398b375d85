"""The one lifecycle engine: create, edit a draft, take a lifecycle transition.

Every path that moves a document between states comes here — the back office, the API, signing,
certificate issuance, diploma batches and reissues, the demo's bulk registration — and only `_apply`
calls a transition method (tests/records/test_engine_only.py). Each transition's effects are declared
in `TRANSITION_EFFECTS`; a kind's projection hook returns what else should happen (`KindEffects`) and
the engine does it. When no official takes the step, the system does, as `records.actors.SYSTEM`
(its rule: `system_may`), and the audit trail says "system".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from records import lifecycle
from records.actors import SYSTEM, SYSTEM_TRANSITIONS, is_system
from records.errors import ConcurrentEdit, NotFoundOrForbidden, RecordsError
from records.kinds.base import KindEffects, get_kind
from records.kinds.titles import kind_titles, stored_titles
from records.lifecycle import RouteProgress
from records.models import Document, OrgUnit, Person, Signature, Version
from records.models.audit import canonical_json
from records.permissions import may, may_create, subjects_refusal
from records.selectors.holds import held_documents
from records.services import hooks
from records.services.audit import PendingEvent, access_record, audit_record, audit_record_many
from records.services.disposal import dispose_content
from records.services.fileplan import filing_file, filings_file, refuse_if_held
from records.services.registration import registration_reserve_number, registration_reserve_numbers
from records.services.rendering import document_render_pdf


def _data_sha256(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def _diff(old: dict[str, Any], new: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """What changed between two versions of the data, for the audit event: per key `{"from", "to"}`;
    inside lists and nested objects (a statement's 500 lines) only the items and keys that changed,
    so one typed score is one small entry, not the whole table twice."""
    keys = sorted(set(old) | set(new))
    return {k: _change(old.get(k), new.get(k), depth) for k in keys if old.get(k) != new.get(k)}


def _change(old: Any, new: Any, depth: int) -> Any:
    if depth < 3 and isinstance(old, dict) and isinstance(new, dict):
        return _diff(old, new, depth + 1)
    if depth < 3 and isinstance(old, list) and isinstance(new, list):
        changed: dict[str, Any] = {}
        for i in range(max(len(old), len(new))):
            before = old[i] if i < len(old) else None
            after = new[i] if i < len(new) else None
            if before != after:
                changed[str(i + 1)] = _change(before, after, depth + 1)
        return changed
    return {"from": old, "to": new}


def _document_insert(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    comment: str = "",
    check_subjects: bool = False,
) -> Document:
    """Validate `data` and insert a draft document with its version 1 and the "document.create" event.

    Permission and title checks are the caller's; `check_subjects` refuses data naming anyone
    outside `by`'s scope or the owning unit (before the registry is consulted, so the kind's own
    checks tell nothing about them). The system (records.actors) creates in the name of the person
    who asked (`for_user`). Runs in the caller's transaction.
    """
    document, clean = _document_build(
        by=by,
        kind=kind,
        org_unit=org_unit,
        title=title,
        data=data,
        subject=subject,
        check_subjects=check_subjects,
    )
    events: list[PendingEvent] = []
    _document_save(document, clean, by=by, comment=comment, events=events)
    (created,) = events
    audit_record(
        actor=created.actor, action=created.action, document=created.document, changes=created.changes
    )
    return document


def _document_build(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    registered_at: dt.datetime | None = None,
    check_subjects: bool = False,
) -> tuple[Document, dict[str, Any]]:
    """The unsaved document of validated `data` (registered at `registered_at` when given), and that data."""
    document_kind = get_kind(kind)
    author = by.for_user if is_system(by) else by
    clean = document_kind.validate(data)
    if check_subjects:
        _refuse_subjects(by, document_kind, org_unit, clean, step="draft")
    if document_kind.validate_db is not None:
        clean = document_kind.validate_db(clean, org_unit)
    titles = kind_titles(kind, clean)
    language = str(clean.get("language") or "ru")
    # Without a title the kind makes one from the data, in the document's language.
    title = (title.strip() or titles.get(language) or document_kind.make_title(clean, language))[:500]
    document = Document(
        kind=kind,
        title=title,
        titles=stored_titles(titles, title),
        org_unit=org_unit,
        org_path=org_unit.path,
        subject=subject,
        created_by=author,
        retention_class=document_kind.retention_class,
        **({"state": lifecycle.State.REGISTERED, "registered_at": registered_at} if registered_at else {}),
    )
    return document, clean


def _document_save(
    document: Document,
    clean: dict[str, Any],
    *,
    by: Any,
    comment: str = "",
    audit_extra: dict[str, Any] | None = None,
    events: list[PendingEvent],
) -> Version:
    """Insert a built document and its version 1 (frozen when registered); its "document.create"
    event is added to `events` for the caller to append to the chain."""
    author = by.for_user if is_system(by) else by
    registered_at = document.registered_at if document.state == lifecycle.State.REGISTERED else None
    document.save()
    version = Version.objects.create(
        document=document,
        number=1,
        data=clean,
        data_sha256=_data_sha256(clean),
        author=author,
        comment=comment,
        frozen=registered_at is not None,
        frozen_at=registered_at,
    )
    document.current_version = version
    document.save(update_fields=["current_version"])
    events.append(
        PendingEvent(
            actor=by,
            action="document.create",
            document=document,
            changes={
                "kind": document.kind,
                "title": document.title,
                "org_unit": document.org_unit.code,
                "data": clean,
                **(audit_extra or {}),
            },
        )
    )
    return version


def _refuse_subjects(by: Any, kind: Any, org_unit: OrgUnit, data: dict[str, Any], *, step: Any) -> None:
    """Authority follows the subject: raise when `data` names anyone outside `by`'s scope or the unit."""
    refusal = subjects_refusal(by, kind=kind, org_unit=org_unit, data=data, step=step)
    if refusal is not None:
        raise refusal


def _after_commit(document: Document) -> None:
    """Follow-up work of a change, inside its transaction: the search outbox row, then the drain task after commit."""
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
    """Draft a new document of `kind` owned by `org_unit`; version 1 holds the data.

    The system (records.actors) drafts only for a person who asked (`SystemActor(for_user=...)`): the
    document is theirs, and it may name only them and their own unit (records.permissions).
    """
    document_kind = get_kind(kind)
    if is_system(by) and by.for_user is None:
        raise RecordsError("forbidden", _("The system drafts a document only for a person who asked for it."))
    if not is_system(by) and not may_create(by, kind, org_unit):
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
            by=by,
            kind=kind,
            org_unit=org_unit,
            title=title,
            data=data,
            subject=subject,
            comment=comment,
            check_subjects=True,
        )
        _after_commit(document)
    return document


def _lock(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("current_version", "org_unit")
        .get(pk=document.pk)
    )


def _lock_or_none(pk: int) -> Document | None:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("current_version", "org_unit")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class RegisteredItem:
    """One document of a bulk registration (`documents_create_registered`)."""

    kind: str
    org_unit: OrgUnit
    title: str
    data: dict[str, Any]
    subject: Person | None = None


def document_create_registered(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    registered_at: dt.datetime | None = None,
) -> Document:
    """Bulk registration of one document (demo histories): see `documents_create_registered`."""
    item = RegisteredItem(kind=kind, org_unit=org_unit, title=title, data=data, subject=subject)
    return documents_create_registered(by=by, items=[item], registered_at=registered_at)[0]


def documents_create_registered(
    *, by: Any, items: list[RegisteredItem], registered_at: dt.datetime | None = None
) -> list[Document]:
    """Bulk registration (demo histories, imports, benches): documents already registered, without
    rendering or signatures, in ONE transaction for the whole batch. Each gets the same validation and
    create event by `by`; the effects of `register` (number, registration time, projection and what
    it asks) are taken by the system and recorded as "bulk". The numbers of a series are reserved
    under one lock of its counter, the audit events appended to the chain in one go (hashed in
    order: each document's create event, then what its projection asked, then its register event),
    the search outbox rows inserted at once. Any refusal rolls the whole batch back."""
    now = registered_at or timezone.now()
    with transaction.atomic():
        built = [
            _document_build(
                by=by,
                kind=item.kind,
                org_unit=item.org_unit,
                title=item.title,
                data=item.data,
                subject=item.subject,
                registered_at=now,
            )
            for item in items
        ]
        documents = [document for document, _clean in built]
        registration_reserve_numbers(documents=documents)
        events: list[PendingEvent] = []
        for document, clean in built:
            version = _document_save(document, clean, by=by, audit_extra={"bulk": True}, events=events)
            document_kind = get_kind(document.kind)
            if document_kind.check_complete is not None:
                document_kind.check_complete(version.data)
            project = document_kind.project
            effects = project(document, version) if project is not None else None
            if effects is not None and effects.supersede:
                audit_record_many(events)  # the chain keeps the order: what came before the supersede
                events = []
                _apply_kind_effects(document, effects)
            events.append(
                PendingEvent(
                    actor=SYSTEM,
                    action="document.register",
                    document=document,
                    changes={
                        "registry_number": document.registry_number,
                        "bulk": True,
                        "state": {"to": lifecycle.State.REGISTERED},
                    },
                )
            )
        audit_record_many(events)
        filings_file(documents)
        hooks.documents_changed(documents)
    return documents


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
    if clean is not None:
        _refuse_subjects(by, kind, document.org_unit, clean, step="draft")
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
            refuse_if_held(locked)  # a hold freezes the record's description too
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
        if changes:
            locked.titles = stored_titles(kind_titles(locked.kind, version.data), locked.title)
        locked.lock_version += 1
        locked.save(update_fields=["title", "titles", "lock_version", "updated_at"])
        audit_record(actor=by, action="document.edit", document=locked, changes=changes)
        _after_commit(locked)
    return locked


@dataclass(frozen=True)
class Effects:
    """What a transition does besides moving the state (the engine's declared table)."""

    subjects_step: Literal["draft", "approve"] | None = None  # whom the data names is checked again
    needs_pdf: bool = False  # refused while the current version has no archival PDF
    freeze: bool = False  # the current version is frozen (data re-checked, hash taken)
    reserve_and_render: bool = False  # registry number reserved now; the PDF rendered after commit
    void_signatures: bool = False  # signatures void, a new draft version from the same data
    register_and_project: bool = False  # registration time; the kind's projection (and what it asks)
    unproject: bool = False  # the kind's projection is undone
    supersede: bool = False  # `superseded_by` is recorded (by the engine's supersede effect)
    dispose: bool = False  # content destroyed, a residual record kept


TRANSITION_EFFECTS: dict[str, Effects] = {
    "submit": Effects(subjects_step="draft", freeze=True),
    "approve": Effects(subjects_step="approve", reserve_and_render=True),
    "reject": Effects(void_signatures=True),
    "start_signing": Effects(needs_pdf=True),
    "register": Effects(register_and_project=True),
    "revoke": Effects(unproject=True),
    "supersede": Effects(supersede=True),
    "archive": Effects(),
    "dispose": Effects(dispose=True),
}


def system_may(name: str) -> bool:
    """The system actor's rule (records.actors): only the transitions no official must decide."""
    return name in SYSTEM_TRANSITIONS


def _allowed(by: Any, name: str, document: Document) -> bool:
    if is_system(by):
        # Archiving and destroying are an official's decision: the system takes them only for a
        # registered disposition act, which the engine puts on the record (`disposal_act`).
        if name in ("archive", "dispose") and getattr(document, "disposal_act", None) is not None:
            return True
        return system_may(name)
    return may(by, name, document)


def _with_route(document: Document, route: RouteProgress | None = None) -> Document:
    """Put the route's progress on `document` once, where a condition needs it (only while signing)."""
    if route is not None:
        document.route_progress = route
    elif document.state == lifecycle.State.SIGNING and document.route_progress is None:
        document.route_progress = route_progress(document)
    return document


def route_progress(document: Document) -> RouteProgress:
    """Which steps of the kind's route have signed the current version (one query)."""
    signed = Signature.objects.filter(
        document=document, version=document.current_version, void=False
    ).values_list("step", flat=True)
    return lifecycle.route_progress_of(get_kind(document.kind).signing_route, set(signed))


def available_transitions(document: Document, user: Any) -> list[str]:
    """Names of the transitions `user` may take now (for buttons and API choices)."""
    _with_route(document)
    return [
        t.name
        for t in document.get_available_state_transitions()  # type: ignore[attr-defined]
        if _allowed(user, t.name, document)
    ]


def _refuse_transition(locked: Document, by: Any, name: str, reason: str) -> None:
    """Raise unless `by` may take `name` on `locked` now (it is visible, allowed, and given a reason)."""
    if not is_system(by) and not may(by, "view", locked):
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    if name == "dispose":
        refuse_if_held(locked)  # a hold stops every path, the act's own included
    if name == "dispose" and getattr(locked, "disposal_act", None) is None and locked.state == "archived":
        raise RecordsError(
            "disposal_needs_act",
            _("Only a registered disposition act destroys a record: list it in one."),
        )
    if not can_proceed(getattr(locked, name)) or not _allowed(by, name, locked):
        raise RecordsError(
            "transition_not_allowed",
            _("You cannot %(action)s this document while it is %(state)s."),
            action=str(lifecycle.TRANSITION_LABELS[name]).lower(),
            state=str(lifecycle.State(locked.state).label).lower(),
        )
    if name in lifecycle.NEEDS_REASON and not reason.strip() and not is_system(by):
        # The system supersedes only on a registration, which its event names.
        raise RecordsError("reason_required", _("Please give a reason."))


def _apply(
    locked: Document,
    *,
    by: Any,
    name: str,
    reason: str = "",
    route: RouteProgress | None = None,
    superseded_by: Document | None = None,
    extra: dict[str, Any] | None = None,
) -> bool:
    """Take transition `name` on the locked document with its declared effects and its audit event.

    The one place a transition method is called. Runs in the caller's transaction; returns whether
    the PDF must be rendered after commit.
    """
    _refuse_transition(_with_route(locked, route), by, name, reason)
    effects = TRANSITION_EFFECTS[name]
    kind = get_kind(locked.kind)
    version = locked.current_version
    assert version is not None
    if effects.subjects_step is not None:
        # Whom the document names may have moved since drafting; the approver answers for them too.
        _refuse_subjects(by, kind, locked.org_unit, version.data, step=effects.subjects_step)
    if kind.disposes is not None and name in ("submit", "approve", "start_signing", "register"):
        _refuse_held_records(kind.disposes(version.data))
    if effects.needs_pdf and version.pdf_blob_id is None:
        raise RecordsError(
            "not_rendered",
            _("The approved version has no PDF yet, so it cannot be signed. Render it first."),
        )
    state_before = locked.state
    changes: dict[str, Any] = {}
    update = ["state", "lock_version", "updated_at"]
    render_after = False
    getattr(locked, name)()
    if effects.freeze:
        _freeze(locked, version, kind, changes)
    if effects.reserve_and_render:
        changes["registry_number"] = registration_reserve_number(document=locked)
        update += ["registry_series", "registry_year", "registry_seq", "registry_number"]
        render_after = version.pdf_blob_id is None
    if effects.void_signatures:
        update.append(_new_draft_version(locked, version, changes))
    if effects.register_and_project:
        locked.registered_at = timezone.now()
        update.append("registered_at")
    if effects.supersede and superseded_by is not None:
        locked.superseded_by = superseded_by
        update.append("superseded_by")
        changes["superseded_by"] = superseded_by.registry_number
    if effects.dispose:
        changes["residual"] = dispose_content(locked)
    if effects.unproject and kind.unproject is not None:
        kind.unproject(locked, version)
    if reason:
        changes["reason"] = reason
    changes.update(extra or {})
    if effects.register_and_project and kind.check_complete is not None:
        kind.check_complete(version.data)
    if effects.register_and_project and kind.project is not None:
        _apply_kind_effects(locked, kind.project(locked, version))
    changes["state"] = {"from": state_before, "to": locked.state}
    locked.lock_version += 1
    locked.save(update_fields=update)
    audit_record(actor=by, action=f"document.{name}", document=locked, changes=changes)
    if effects.register_and_project:
        filing_file(locked)
        hooks.document_signed(locked)  # the last signature: reports prepared in the background
        if kind.disposes is not None:
            _dispose_listed(locked, kind.disposes(version.data))
    _after_commit(locked)
    return render_after


def _refuse_held_records(ids: list[int]) -> None:
    """A disposition act goes no further while a record it lists is under hold; the refusal names them."""
    held = held_documents(Document.objects.filter(pk__in=ids).select_related("current_version"))
    if held:
        numbers = (
            Document.objects.filter(pk__in=sorted(held))
            .order_by("id")
            .values_list("registry_number", flat=True)
        )
        raise RecordsError(
            "held_records",
            _("These records are under hold and cannot be destroyed: %(numbers)s."),
            numbers=", ".join(numbers),
        )


def _dispose_listed(act: Document, ids: list[int]) -> None:
    """The registered act's effect: each listed record is archived if need be, then disposed of by the
    system in the act's name (content destroyed, residual record kept; records.services.disposal)."""
    for pk in ids:
        record = _lock_or_none(pk)
        if record is None or record.state == lifecycle.State.DISPOSED:
            continue
        record.disposal_act = act
        extra = {"act": act.registry_number, "act_id": act.pk}
        if record.state != lifecycle.State.ARCHIVED:
            _apply(record, by=SYSTEM, name="archive", extra=extra)
        _apply(record, by=SYSTEM, name="dispose", extra=extra)


def _freeze(document: Document, version: Version, kind: Any, changes: dict[str, Any]) -> None:
    if kind.validate_db is not None:  # the registry may have changed since drafting
        version.data = kind.validate_db(version.data, document.org_unit)
    if kind.check_complete is not None:
        kind.check_complete(version.data)
    version.frozen = True
    version.frozen_at = timezone.now()
    version.data_sha256 = _data_sha256(version.data)
    version.save(update_fields=["data", "frozen", "frozen_at", "data_sha256"])
    changes["version"] = version.number
    changes["data_sha256"] = version.data_sha256


def _new_draft_version(document: Document, version: Version, changes: dict[str, Any]) -> str:
    Signature.objects.filter(version=version, void=False).update(void=True)
    new_version = Version.objects.create(
        document=document,
        number=version.number + 1,
        data=version.data,
        data_sha256=version.data_sha256,
        author=version.author,  # the draft goes back to its author; whoever edits it next signs it
        comment="",
    )
    document.current_version = new_version
    changes["new_version"] = new_version.number
    return "current_version"


def _apply_kind_effects(document: Document, effects: KindEffects | None) -> None:
    """What a kind's projection asked for, done by the engine as the system (a reissue supersedes)."""
    if effects is None:
        return
    for old_id in effects.supersede:
        old = _lock_or_none(old_id)
        if old is None or old.state != lifecycle.State.REGISTERED:
            continue
        _apply(old, by=SYSTEM, name="supersede", superseded_by=document)


def document_transition(
    *, document: Document, by: Any, name: str, reason: str = "", route: RouteProgress | None = None
) -> Document:
    """Take lifecycle transition `name` with its side effects, in one transaction with its audit event.

    Approval reserves the number in that transaction; the PDF (which carries the number and QR code)
    is rendered after it commits and stored in a second short one (rendering never holds the write
    lock). A failed rendering leaves the document approved, unrendered and retryable, and raises.
    `route`: the route's progress when the caller has just computed it under the same lock (the last
    signature registers), so it is not computed twice.
    """
    if name not in lifecycle.TRANSITION_LABELS:
        raise RecordsError("unknown_transition", _("Unknown action %(name)s."), name=name)
    with transaction.atomic():
        locked = _lock(document)
        render_after = _apply(locked, by=by, name=name, reason=reason, route=route)
    if render_after:
        # The PDF the officials sign already carries its number and QR code.
        locked.current_version = document_render_pdf(document=locked, by=by)
    return locked


def document_walk(
    *, document: Document, by: Any, names: tuple[str, ...], extra: dict[str, Any] | None = None
) -> Document:
    """Take several transitions in one transaction (a system path: submit and approve a batch's
    document together). Nothing is rendered here: the caller renders after commit
    (rendering.documents_render_pdf), then sends it on."""
    with transaction.atomic():
        locked = _lock(document)
        for name in names:
            _apply(locked, by=by, name=name, extra=extra)
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

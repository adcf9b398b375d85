"""Endpoints of documents: thin views over the selectors (reads) and services (writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from records.api.schemas import (
    MAX_ID,
    AuditEventOut,
    DocumentCreateIn,
    DocumentDetailOut,
    DocumentListParams,
    DocumentPageOut,
    DocumentUpdateIn,
    ErrorOut,
    TransitionIn,
    TransitionOut,
    VersionOut,
    audit_event_out,
    document_detail_out,
    document_out,
    page_of,
    transition_out,
    version_out,
)
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document
from records.selectors.document import (
    DocumentFilters,
    document_get,
    document_trail,
    document_versions,
    documents_filtered,
)
from records.selectors.org import org_unit_find
from records.services.document import (
    available_transitions,
    document_create,
    document_record_view,
    document_transition,
    document_update_draft,
)

router = Router(tags=["documents"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DocumentId = Path(..., ge=1, le=MAX_ID, description="Document id")
TransitionName = Path(..., max_length=50, description="Transition name (see /documents/{id}/transitions)")


def _detail(document: Document, user: Any) -> DocumentDetailOut:
    return document_detail_out(document, available_transitions(document, user))


@router.get("/documents", response={200: DocumentPageOut, **ERRORS}, summary="List documents")
def list_documents(request: HttpRequest, params: Query[DocumentListParams]) -> DocumentPageOut:
    """Documents the caller may see, filtered like the back office list; `count` is the total."""
    if params.kind:
        get_kind(params.kind)  # an unknown kind is an error, not an empty page
    filters = DocumentFilters(
        kind=params.kind,
        state=params.state.value if params.state else "",
        org_unit=params.org_unit,
        year=params.year,
        q=params.q,
    )
    documents = documents_filtered(user=request.auth, filters=filters)  # type: ignore[attr-defined]
    page, counts = page_of(documents, params)
    return DocumentPageOut(**counts, items=[document_out(document) for document in page])


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS}, summary="Draft a document")
def create_document(request: HttpRequest, payload: DocumentCreateIn) -> Status[DocumentDetailOut]:
    """Draft a new document of a kind for an org unit; the caller needs a creator role there."""
    user = request.auth  # type: ignore[attr-defined]
    get_kind(payload.kind)
    org_unit = org_unit_find(payload.org_unit)
    if org_unit is None:
        raise RecordsError("unknown_org_unit", _("There is no org unit %(id)s."), id=payload.org_unit)
    document = document_create(
        by=user,
        kind=payload.kind,
        org_unit=org_unit,
        title=payload.title,
        data=payload.data,
        comment=payload.comment,
    )
    return Status(201, _detail(document, user))


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="Get a document")
def get_document(request: HttpRequest, document_id: int = DocumentId) -> DocumentDetailOut:
    """A document with its current version and allowed transitions; the view is audited."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    document_record_view(document=document, by=user)
    return _detail(document, user)


@router.patch(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, 409: ErrorOut, **ERRORS},
    summary="Edit a draft",
)
def update_document(
    request: HttpRequest, payload: DocumentUpdateIn, document_id: int = DocumentId
) -> DocumentDetailOut:
    """Edit the title and/or data of a draft; a stale `lock_version` gives 409."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    document = document_update_draft(
        document=document,
        by=user,
        lock_version=payload.lock_version,
        title=payload.title,
        data=payload.data,
        comment=payload.comment,
    )
    return _detail(document, user)


@router.get(
    "/documents/{document_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="List the versions of a document",
)
def list_versions(request: HttpRequest, document_id: int = DocumentId) -> list[VersionOut]:
    """All versions, newest first."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    return [version_out(version) for version in document_versions(user=user, document=document)]


@router.get(
    "/documents/{document_id}/audit",
    response={200: list[AuditEventOut], **ERRORS},
    summary="The audit trail of a document",
)
def list_audit_events(request: HttpRequest, document_id: int = DocumentId) -> list[AuditEventOut]:
    """The document's events, oldest first; staff with scope and the author only."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    return [audit_event_out(event) for event in document_trail(user=user, document=document)]


@router.get(
    "/documents/{document_id}/transitions",
    response={200: list[TransitionOut], **ERRORS},
    summary="Transitions the caller may take now",
)
def list_transitions(request: HttpRequest, document_id: int = DocumentId) -> list[TransitionOut]:
    """Names and labels of the transitions the caller may take in the current state."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    return [transition_out(name) for name in available_transitions(document, user)]


@router.post(
    "/documents/{document_id}/transitions/{name}",
    response={200: DocumentDetailOut, 409: ErrorOut, **ERRORS},
    summary="Take a transition",
)
def take_transition(
    request: HttpRequest,
    payload: TransitionIn | None = None,
    document_id: int = DocumentId,
    name: str = TransitionName,
) -> DocumentDetailOut:
    """Take transition `name` (submit, approve, reject, ...); some need a `reason`."""
    user = request.auth  # type: ignore[attr-defined]
    document = document_get(user=user, pk=document_id)
    reason = payload.reason if payload is not None else ""
    document = document_transition(document=document, by=user, name=name, reason=reason)
    return _detail(document, user)

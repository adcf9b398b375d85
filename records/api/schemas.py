"""Request and response shapes of the JSON API, and the functions that fill them from the domain."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, field_validator

from records import lifecycle
from records.kinds.base import DocumentKind, get_kind
from records.models import AccessEvent, AuditEvent, Document, Version
from records.selectors.document import MAX_YEAR, MIN_YEAR

# Upper bound of a database id (a signed 64-bit integer); larger numbers are refused as input.
MAX_ID = 2**63 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10**9

Row = TypeVar("Row", bound=Model)


def _refuse_nul(value: Any) -> Any:
    """NUL characters cannot be stored by PostgreSQL: refuse them at the edge, anywhere in the value."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)
    return value


class NoNulSchema(BaseModel):
    """Strict input: no unknown fields, no objects of other shapes, no NUL characters (also in `data`)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


# --- input --------------------------------------------------------------------------------------


class PageParams(NoNulSchema):
    """The page asked for: at most `limit` items after the first `offset` (every list endpoint)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size (at most 200)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Number of items to skip")


class DocumentListParams(PageParams):
    """Filters and page of the document list (query string)."""

    kind: str = Field("", max_length=50, description="Kind code, e.g. internal_order")
    state: lifecycle.State | None = Field(None, description="Lifecycle state")
    org_unit: int | None = Field(None, ge=1, le=MAX_ID, description="Org unit id (its subtree is included)")
    year: int | None = Field(
        None, ge=MIN_YEAR, le=MAX_YEAR, description="Registry year (creation year when unnumbered)"
    )
    q: str = Field("", max_length=200, description="Part of the registry number or title")


class DocumentCreateIn(NoNulSchema):
    """A new draft."""

    kind: str = Field(..., min_length=1, max_length=50)
    org_unit: int = Field(..., ge=1, le=MAX_ID, description="Id of the org unit that owns the document")
    title: str = Field(..., min_length=1, max_length=500)
    data: dict[str, Any] = Field(default_factory=dict, description="Data by the kind's schema (GET /kinds)")
    comment: str = Field("", max_length=2000)


class DocumentUpdateIn(NoNulSchema):
    """An edit of a draft; `lock_version` is the one the client loaded (optimistic locking)."""

    lock_version: int = Field(..., ge=0, le=MAX_ID)
    title: str | None = Field(None, min_length=1, max_length=500)
    data: dict[str, Any] | None = None
    comment: str | None = Field(None, max_length=2000)


class TransitionIn(NoNulSchema):
    """Optional body of a transition: the reason, required for reject, revoke, supersede, dispose."""

    reason: str = Field("", max_length=2000)


# --- output -------------------------------------------------------------------------------------


class OrgUnitOut(Schema):
    """An org unit as shown next to a document."""

    id: int
    code: str
    name: str


class TransitionOut(Schema):
    """A transition the current user may take now."""

    name: str
    label: str
    irreversible: bool
    needs_reason: bool


class DocumentOut(Schema):
    """A document in lists."""

    id: int
    kind: str
    kind_name: str
    title: str
    state: str
    state_label: str
    registry_number: str
    year: int
    org_unit: OrgUnitOut
    subject_id: int | None
    lock_version: int
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class VersionOut(Schema):
    """A version of a document's data."""

    number: int
    data: dict[str, Any]
    data_sha256: str
    frozen: bool
    frozen_at: dt.datetime | None
    author: str
    comment: str
    created_at: dt.datetime
    has_pdf: bool


class DocumentDetailOut(DocumentOut):
    """A document with its current version and the transitions the current user may take."""

    registered_at: dt.datetime | None
    current_version: VersionOut | None
    transitions: list[TransitionOut]


class PageOut(Schema):
    """One page of a list: `count` is the total of matching items."""

    count: int
    limit: int
    offset: int


def page_of(rows: QuerySet[Row], params: PageParams) -> tuple[list[Row], dict[str, int]]:
    """The rows of the page asked for, and the page's `count`, `limit` and `offset` for its PageOut."""
    page = list(rows[params.offset : params.offset + params.limit])
    return page, {"count": rows.count(), "limit": params.limit, "offset": params.offset}


class DocumentPageOut(PageOut):
    """One page of the document list with the total count of matching documents."""

    items: list[DocumentOut]


class AuditEventOut(Schema):
    """One entry of a document's audit trail: a chained event (`kind` "event", with its hash) or a
    read from the access log (`kind` "read": a view, a download, a report; no hash of its own)."""

    id: int
    kind: str = "event"
    created_at: dt.datetime
    actor: str
    action: str
    changes: dict[str, Any]
    hash: str


class KindOut(Schema):
    """A document kind with the JSON schema of its data."""

    code: str
    name: str
    names: dict[str, str]
    series: str
    data_schema: dict[str, Any]
    sample_data: dict[str, Any]


class ErrorOut(Schema):
    """Every error: a stable code for programs and a translated message for people."""

    code: str
    message: str
    detail: list[dict[str, Any]] | None = None


# --- filling ------------------------------------------------------------------------------------


def transition_out(name: str) -> TransitionOut:
    """Describe transition `name`."""
    return TransitionOut(
        name=name,
        label=str(lifecycle.TRANSITION_LABELS[name]),
        irreversible=name in lifecycle.IRREVERSIBLE,
        needs_reason=name in lifecycle.NEEDS_REASON,
    )


def _document_fields(document: Document) -> dict[str, Any]:
    unit = document.org_unit
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_name": get_kind(document.kind).name,
        "title": document.title,
        "state": document.state,
        "state_label": str(lifecycle.State(document.state).label),
        "registry_number": document.registry_number,
        "year": document.year,
        "org_unit": OrgUnitOut(id=unit.pk, code=unit.code, name=unit.name),
        "subject_id": document.subject_id,
        "lock_version": document.lock_version,
        "created_by": document.created_by.get_username(),
        "created_at": document.created_at,
        "updated_at": document.updated_at,
    }


def document_out(document: Document) -> DocumentOut:
    """A list row; uses only what `documents_visible_to` already joined."""
    return DocumentOut(**_document_fields(document))


def version_out(version: Version) -> VersionOut:
    """A version; expects `author` joined."""
    return VersionOut(
        number=version.number,
        data=version.data,
        data_sha256=version.data_sha256,
        frozen=version.frozen,
        frozen_at=version.frozen_at,
        author=version.author.get_username(),
        comment=version.comment,
        created_at=version.created_at,
        has_pdf=version.pdf_blob_id is not None,
    )


def document_detail_out(document: Document, transitions: list[str]) -> DocumentDetailOut:
    """The detail of a document with the names of the transitions the user may take."""
    version = document.current_version
    return DocumentDetailOut(
        **_document_fields(document),
        registered_at=document.registered_at,
        current_version=version_out(version) if version is not None else None,
        transitions=[transition_out(name) for name in transitions],
    )


def audit_event_out(event: AuditEvent | AccessEvent) -> AuditEventOut:
    """An audit event, or a read of the access log."""
    return AuditEventOut(
        id=event.pk,
        kind="read" if isinstance(event, AccessEvent) else "event",
        created_at=event.created_at,
        actor=event.actor_repr,
        action=event.action,
        changes=event.changes,
        hash=event.hash if isinstance(event, AuditEvent) else "",
    )


def kind_out(kind: DocumentKind) -> KindOut:
    """A kind with the JSON schema of its pydantic data model."""
    return KindOut(
        code=kind.code,
        name=kind.name,
        names=dict(kind.names),
        series=kind.series,
        data_schema=kind.schema.model_json_schema(),
        sample_data=dict(kind.sample_data),
    )

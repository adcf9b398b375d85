"""Permission-aware reads: every list, detail page, export and search result passes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from records.errors import NotFoundOrForbidden
from records.kinds.base import all_kinds
from records.lifecycle import State
from records.models import (
    AccessEvent,
    ArchiveTimestamp,
    AuditEvent,
    Blob,
    Document,
    OrgUnit,
    Signature,
    Version,
)
from records.permissions import (
    grants,
    may,
    under_path_q,
    visible_documents_q,
)

# Years a document list may be filtered by (the API and the back office alike): year 1 would overflow
# the date range of a creation-year filter.
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass
class DocumentFilters:
    """Filters shared by the back office list, the API and exports."""

    kind: str = ""
    state: str = ""
    org_unit: int | None = None
    year: int | None = None
    q: str = ""


def documents_visible_to(*, user: Any) -> QuerySet[Document]:
    """The documents `user` may see, with what list pages need already joined."""
    return (
        Document.objects.filter(visible_documents_q(user))
        .select_related("org_unit", "subject", "created_by")
        .order_by("-created_at", "-id")
    )


def documents_filtered(*, user: Any, filters: DocumentFilters) -> QuerySet[Document]:
    """Visible documents narrowed by kind, state, org unit (with its subtree), year and number/title."""
    qs = documents_visible_to(user=user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.org_unit:
        unit = OrgUnit.objects.filter(pk=filters.org_unit).first()
        qs = qs.filter(under_path_q(unit.path)) if unit else qs.none()
    if filters.year:
        qs = qs.filter(
            Q(registry_year=filters.year) | Q(registry_year__isnull=True, created_at__year=filters.year)
        )
    text = filters.q.strip()[:200]
    if text:
        qs = qs.filter(search_key__contains=text.casefold())
    return qs


def document_get(*, user: Any, pk: int | str) -> Document:
    """One document the user may see; absent and forbidden look the same (no existence leak)."""
    try:
        document = documents_visible_to(user=user).select_related("current_version").get(pk=int(pk))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden("not_found", _("Document not found.")) from None
    return document


def document_get_by_number_or_id(*, user: Any, ref: str) -> Document:
    """By registry number, verification code or id."""
    qs = documents_visible_to(user=user)
    document = qs.filter(Q(registry_number=ref) | Q(verification_code=ref)).first()
    if document is None and ref.isdigit():
        document = qs.filter(pk=int(ref)).first()
    if document is None:
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    return document


def document_versions(*, user: Any, document: Document) -> QuerySet[Version]:
    if not may(user, "view", document):
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    return Version.objects.filter(document=document).select_related("author", "pdf_blob").order_by("-number")


def document_audit_trail(*, user: Any, document: Document) -> QuerySet[AuditEvent]:
    """The document's events; staff with scope and staff authors see them, students never do."""
    if not may(user, "audit", document):
        raise NotFoundOrForbidden("not_found", _("Audit trail not available."))
    return AuditEvent.objects.filter(document=document).select_related("actor").order_by("id")


def document_trail(
    *, user: Any, document: Document, reads: int | None = None
) -> list[AuditEvent | AccessEvent]:
    """The document's events and its reads (views, downloads, reports) in time order, for the same
    people as its audit trail (NotFoundOrForbidden otherwise); with `reads`, only the newest `reads`
    reads (every event still): a much-read document's page does not grow with each read."""
    events = list(document_audit_trail(user=user, document=document))
    newest = AccessEvent.objects.filter(document=document).select_related("actor").order_by("-id")
    chosen = list(newest[:reads] if reads is not None else newest)[::-1]  # oldest first again
    return sorted([*events, *chosen], key=lambda entry: entry.created_at)


def document_newest_read(document: Document) -> int:
    """The id of the document's newest recorded read (0: none): a cached trail is keyed by it."""
    return (
        AccessEvent.objects.filter(document=document).order_by("-id").values_list("id", flat=True).first()
        or 0
    )


def documents_waiting_for(*, user: Any) -> QuerySet[Document]:
    """Documents where the user can act now: review for approvers, signing for route officials."""

    visible = documents_visible_to(user=user)
    roles = {g.role for g in grants(user)}
    q = Q(created_by=user, state=State.DRAFT)
    for kind in all_kinds():
        if roles & set(kind.approver_roles):
            q |= Q(kind=kind.code, state=State.REVIEW) & ~Q(created_by=user)
            q |= Q(kind=kind.code, state=State.APPROVED)
        if roles & {s.role for s in kind.signing_route}:
            q |= Q(kind=kind.code, state=State.SIGNING)
    return visible.filter(q)


def document_current_pdf(document: Document) -> bytes | None:
    """Bytes of the newest PDF of the current version: renewed, else signed, else rendered."""
    blob = documents_current_pdf_blobs([document]).get(document.pk)
    return blob.read() if blob is not None else None


def document_current_pdf_unless(document: Document, etags: str) -> tuple[str, bytes | None] | None:
    """The newest PDF's entity tag (its SHA-256, quoted) and bytes, the bytes None when ``etags`` (an
    If-None-Match header) already names it, so a client's cached copy is confirmed without reading
    the file; None: no PDF."""
    blob = documents_current_pdf_blobs([document]).get(document.pk)
    if blob is None:
        return None
    tag = f'"{blob.sha256}"'
    if tag in [t.strip() for t in etags.split(",")] or etags.strip() == "*":
        return tag, None
    return tag, blob.read()


def documents_current_pdf_blobs(documents: list[Document]) -> dict[int, Blob | None]:
    """The blob of the newest PDF of each document's current version (renewed, else signed, else
    rendered; None: no PDF), by document id, in three queries whatever the number of documents."""
    ids = [document.pk for document in documents]
    chosen: dict[int, Blob | None] = {}
    for renewal in (
        ArchiveTimestamp.objects.filter(document_id__in=ids).select_related("pdf_blob").order_by("-id")
    ):
        chosen.setdefault(renewal.document_id, renewal.pdf_blob)
    versions = {document.pk: document.current_version_id for document in documents}
    for signature in (
        Signature.objects.filter(document_id__in=[i for i in ids if i not in chosen], void=False)
        .exclude(pdf_blob=None)
        .select_related("pdf_blob")
        .order_by("-revision", "-id")
    ):
        if signature.version_id == versions[signature.document_id]:
            chosen.setdefault(signature.document_id, signature.pdf_blob)
    rendered = {
        version.document_id: version.pdf_blob
        for version in Version.objects.filter(
            pk__in=[versions[i] for i in ids if i not in chosen and versions[i] is not None]
        ).select_related("pdf_blob")
    }
    return {i: chosen[i] if i in chosen else rendered.get(i) for i in ids}


def documents_by_ids(ids: list[int]) -> QuerySet[Document]:
    """The documents with these ids (the caller already holds them, e.g. a batch's own items)."""
    return Document.objects.filter(pk__in=ids)


def registered_counts() -> tuple[int, int]:
    """How many documents are registered, and how many of them are grade statements."""
    registered = Document.objects.filter(state=State.REGISTERED)
    return registered.count(), registered.filter(kind="grade_statement").count()


def document_find_for_operator(ref: str) -> Document | None:
    """The document with this registry number, verification code or id, for an operator's command
    (the system reads every document: no user, no permission scope)."""
    q = Q(registry_number=ref) | Q(verification_code=ref)
    if ref.isdigit():
        q |= Q(pk=int(ref))
    return Document.objects.select_related("current_version", "org_unit").filter(q).first()

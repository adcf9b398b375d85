"""The one projection from a registry document to a search document, and the caller's search scope.

Access keys: a document lists, in `subject_ids`, who may find it beyond org-unit scope —
"creator:<user id>" always, and "subject:<person id>" once it is issued — mirroring
records.permissions.visible_documents_q, so the scope is applied inside the search query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from doctemplates.provenance import pdf_text
from records.kinds.base import document_language, get_kind
from records.kinds.letterhead import letterhead_text
from records.models import Document, Person
from records.permissions import ISSUED_STATES, READ_ALL_ROLES, grants, person_id
from records.selectors.document import document_current_pdf
from search.backends.base import PermissionScope, SearchDocument

logger = logging.getLogger(__name__)


def _queryset() -> Any:
    return Document.objects.select_related("current_version", "subject", "org_unit").prefetch_related(
        "signatures"
    )


# Keys of a version's data that hold an IIN, and keys that hold a person's name as written there.
_IIN_KEYS = frozenset({"iin", "student_iin"})
_NAME_KEYS = frozenset({"student_name", "examiner", "full_name", "chair", "secretary", "executor"})


def _collect_people(data: Any, iins: set[str], names: set[str]) -> None:
    if isinstance(data, list):
        for item in data:
            _collect_people(item, iins, names)
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in _IIN_KEYS and isinstance(value, str):
            iins.add(value)
        elif key in _NAME_KEYS and isinstance(value, str):
            names.add(value)
        elif key in _NAME_KEYS and isinstance(value, dict):  # a name per language
            names.update(v for v in value.values() if isinstance(v, str))
        else:
            _collect_people(value, iins, names)


def named_people(data: Any) -> list[str]:
    """Every person a version's data names (statement lines, orders, awards...), in every spelling.

    People found by IIN contribute all their spellings; names without an IIN (an examiner, a
    commission chair) are taken as written. The index adds the transliteration keys of all of them.
    """
    iins: set[str] = set()
    names: set[str] = set()
    _collect_people(data, iins, names)
    if iins:
        for person in Person.objects.filter(iin__in=sorted(iins)):
            names.update(person.all_spellings())
    return sorted(n for n in names if n.strip())


def to_search_document(document: Document) -> SearchDocument:
    """Project `document` (its current version) for the index."""
    version = document.current_version
    kind = get_kind(document.kind)
    body_parts: list[str] = []
    if version is not None:
        if kind.search_text is not None:
            body_parts.append(kind.search_text(document, version))
        if version.pdf_blob_id is None:
            # Not rendered (a draft, the demo's bulk history): index the letterhead its paper
            # carries, as the extracted text of a rendered one would (records.kinds.letterhead).
            body_parts.append(letterhead_text(kind.code, document_language(version)))
        else:
            try:
                pdf = document_current_pdf(document)
                if pdf:
                    body_parts.append(pdf_text(pdf))
            except Exception:  # an unreadable file must not stop indexing the metadata
                logger.exception("could not extract the text of document %s", document.pk)
    people = set(document.subject.all_spellings() if document.subject else [])
    if version is not None:
        people.update(named_people(version.data))
    signers = sorted({s.signer_name for s in document.signatures.all() if not s.void})
    access = [f"creator:{document.created_by_id}"]
    if document.subject_id is not None and document.state in ISSUED_STATES:
        access.append(f"subject:{document.subject_id}")
    return SearchDocument(
        id=str(document.pk),
        number=document.registry_number,
        kind=document.kind,
        title=document.title,
        body="\n".join(p for p in body_parts if p),
        org_unit_path=[p for p in document.org_path.split("/") if p],
        people=sorted(people.difference(signers)) + signers,
        signers=signers,
        subject_ids=access,
        registered_at=document.registered_at,
        created_at=document.created_at,
        state=document.state,
        retention_class=document.retention_class,
        language="ru",
        extra={"kind_name": kind.names, "verification_code": document.verification_code},
        labels=sorted(set(kind.names.values())),
    )


def project(document_id: str) -> SearchDocument | None:
    """Projector for the outbox: None when the document no longer exists or was disposed."""
    document = _queryset().filter(pk=int(document_id)).first() if document_id.isdigit() else None
    if document is None or document.state == "disposed":
        return None
    return to_search_document(document)


def all_documents() -> Iterator[SearchDocument]:
    """Every indexable document, for rebuild and reconcile."""
    for document in _queryset().exclude(state="disposed").iterator(chunk_size=500):
        yield to_search_document(document)


def scope_for(user: Any) -> PermissionScope:
    """The search scope of `user`, equal to what records.permissions lets them see."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PermissionScope.restricted()
    prefixes = [[p for p in g.path.split("/") if p] for g in grants(user) if g.role in READ_ALL_ROLES]
    keys = [f"creator:{user.pk}"]
    pid = person_id(user)
    if pid is not None and any(g.role == "student" for g in grants(user)):
        keys.append(f"subject:{pid}")
    return PermissionScope.restricted(org_unit_prefixes=prefixes, subject_ids=keys)

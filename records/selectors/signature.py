"""Signatures as pages read them: what waits for whose signature, what a document was signed with."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from records.kinds.base import all_kinds
from records.lifecycle import State
from records.models import Document, Signature
from records.permissions import grants, under_path_q
from records.selectors.document import documents_visible_to


def documents_to_sign(*, user: Any) -> QuerySet[Document]:
    """Documents in signing whose next route step is one the user holds with a scope covering it."""
    role_paths: dict[str, set[str]] = {}
    for grant in grants(user):
        role_paths.setdefault(grant.role, set()).add(grant.path)
    q = Q(pk__in=[])
    for kind in all_kinds():
        route = kind.signing_route
        for index, step in enumerate(route):
            paths = role_paths.get(step.role)
            if not paths:
                continue
            scope = Q(pk__in=[])
            for path in sorted(paths):
                scope |= under_path_q(path)
            step_q = Q(kind=kind.code) & scope & ~Q(**{f"_signed_{kind.code}_{step.code}": True})
            for prior in route[:index]:
                step_q &= Q(**{f"_signed_{kind.code}_{prior.code}": True})
            q |= step_q
    documents = documents_visible_to(user=user).filter(state=State.SIGNING)
    annotations = {
        f"_signed_{kind.code}_{step.code}": Exists(
            Signature.objects.filter(
                document=OuterRef("pk"), version=OuterRef("current_version"), step=step.code, void=False
            )
        )
        for kind in all_kinds()
        if any(s.role in role_paths for s in kind.signing_route)
        for step in kind.signing_route
    }
    return documents.annotate(**annotations).filter(q).select_related("org_unit").order_by("created_at", "id")


def document_signatures(document: Document) -> QuerySet[Signature]:
    """Signatures of a document the caller has already loaded through `document_get`.

    There is no signature selector yet; this reads only rows of a document the caller may see.
    """
    return Signature.objects.filter(document=document).select_related("version").order_by("signed_at", "id")


def signed_version_ids(document: Document) -> set[int]:
    """Ids of the document's versions that carry a signed PDF revision."""
    return set(
        Signature.objects.filter(document=document, void=False)
        .exclude(pdf_blob=None)
        .values_list("version_id", flat=True)
    )


def document_is_signed(document: Document) -> bool:
    """True when some signature of the document produced a PDF revision."""
    return Signature.objects.filter(document=document, void=False).exclude(pdf_blob=None).exists()

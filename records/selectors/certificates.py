"""Student certificates: the student's own request log and the registrar's log of every one issued."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from records.models import Document


def certificates_of(*, user: Any) -> QuerySet[Document]:
    """The certificates issued to the signed-in student (their request log)."""
    return Document.objects.filter(
        kind="student_certificate", subject__user_id=getattr(user, "pk", None) or 0
    ).order_by("-created_at")


def certificate_requests_log() -> QuerySet[Document]:
    """Every certificate issued, for the registrar's office."""
    return (
        Document.objects.filter(kind="student_certificate").select_related("subject").order_by("-created_at")
    )

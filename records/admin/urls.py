"""URLs of the registry's back office, mounted at /admin/registry/ by wagtail_hooks."""

from __future__ import annotations

from django.urls import path

from records.admin.audit import AuditTrailView, AuditVerifyView
from records.admin.documents import (
    DocumentDetailView,
    DocumentExportView,
    DocumentListView,
    SignedPdfView,
    VersionPdfView,
)
from records.admin.editing import DocumentCreateView, DocumentEditView, DocumentTransitionView
from records.admin.students import StudentLookupView

app_name = "records_admin"

urlpatterns = [
    path("documents/", DocumentListView.as_view(), name="documents"),
    path("documents/export/", DocumentExportView.as_view(), name="export"),
    path("documents/new/", DocumentCreateView.as_view(), name="create"),
    path("documents/<int:pk>/", DocumentDetailView.as_view(), name="document"),
    path("documents/<int:pk>/edit/", DocumentEditView.as_view(), name="edit"),
    path("documents/<int:pk>/transition/<slug:name>/", DocumentTransitionView.as_view(), name="transition"),
    path("documents/<int:pk>/signed.pdf", SignedPdfView.as_view(), name="signed_pdf"),
    path("documents/<int:pk>/versions/<int:number>/pdf/", VersionPdfView.as_view(), name="version_pdf"),
    path("students/lookup/", StudentLookupView.as_view(), name="student_lookup"),
    path("audit/", AuditTrailView.as_view(), name="audit"),
    path("audit/verify/", AuditVerifyView.as_view(), name="audit_verify"),
]

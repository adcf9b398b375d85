"""The registry area of the back office: documents, drafting, the audit trail; at /admin/registry/."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy

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
from records.admin.viewsets import AreaLink, AreaViewSet
from records.permissions import is_staff_user, may_draft_some_kind, may_read_system_trail

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

area = AreaViewSet(
    "records_admin",
    url_prefix="registry",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(
            gettext_lazy("Documents"), "documents", "registry-documents", "doc-full", 100, is_staff_user
        ),
        AreaLink(gettext_lazy("New document"), "create", "registry-new", "plus", 110, may_draft_some_kind),
        AreaLink(
            gettext_lazy("Audit trail"), "audit", "registry-audit", "history", 120, may_read_system_trail
        ),
    ],
)

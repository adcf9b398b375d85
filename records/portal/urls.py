"""Student portal (/portal/) and public verification (/verify/)."""

from django.urls import path

from records.portal import views
from records.portal.signin import PortalLoginView

urlpatterns = [
    path("verify/", views.verify_index, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
    path("portal/", views.portal_home, name="portal"),
    path("portal/login/", PortalLoginView.as_view(), name="portal-login"),
    path("portal/certificates/", views.portal_certificate_request, name="portal-certificate"),
    path("portal/documents/<int:pk>/pdf/", views.portal_document_pdf, name="portal-document-pdf"),
]

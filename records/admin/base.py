"""What every back-office view of the registry shares: staff check, Wagtail page furniture, errors."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from records.errors import NotFoundOrForbidden
from records.models import Document
from records.permissions import is_staff_user
from records.selectors.document import document_get

PAGE_SIZE = 50


def forbidden(request: HttpRequest, message: Any = None) -> HttpResponse:
    """A 403 page inside the admin (Wagtail's own redirect-to-dashboard would hide the status)."""
    return render(
        request,
        "records/admin/forbidden.html",
        {
            "message": message or _("You do not have permission to do this."),
            "page_title": _("Forbidden"),
            "header_title": _("Forbidden"),
        },
        status=403,
    )


def document_url(document: Document | int) -> str:
    """The back-office page of a document."""
    pk = document if isinstance(document, int) else document.pk
    return reverse("records_admin:document", args=[pk])


class RegistryView(WagtailAdminTemplateMixin, View):
    """Base of the registry's admin views: only staff (a staff role or superuser) get in."""

    header_icon = "doc-full"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse_lazy("records_admin:documents"), "label": _("Documents")},
    ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_staff_user(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def load_document(self, pk: Any) -> Document:
        """The document if the user may see it; absent and forbidden both give 404."""
        try:
            return document_get(user=self.request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None

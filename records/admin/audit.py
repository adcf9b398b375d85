"""The system-wide audit trail for auditors (changes from the chain, or reads from the access log),
and the chain verification button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.admin.display import change_lines
from records.admin.forms import AuditFilterForm
from records.errors import RecordsError
from records.permissions import may_read_system_trail
from records.selectors.audit import audit_events_filtered
from records.services.checkpoints import audit_verify


class AuditTrailView(RegistryView):
    """All audit events, newest first, filtered by action and actor, 50 to a page."""

    template_name = "records/admin/audit_trail.html"
    page_title = gettext_lazy("Audit trail")
    header_icon = "history"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_read_system_trail(request.user):
            return forbidden(request, _("Only auditors may read the system audit trail."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        reads = request.GET.get("reads") == "1"
        events = audit_events_filtered(
            user=request.user, action=data.get("action", ""), actor=data.get("actor", ""), reads=reads
        )
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("p"))
        entries: list[Any] = list(page.object_list)
        rows = [
            {
                "event": event,
                "lines": change_lines(event.changes),
                "document_url": document_url(event.document_id) if event.document_id else "",
                "read": reads,
            }
            for event in entries
        ]
        context = self.get_context_data(
            form=form,
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            verify_url=reverse("records_admin:audit_verify"),
            reads=reads,
        )
        return self.render_to_response(context)


class AuditVerifyView(AuditTrailView):
    """Walk the whole hash chain and report the result as a message."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            report = audit_verify()
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_admin:audit"))
        if report.ok:
            messages.success(
                request, _("The audit chain is intact: %(count)s events checked.") % {"count": report.checked}
            )
            messages.info(
                request,
                _(
                    "Checked against %(checkpoints)s sealed checkpoints; %(uncovered)s events and %(reads)s reads"
                    " are newer than the last one."
                )
                % {
                    "checkpoints": report.checkpoints,
                    "uncovered": report.uncovered,
                    "reads": report.reads_uncovered,
                },
            )
        else:
            messages.error(
                request,
                _(
                    "The audit chain is broken at event #%(event)s (%(problem)s); %(count)s events checked before it."
                )
                % {
                    "event": report.first_broken_id or "—",
                    "problem": report.problem,
                    "count": report.checked,
                },
            )
        return HttpResponseRedirect(reverse("records_admin:audit"))

"""Reports in the monitoring (/admin/monitoring/reports/): the registered and drafted reports the
viewer may see, preparing a new one (its figures computed and frozen by records.services.reports),
and a report's frozen tables as XLSX or CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.admin.base import PAGE_SIZE, document_url
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import get_kind
from records.models import Document
from records.monitoring.views import MonitoringView
from records.permissions import may_prepare_reports
from records.selectors.document import document_get, documents_visible_to
from records.selectors.org import faculties_and_departments
from records.selectors.reports import REPORT_KINDS, last_first_october
from records.services.monitoring import FORMATS, report_export
from records.services.reports import report_create


class ReportForm(forms.Form):
    """Which report, as of which date, for which unit, in which language."""

    report = forms.ChoiceField(label=gettext_lazy("Report"))
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    date_from = forms.DateField(
        label=gettext_lazy("Period from (movement)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    term = forms.RegexField(
        label=gettext_lazy("Term (session results)"), regex=r"^\d{4}-[123]$", required=False,
        help_text=gettext_lazy("2025-1 for the autumn semester of 2025/26; the last finished term when empty"),
    )  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("Academic year (teaching load)"), required=False, min_value=2000, max_value=2999,
        help_text=gettext_lazy("2025 for 2025/26; the year the date falls in when empty"),
    )  # fmt: skip
    registered_by = forms.DateField(
        label=gettext_lazy("Registry as of"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "The documents registered by the end of this day count (the as-of date when empty); a document "
            "registered later does not change the figures, even when it is dated before the as-of date"
        ),
    )  # fmt: skip
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Faculty or department"),
        queryset=faculties_and_departments(),
        required=False,
        empty_label=gettext_lazy("The whole university"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        initial="ru",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(short, get_kind(code).name) for short, code in REPORT_KINDS.items()]  # type: ignore[attr-defined]
        self.fields["as_of"].initial = last_first_october(timezone.localdate())


class ReportsView(MonitoringView):
    """The reports list and the form that prepares one."""

    section = "reports"
    template_name = "records/monitoring/reports.html"

    def build_reports(self, user: Any, data: Any) -> dict[str, Any]:
        reports = (
            documents_visible_to(user=user)
            .filter(kind__in=REPORT_KINDS.values())
            .select_related("current_version")
            .order_by("-created_at", "-id")
        )
        page = Paginator(reports, PAGE_SIZE).get_page(data.get("p"))
        rows = [
            {"document": d, "url": document_url(d), "xlsx": reverse("records_monitoring:report_file", args=[d.pk, "xlsx"]),
             "csv": reverse("records_monitoring:report_file", args=[d.pk, "csv"]), "kind": get_kind(d.kind).name}
            for d in page.object_list
        ]  # fmt: skip
        can_prepare = may_prepare_reports(user)
        return {"form": None, "report_form": ReportForm() if can_prepare else None, "query": {}, "tables": [],
                "page": page, "reports": rows}  # fmt: skip

    def post(self, request: HttpRequest) -> HttpResponse:
        """Prepare a report: compute and freeze its figures in a draft, then open the draft."""
        form = ReportForm(request.POST)
        if not form.is_valid():
            context = self.build(request.GET)
            context["report_form"] = form
            return self.render_to_response(context)
        data = form.cleaned_data
        term = tuple(int(x) for x in data["term"].split("-")) if data.get("term") else None
        try:
            document = report_create(
                by=request.user, report=data["report"], as_of=data["as_of"], unit=data.get("unit"),
                language=data["language"], date_from=data.get("date_from"), term=term,  # type: ignore[arg-type]
                year=data.get("year"), registered_by=data.get("registered_by"),
            )  # fmt: skip
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_monitoring:reports"))
        messages.success(
            request, _("The report is drafted with its figures as of %(date)s.") % {"date": data["as_of"]}
        )
        return HttpResponseRedirect(document_url(document))


class ReportFileView(MonitoringView):
    """A report's frozen tables as XLSX or CSV (the figures of its current version, never recomputed)."""

    section = "reports"

    def get(self, request: HttpRequest, pk: int = 0, file_format: str = "") -> HttpResponse:  # type: ignore[override]
        if file_format not in FORMATS:
            raise Http404
        try:
            document: Document = document_get(user=request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None
        if document.kind not in REPORT_KINDS.values() or document.current_version is None:
            raise Http404
        content = report_export(by=request.user, document=document, file_format=file_format)
        response = HttpResponse(content, content_type=FORMATS[file_format])
        name = (document.registry_number or f"report-{document.pk}").replace("/", "-")
        response["Content-Disposition"] = content_disposition(f"{name}.{file_format}")
        return response

"""The registrar's diploma pages: cohorts, the preview and batch start, the batch's progress and
signing link, the diploma book with filters and export, spoiled blanks and reissues."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.labels import state_label
from records.models import DiplomaBookEntry, Job
from records.permissions import may_issue_diplomas, may_open_diplomas, may_see_diplomas
from records.selectors.diplomas import (
    BookFilters,
    batch_entries,
    book_entry_get,
    diploma_batch_documents,
    diploma_book,
    graduation_cohorts,
)
from records.selectors.epvo import epvo_numbers_of
from records.selectors.jobs import job_find, jobs_recent
from records.selectors.signature import documents_to_sign
from records.services.diplomas import (
    JOB_KIND,
    diploma_batch_start,
    diploma_book_export_record,
    diploma_cohort_preview,
    diploma_reissue,
    diploma_spoil,
)
from records.services.epvo import epvo_numbers_enter
from records.services.exports import FORMATS, _safe_text
from records.services.jobs import job_request_stop, job_resume, jobs_fail_stale


def _refused(request: HttpRequest, exc: RecordsError) -> HttpResponse | None:
    """A refusal for lack of permission is a 403 page; other refusals are messages (None)."""
    if exc.code == "forbidden":
        return forbidden(request, exc.message)
    messages.error(request, exc.message)
    return None


class DiplomaView(RegistryView):
    """Base of the diploma pages: the registrar's office, administrators, deans and the rectorate."""

    header_icon = "tick-inverse"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_see_diplomas(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items[:1],
            {"url": reverse("records_diplomas:index"), "label": _("Diplomas")},
            {"url": "", "label": self.get_page_title()},
        ]


class IndexView(DiplomaView):
    """Graduation cohorts (group and date) with links to their previews, and recent batches."""

    template_name = "records/admin/diplomas/index.html"
    page_title = gettext_lazy("Diplomas")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items[:1], {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest) -> HttpResponse:
        cohorts = graduation_cohorts(user=request.user)
        groups = {c.group_code for c in cohorts}
        jobs_fail_stale()
        batches = [j for j in jobs_recent(kind=JOB_KIND, limit=20) if j.params.get("group_code") in groups]
        context = self.get_context_data(
            cohorts=[
                {
                    "cohort": c,
                    "url": reverse("records_diplomas:cohort")
                    + "?"
                    + urlencode({"group": c.group_code, "date": c.date.isoformat()}),
                }
                for c in cohorts
            ],
            batches=[{"job": j, "url": reverse("records_diplomas:batch", args=[j.pk])} for j in batches],
            book_url=reverse("records_diplomas:book"),
            may_print=may_issue_diplomas(request.user),
        )
        return self.render_to_response(context)


class CohortView(DiplomaView):
    """GET: the preview of a cohort (recorded: it shows grades); POST: start the batch (registrar)."""

    template_name = "records/admin/diplomas/cohort.html"
    page_title = gettext_lazy("Graduates")

    def _params(self, request: HttpRequest) -> tuple[str, str]:
        source = request.POST if request.method == "POST" else request.GET
        return str(source.get("group", ""))[:40], str(source.get("date", ""))[:10]

    def get(self, request: HttpRequest) -> HttpResponse:
        group, date = self._params(request)
        try:
            preview = diploma_cohort_preview(by=request.user, group_code=group, date=date)
        except NotFoundOrForbidden:
            raise Http404 from None
        numbers = epvo_numbers_of(facts.order.pk for facts in preview.graduates)
        rows = [(facts, numbers.get(facts.order.pk, "")) for facts in preview.graduates]
        context = self.get_context_data(
            preview=preview,
            rows=rows,
            epvo_missing=[facts.name for facts, number in rows if not number and facts.existing is None],
            may_issue=may_issue_diplomas(request.user),
            group=group,
            date=date,
        )
        return self.render_to_response(context)

    def _back(self, group: str, date: str) -> HttpResponse:
        return HttpResponseRedirect(
            reverse("records_diplomas:cohort") + "?" + urlencode({"group": group, "date": date})
        )

    def _enter_epvo(self, request: HttpRequest, group: str, date: str) -> HttpResponse:
        """Save the ЕПВО numbers typed into the table (fields ``epvo-<graduate id>``)."""
        numbers = {
            int(name[5:]): str(value)[:60]
            for name, value in request.POST.items()
            if name.startswith("epvo-") and name[5:].isdigit() and len(name) < 25
        }
        try:
            changed = epvo_numbers_enter(by=request.user, group_code=group, date=date, numbers=numbers)
        except NotFoundOrForbidden:
            raise Http404 from None
        except RecordsError as exc:
            response = _refused(request, exc)
            if response is not None:
                return response
            return self._back(group, date)
        messages.success(request, _("EPVO numbers saved: %(count)s.") % {"count": changed})
        return self._back(group, date)

    def post(self, request: HttpRequest) -> HttpResponse:
        group, date = self._params(request)
        if request.POST.get("action") == "epvo":
            return self._enter_epvo(request, group, date)
        try:
            job = diploma_batch_start(by=request.user, group_code=group, date=date)
        except NotFoundOrForbidden:
            raise Http404 from None
        except RecordsError as exc:
            response = _refused(request, exc)
            if response is not None:
                return response
            return self._back(group, date)
        messages.success(request, _("The batch has started."))
        return HttpResponseRedirect(reverse("records_diplomas:batch", args=[job.pk]))


class BatchView(DiplomaView):
    """The batch's progress (the page reloads itself while it runs), its documents, Stop/Resume and the
    form that signs every document of the batch waiting for the user's signature."""

    template_name = "records/admin/diplomas/batch.html"
    page_title = gettext_lazy("Diploma batch")

    def _job(self, pk: int) -> Job:
        jobs_fail_stale(pk=pk)  # a batch whose worker was killed shows as failed and resumable
        job = job_find(pk=pk, kind=JOB_KIND)
        if job is None or not any(
            c.group_code == job.params.get("group_code") for c in graduation_cohorts(user=self.request.user)
        ):
            raise Http404
        return job

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(pk)
        entries = list(batch_entries(job.pk))
        to_sign = list(
            documents_to_sign(user=request.user)
            .filter(pk__in=diploma_batch_documents(job))
            .values_list("pk", flat=True)
        )
        rows = [
            {
                "entry": e,
                "diploma_url": document_url(e.diploma_id) if e.diploma_id else "",
                "supplement_url": document_url(e.supplement_id) if e.supplement_id else "",
                "diploma_state": state_label(e.diploma.state) if e.diploma else "",
                "supplement_state": state_label(e.supplement.state) if e.supplement else "",
            }
            for e in entries
        ]
        context = self.get_context_data(
            job=job,
            running=job.state in (Job.State.PENDING, Job.State.RUNNING),
            percent=job.percent if job.total or job.state == Job.State.DONE else 0,
            rows=rows,
            failures=[(k, v) for k, v in job.results.items() if v != "ok"],
            to_sign=to_sign,
            may_issue=may_issue_diplomas(request.user),
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(pk)
        if not may_issue_diplomas(request.user):
            return forbidden(request)
        if request.POST.get("action") == "stop" and job.state in (Job.State.PENDING, Job.State.RUNNING):
            job_request_stop(job=job, by=request.user)
            messages.success(request, _("The batch stops after the graduate being processed."))
        elif request.POST.get("action") == "resume" and job.state != Job.State.DONE:
            job_resume(job=job, by=request.user)
            messages.success(request, _("The batch resumes; graduates already done are skipped."))
        else:
            messages.error(request, _("This batch cannot do that in its current state."))
        return HttpResponseRedirect(reverse("records_diplomas:batch", args=[job.pk]))


def _book_filters(source: Any) -> BookFilters:
    """Filters from the query string (the page) or the posted form (the export)."""
    year = str(source.get("year", ""))
    status = str(source.get("status", ""))
    return BookFilters(
        series=str(source.get("series", ""))[:10].strip().upper(),
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        status=status if status in DiplomaBookEntry.Status.values else "",
        q=str(source.get("q", ""))[:100],
    )


class BookView(DiplomaView):
    """The diploma book: filters (series, year, status, name or number), 50 to a page, export."""

    template_name = "records/admin/diplomas/book.html"
    page_title = gettext_lazy("Diploma book")

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _book_filters(request.GET)
        page = Paginator(diploma_book(user=request.user, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("p")
        )
        query = {
            k: str(request.GET.get(k, "")) for k in ("series", "year", "status", "q") if request.GET.get(k)
        }
        context = self.get_context_data(
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            filters=filters,
            statuses=DiplomaBookEntry.Status.choices,
            export_fields=sorted(query.items()),
            may_issue=may_issue_diplomas(request.user),
        )
        return self.render_to_response(context)


def book_header() -> list[str]:
    """Columns of the book export in the active language."""
    return [
        _("Series"),
        _("Number"),
        _("Graduate"),
        _("IIN"),
        _("Issue date"),
        _("Status"),
        _("Diploma"),
        _("Supplement"),
        _("Reason"),
    ]


def book_row(entry: DiplomaBookEntry) -> list[Any]:
    """One entry as cell values."""
    return [
        entry.series,
        entry.display_number,
        entry.graduate.full_name(),
        entry.graduate.iin,
        entry.issue_date,
        str(DiplomaBookEntry.Status(entry.status).label),
        entry.diploma.registry_number if entry.diploma else "",
        entry.supplement.registry_number if entry.supplement else "",
        entry.reason,
    ]


class BookExportView(DiplomaView):
    """POST: the filtered book as CSV or XLSX; the export is recorded."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        export_format = request.POST.get("format", "")
        if export_format not in FORMATS:
            messages.error(request, _("Choose CSV or XLSX."))
            return HttpResponseRedirect(reverse("records_diplomas:book"))
        filters = _book_filters(request.POST)
        rows = [
            [_safe_text(v) for v in book_row(e)] for e in diploma_book(user=request.user, filters=filters)
        ]
        if export_format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(book_header())
            writer.writerows(rows)
            content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        else:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(title=_("Diploma book")[:31])
            sheet.append(book_header())
            for values in rows:
                sheet.append(values)
            output = io.BytesIO()
            workbook.save(output)
            content = output.getvalue()
        diploma_book_export_record(
            by=request.user, count=len(rows), export_format=export_format, filters=vars(filters)
        )
        response = HttpResponse(content, content_type=FORMATS[export_format])
        response["Content-Disposition"] = content_disposition(f"diploma-book.{export_format}")
        return response


class EntryActionView(DiplomaView):
    """A confirmation page with a required reason; POST with confirm runs the action (registrar)."""

    template_name = "records/admin/diplomas/confirm.html"
    action = ""

    def _entry(self, pk: int) -> DiplomaBookEntry:
        try:
            return book_entry_get(user=self.request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(pk)
        if not may_issue_diplomas(request.user):
            return forbidden(request)
        return self.render_to_response(self.get_context_data(entry=entry, action=self.action, reason=""))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(pk)
        reason = request.POST.get("reason", "")
        if request.POST.get("confirm") != "yes":
            if not may_issue_diplomas(request.user):
                return forbidden(request)
            messages.error(request, _("Please confirm."))
            return self.render_to_response(
                self.get_context_data(entry=entry, action=self.action, reason=reason)
            )
        try:
            result = self.run(entry, reason)
        except RecordsError as exc:
            response = _refused(request, exc)
            if response is not None:
                return response
            return self.render_to_response(
                self.get_context_data(entry=entry, action=self.action, reason=reason)
            )
        return HttpResponseRedirect(self.success_url(result))

    def run(self, entry: DiplomaBookEntry, reason: str) -> DiplomaBookEntry:
        raise NotImplementedError

    def success_url(self, entry: DiplomaBookEntry) -> str:
        return reverse("records_diplomas:book")


class SpoilView(EntryActionView):
    """Mark a blank spoiled."""

    page_title = gettext_lazy("Mark the blank spoiled")
    action = "spoil"

    def run(self, entry: DiplomaBookEntry, reason: str) -> DiplomaBookEntry:
        result = diploma_spoil(by=self.request.user, entry=entry, reason=reason)
        messages.success(
            self.request, _("Diploma %(number)s is marked spoiled.") % {"number": result.display_number}
        )
        return result


class ReissueView(EntryActionView):
    """Issue a new diploma in place of a registered one."""

    page_title = gettext_lazy("Reissue the diploma")
    action = "reissue"

    def run(self, entry: DiplomaBookEntry, reason: str) -> DiplomaBookEntry:
        result = diploma_reissue(by=self.request.user, entry=entry, reason=reason)
        messages.success(
            self.request,
            _("Diploma %(new)s was issued in place of %(old)s and waits for signatures.")
            % {"new": result.display_number, "old": entry.display_number},
        )
        return result

    def success_url(self, entry: DiplomaBookEntry) -> str:
        return document_url(entry.diploma_id) if entry.diploma_id else reverse("records_diplomas:book")


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("cohort/", CohortView.as_view(), name="cohort"),
    path("batch/<int:pk>/", BatchView.as_view(), name="batch"),
    path("book/", BookView.as_view(), name="book"),
    path("book/export/", BookExportView.as_view(), name="book_export"),
    path("book/<int:pk>/spoil/", SpoilView.as_view(), name="spoil"),
    path("book/<int:pk>/reissue/", ReissueView.as_view(), name="reissue"),
]


area = AreaViewSet(
    "records_diplomas",
    url_prefix="diplomas",
    urlpatterns=urlpatterns,
    links=[AreaLink(gettext_lazy("Diplomas"), "index", "diplomas", "tick-inverse", 114, may_open_diplomas)],
)

"""Signing and verification in the back office: sign one, "To sign" with batches, reports, LTV status."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from records.admin.base import RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import get_kind
from records.labels import kind_name, state_label
from records.lifecycle import State
from records.models import Document, Job
from records.permissions import holds_a_signing_role, may, may_see_ltv
from records.selectors.document import (
    document_current_pdf,
    documents_by_ids,
    documents_current_pdf_blobs,
    documents_visible_to,
)
from records.selectors.fixity import integrity_status
from records.selectors.jobs import jobs_recent
from records.selectors.signature import documents_to_sign
from records.selectors.verification import registry_status
from records.services.audit import access_record
from records.services.batch_signing import (
    batch_job_get,
    batch_sign_resume,
    batch_sign_start,
    batch_sign_stop,
    may_sign_now,
)
from records.services.jobs import jobs_fail_stale
from records.services.signature import document_sign, route_progress
from signing import api as signing_api
from signing.errors import SigningCapabilityError

PAGE_SIZE = 50
LTV_PAGE_SIZE = 20
LTV_MARGIN = dt.timedelta(days=730)
hide_passphrase = method_decorator(sensitive_post_parameters("passphrase"), name="dispatch")


def passphrase_of(request: HttpRequest) -> str:
    """The passphrase typed in the form (kept out of logs and never stored)."""
    return request.POST.get("passphrase", "")


def route_rows(document: Document) -> list[dict[str, Any]]:
    """The route's steps in order, each marked done or pending, the next one flagged."""
    progress = route_progress(document)

    next_code = progress.next_step.code if progress.next_step else None
    return [
        {
            "label": step.label,
            "role": step.role,
            "done": step.code in progress.done,
            "next": step.code == next_code,
        }
        for step in get_kind(document.kind).signing_route
    ]


class SigningView(RegistryView):
    """Base of this area's views; breadcrumbs lead back to "To sign"."""

    header_icon = "key"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
        {"url": reverse_lazy("records_signing:to_sign"), "label": gettext_lazy("To sign")},
    ]


@hide_passphrase
class SignView(SigningView):
    """One document: the PDF, the route, the passphrase; the next official of the route signs."""

    template_name = "records/admin/signing_sign.html"
    page_title = gettext_lazy("Sign")

    def _load(self, pk: int) -> tuple[Document | None, HttpResponse | None]:
        document = self.load_document(pk)
        if not may_sign_now(self.request.user, document):
            return None, forbidden(self.request, _("This document is not waiting for your signature."))
        return document, None

    def _render(self, document: Document) -> HttpResponse:
        self.page_subtitle = document.display_title
        pdf_url = ""
        if document.current_version is not None and document.current_version.pdf_blob_id:
            pdf_url = reverse(
                "records_admin:version_pdf", args=[document.pk, document.current_version.number]
            )
        return self.render_to_response(
            self.get_context_data(
                document=document,
                kind_name=kind_name(document.kind),
                route=route_rows(document),
                pdf_url=pdf_url,
                document_url=document_url(document),
            )
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document, refused = self._load(pk)
        if document is None:
            assert refused is not None
            return refused
        return self._render(document)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document, refused = self._load(pk)
        if document is None:
            assert refused is not None
            return refused
        try:
            document_sign(document=document, by=request.user, passphrase=passphrase_of(request))
        except RecordsError as exc:
            messages.error(request, exc.message)
            return self._render(document)
        document.refresh_from_db()
        if document.state == State.REGISTERED:
            messages.success(
                request,
                _("Signed. The document is registered as %(number)s.") % {"number": document.registry_number},
            )
        else:
            messages.success(request, _("Signed. The next official of the route has been notified."))
        return HttpResponseRedirect(document_url(document))


class ToSignView(SigningView):
    """Documents waiting for the user's signature, with checkboxes and one passphrase for a batch."""

    template_name = "records/admin/signing_list.html"
    page_title = gettext_lazy("To sign")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items[:1], {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(documents_to_sign(user=request.user), PAGE_SIZE).get_page(request.GET.get("p"))
        rows = [
            {
                "document": d,
                "kind": kind_name(d.kind),
                "url": document_url(d),
                "sign_url": reverse("records_signing:sign", args=[d.pk]),
            }
            for d in page.object_list
        ]
        jobs_fail_stale()  # a batch whose process was killed shows as failed and resumable
        recent = jobs_recent(kind="batch_sign", created_by=request.user, limit=5)
        context = self.get_context_data(
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            recent_batches=[{"job": j, "url": reverse("records_signing:batch", args=[j.pk])} for j in recent],
        )
        return self.render_to_response(context)


@hide_passphrase
class BatchStartView(SigningView):
    """POST the selected ids and the passphrase: start a batch and show its progress."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = [i for i in request.POST.getlist("documents") if i.isdigit()]
        try:
            job = batch_sign_start(
                by=request.user, document_ids=[int(i) for i in ids], passphrase=passphrase_of(request)
            )
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_signing:to_sign"))
        return HttpResponseRedirect(reverse("records_signing:batch", args=[job.pk]))


def batch_status(job: Job) -> dict[str, Any]:
    """What the progress bar shows; polled as JSON every second."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(Job.State(job.state).label),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "percent": job.percent,
        "running": job.state in (Job.State.PENDING, Job.State.RUNNING),
        "stop_requested": job.stop_requested,
    }


class BatchMixin:
    """Loads the user's own batch job or answers 404."""

    request: HttpRequest

    def load_job(self, pk: int) -> Job:
        try:
            return batch_job_get(user=self.request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None


class BatchView(BatchMixin, SigningView):
    """The batch's progress bar, failures, Stop and Resume (reloads itself without JS while running)."""

    template_name = "records/admin/signing_batch.html"
    page_title = gettext_lazy("Batch signing")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.load_job(pk)
        failures = [
            {"document": d, "reason": job.results.get(str(d.pk), ""), "url": document_url(d)}
            for d in documents_by_ids([int(k) for k, v in job.results.items() if v != "ok"])
        ]
        context = self.get_context_data(
            job=job,
            status=batch_status(job),
            failures=failures,
            status_url=reverse("records_signing:batch_status", args=[job.pk]),
            stop_url=reverse("records_signing:batch_stop", args=[job.pk]),
            resume_url=reverse("records_signing:batch_resume", args=[job.pk]),
        )
        return self.render_to_response(context)


class BatchStatusView(BatchMixin, SigningView):
    """The batch's progress as JSON."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return JsonResponse(batch_status(self.load_job(pk)))


class BatchStopView(BatchMixin, SigningView):
    """POST: stop after the current document."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.load_job(pk)
        try:
            batch_sign_stop(job=job, by=request.user)
            messages.success(request, _("The batch stops after the document being signed."))
        except RecordsError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_signing:batch", args=[job.pk]))


@hide_passphrase
class BatchResumeView(BatchMixin, SigningView):
    """POST with the passphrase entered again: sign the documents the batch has not signed."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.load_job(pk)
        try:
            batch_sign_resume(job=job, by=request.user, passphrase=passphrase_of(request))
        except RecordsError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_signing:batch", args=[job.pk]))


def verification_of(document: Document) -> dict[str, Any]:
    """The full signing report of the document's current PDF plus the registry's status."""
    report: dict[str, Any] | None = None
    problem = ""
    try:
        pdf = document_current_pdf(document)
        if pdf is None:
            problem = _("The document has no rendered PDF.")
        else:
            report = signing_api.verify(pdf).to_dict()
    except SigningCapabilityError as exc:
        problem = str(exc)
    except RecordsError as exc:  # the stored file is corrupt or missing
        problem = exc.message
    return {"report": report, "problem": problem, "registry": asdict(registry_status(document))}


class ReportMixin:
    """Only auditors and staff with scope (may verify_report) see a document's verification report."""

    request: HttpRequest

    def load_for_report(self, view: RegistryView, pk: int) -> Document:
        document = view.load_document(pk)
        if not may(self.request.user, "verify_report", document):
            raise Http404
        return document


class VerificationView(ReportMixin, SigningView):
    """The full verification report of the current PDF, with JSON and ETSI XML downloads."""

    template_name = "records/admin/signing_report.html"
    page_title = gettext_lazy("Verification report")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_for_report(self, pk)
        data = verification_of(document)
        access_record(actor=request.user, action="document.verification_view", document=document)
        self.page_subtitle = document.registry_number or document.display_title
        return self.render_to_response(
            self.get_context_data(
                document=document,
                document_url=document_url(document),
                state_label=state_label(document.state),
                report=data["report"],
                problem=data["problem"],
                registry=data["registry"],
                json_url=reverse("records_signing:verification_json", args=[document.pk]),
                xml_url=reverse("records_signing:verification_xml", args=[document.pk]),
            )
        )


def _download(content: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = content_disposition(name)
    return response


class VerificationJsonView(ReportMixin, SigningView):
    """The report and the registry status as JSON, recorded in the audit trail."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_for_report(self, pk)
        data = verification_of(document)
        access_record(
            actor=request.user,
            action="document.verification_export",
            document=document,
            details={"format": "json"},
        )
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        name = (document.registry_number or f"document-{document.pk}") + "-verification.json"
        return _download(content, "application/json", name)


class VerificationXmlView(ReportMixin, SigningView):
    """The ETSI TS 119 102-2 validation report of one signature (default: the first), audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_for_report(self, pk)
        field = request.GET.get("field") or None
        try:
            pdf = document_current_pdf(document)
            if pdf is None:
                raise RecordsError("no_pdf", _("The document has no rendered PDF."))
            content = signing_api.etsi_report(pdf, field_name=field)
        except (SigningCapabilityError, RecordsError) as exc:
            messages.error(request, exc.message if isinstance(exc, RecordsError) else str(exc))
            return HttpResponseRedirect(reverse("records_signing:verification", args=[document.pk]))
        access_record(
            actor=request.user,
            action="document.verification_export",
            document=document,
            details={"format": "etsi_xml", "field": field or ""},
        )
        name = (document.registry_number or f"document-{document.pk}") + "-etsi-report.xml"
        return _download(content, "application/xml", name)


def ltv_rows(documents: list[Document], now: dt.datetime) -> list[dict[str, Any]]:
    """For each registered document: when its archive timestamp expires and whether that is soon."""
    rows = []
    blobs = documents_current_pdf_blobs(documents)
    for document in documents:
        expires: dt.datetime | None = None
        problem = ""
        try:
            blob = blobs[document.pk]
            if blob is None:
                problem = _("No PDF.")
            else:
                raw = signing_api.archive_timestamp_expires(blob.read())
                expires = parse_datetime(raw) if raw else None
                if expires is None:
                    problem = _("No document timestamp.")
        except SigningCapabilityError as exc:
            problem = str(exc)
        except RecordsError as exc:  # the stored file is corrupt or missing
            problem = exc.message
        rows.append(
            {
                "document": document,
                "url": document_url(document),
                "report_url": reverse("records_signing:verification", args=[document.pk]),
                "expires": expires,
                "soon": expires is not None and expires - now < LTV_MARGIN,
                "problem": problem,
            }
        )
    return rows


class LtvStatusView(SigningView):
    """Registered documents and when their archive timestamps expire; those within two years flagged."""

    template_name = "records/admin/signing_ltv.html"
    page_title = gettext_lazy("Long-term validation")
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_see_ltv(request.user):
            return forbidden(request, _("Only auditors may see the archive's long-term validation status."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        documents = (
            documents_visible_to(user=request.user)
            .filter(state=State.REGISTERED)
            .select_related("current_version")
            .order_by("registered_at", "id")
        )
        page = Paginator(documents, LTV_PAGE_SIZE).get_page(request.GET.get("p"))
        rows = ltv_rows(list(page.object_list), timezone.now())
        access_record(actor=request.user, action="registry.ltv_view", details={"page": page.number})
        context = self.get_context_data(
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            integrity=integrity_status(),
        )
        return self.render_to_response(context)


urlpatterns = [
    path("", ToSignView.as_view(), name="to_sign"),
    path("documents/<int:pk>/sign/", SignView.as_view(), name="sign"),
    path("documents/<int:pk>/verification/", VerificationView.as_view(), name="verification"),
    path("documents/<int:pk>/verification/json/", VerificationJsonView.as_view(), name="verification_json"),
    path("documents/<int:pk>/verification/xml/", VerificationXmlView.as_view(), name="verification_xml"),
    path("batch/", BatchStartView.as_view(), name="batch_start"),
    path("batch/<int:pk>/", BatchView.as_view(), name="batch"),
    path("batch/<int:pk>/status/", BatchStatusView.as_view(), name="batch_status"),
    path("batch/<int:pk>/stop/", BatchStopView.as_view(), name="batch_stop"),
    path("batch/<int:pk>/resume/", BatchResumeView.as_view(), name="batch_resume"),
    path("ltv/", LtvStatusView.as_view(), name="ltv"),
]


area = AreaViewSet(
    "records_signing",
    url_prefix="signing",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(gettext_lazy("To sign"), "to_sign", "signing-to-sign", "key", 105, holds_a_signing_role),
        AreaLink(gettext_lazy("Long-term validation"), "ltv", "signing-ltv", "date", 125, may_see_ltv),
    ],
)

"""Reading documents in the back office: the list with filters and export, the document page, its PDFs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.admin.base import PAGE_SIZE, RegistryView, document_url
from records.admin.display import change_lines, data_rows, transition_label
from records.admin.forms import DocumentFilterForm
from records.admin.fragments import CSRF_SLOT, cached_fragment, fragment_key, sorted_query
from records.admin.pagecache import TRAIL_SLOT, cached_page
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.labels import kind_name, state_label
from records.lifecycle import IRREVERSIBLE, NEEDS_REASON
from records.models import AccessEvent, Document, Version
from records.permissions import may
from records.selectors.document import (
    document_current_pdf,
    document_newest_read,
    document_trail,
    document_versions,
    documents_filtered,
)
from records.selectors.rejections import last_rejections
from records.selectors.signature import document_is_signed, document_signatures, signed_version_ids
from records.services import exports as export
from records.services.audit import access_record
from records.services.batch_signing import may_sign_now
from records.services.document import available_transitions, document_record_view
from records.services.exports import document_list_export

PAGE_SIZES = (10, 25, 50, 100)
# The document page shows this many of its newest reads (every audited event always); ?reads=all shows all.
TRAIL_READS = 50


@dataclass(frozen=True)
class ListRow:
    """A document with the labels the list shows, computed without queries."""

    document: Document
    kind: str
    state: str
    url: str


def list_rows(documents: Any) -> list[ListRow]:
    """Rows of a list page; every value comes from the already joined rows (no per-row queries)."""
    return [ListRow(d, kind_name(d.kind), state_label(d.state), document_url(d.pk)) for d in documents]


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


class DocumentListView(RegistryView):
    """Documents the user may see, filtered, searched, sorted by date, 50 to a page."""

    template_name = "records/admin/document_list.html"
    page_title = gettext_lazy("Documents")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.breadcrumbs_items

    def get(self, request: HttpRequest) -> HttpResponse:
        # The filters, count, rows and pages are cached per viewer, query and chain head
        # (records/admin/fragments.py); the CSRF field of the export form stays live.
        # The whole page too (records/admin/pagecache.py), with the same key parts.
        return cached_page(request, "document_list", [], lambda: self.render_page(request))

    def render_page(self, request: HttpRequest) -> HttpResponse:
        key = fragment_key("document_list", request.user, sorted_query(request))
        body = cached_fragment(key, lambda: self.render_body(request))
        body = mark_safe(body.replace(CSRF_SLOT, str(csrf_input(request)), 1))  # noqa: S308
        return self.render_to_response(self.get_context_data(body=body))

    def render_body(self, request: HttpRequest) -> str:
        form = DocumentFilterForm(request.GET)
        filters = form.filters()
        ordering = form.sort_order()
        documents = documents_filtered(user=request.user, filters=filters).order_by(
            ordering, ordering.replace("created_at", "id")
        )
        page = Paginator(documents, _page_size(request)).get_page(request.GET.get("p"))
        next_sort = "created_at" if ordering == "-created_at" else "-created_at"
        query = request.GET.copy()
        query["ordering"] = next_sort
        query.pop("p", None)
        context = {
            "form": form,
            "page_obj": page,
            "rows": list_rows(page.object_list),
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "ordering": ordering,
            "sort_url": "?" + query.urlencode(),
            "export_fields": [(k, v) for k, v in request.GET.items() if k in form.fields and v],
            "export_formats": list(export.FORMATS),
            "csrf_slot": mark_safe(CSRF_SLOT),  # noqa: S308 - a constant
        }
        return render_to_string("records/admin/_document_list_body.html", context, request)


class DocumentExportView(RegistryView):
    """The filtered list as CSV or XLSX, through the same selector, recorded as one audit event."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        file_format = request.POST.get("format", "")
        if file_format not in export.FORMATS:
            messages.error(request, _("Unknown export format %(format)s.") % {"format": file_format[:20]})
            return HttpResponseRedirect(reverse("records_admin:documents"))
        form = DocumentFilterForm(request.POST)
        content = document_list_export(
            by=request.user,
            filters=form.filters(),
            order=(form.sort_order(), form.sort_order().replace("created_at", "id")),
            file_format=file_format,
        )
        response = HttpResponse(content, content_type=export.FORMATS[file_format])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = content_disposition(f"documents-{stamp}.{file_format}")
        return response


@dataclass(frozen=True)
class TransitionButton:
    """One lifecycle action the user may take, and how the page offers it."""

    name: str
    label: str
    url: str
    needs_reason: bool
    irreversible: bool

    @property
    def direct(self) -> bool:
        """Taken with one POST from the document page (no reason, nothing to confirm)."""
        return not (self.needs_reason or self.irreversible)


def transition_buttons(document: Document, user: Any) -> list[TransitionButton]:
    """Buttons for exactly the transitions `available_transitions` allows this user now."""
    return [
        TransitionButton(
            name=name,
            label=transition_label(name),
            url=reverse("records_admin:transition", args=[document.pk, name]),
            needs_reason=name in NEEDS_REASON,
            irreversible=name in IRREVERSIBLE,
        )
        for name in available_transitions(document, user)
    ]


def version_items(document: Document, versions: list[Version]) -> list[dict[str, Any]]:
    """Versions newest first, each with its data rows marked against the version before it."""
    items = []
    signed_versions = signed_version_ids(document)
    for index, version in enumerate(versions):
        previous = versions[index + 1].data if index + 1 < len(versions) else None
        items.append(
            {
                "version": version,
                "rows": data_rows(document.kind, version.data, previous),
                "pdf_url": reverse("records_admin:version_pdf", args=[document.pk, version.number])
                if version.pdf_blob_id
                else "",
                "signed": version.pk in signed_versions,
            }
        )
    return items


class DocumentDetailView(RegistryView):
    """Header, versions with their data, signatures, audit trail, and the user's transitions."""

    template_name = "records/admin/document_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_document(pk)
        if document.created_by_id != request.user.pk:
            document_record_view(document=document, by=request.user)
        self.page_title = document.registry_number or _("Document")
        self.page_subtitle = document.display_title
        all_reads = request.GET.get("reads") == "all"
        trail = None
        if may(request.user, "audit", document):
            # Cached per viewer, document, chain head (every event of it moves the head) and newest
            # read: never older than what the trail would show now.
            key = fragment_key(
                "document_trail",
                request.user,
                [str(document.pk), str(document_newest_read(document)), str(all_reads)],
            )
            trail = cached_fragment(key, lambda: self.render_trail(document, all_reads))
        # The rest of the page is cached whole, per viewer and chain head (the document's state,
        # versions and signatures all move it; records/admin/pagecache.py), with the trail put in
        # on every request: reads move the trail, not the page. The read above is recorded each time.
        return cached_page(
            request,
            "document",
            [str(document.pk), str(trail is not None)],
            lambda: self.render_page(request, document, has_trail=trail is not None),
            live={TRAIL_SLOT: str(trail or "")},
        )

    def render_page(self, request: HttpRequest, document: Document, *, has_trail: bool) -> HttpResponse:
        versions = version_items(document, list(document_versions(user=request.user, document=document)))
        signatures = list(document_signatures(document))
        context = self.get_context_data(
            document=document,
            kind_name=kind_name(document.kind),
            state_label=state_label(document.state),
            versions=versions,
            signatures=signatures,
            trail=mark_safe(TRAIL_SLOT) if has_trail else None,  # noqa: S308 - a constant
            transitions=transition_buttons(document, request.user),
            rejection=last_rejections([document]).get(document.pk),
            can_edit=may(request.user, "edit", document),
            can_sign=may_sign_now(request.user, document),
            signed_pdf_url=reverse("records_admin:signed_pdf", args=[document.pk])
            if any(not s.void and s.pdf_blob_id for s in signatures)
            else "",
            can_verify_report=any(not s.void for s in signatures)
            and may(request.user, "verify_report", document),
        )
        return self.render_to_response(context)

    def render_trail(self, document: Document, all_reads: bool) -> str:
        try:
            entries = document_trail(
                user=self.request.user, document=document, reads=None if all_reads else TRAIL_READS + 1
            )
        except NotFoundOrForbidden:
            return ""
        reads = [entry for entry in entries if isinstance(entry, AccessEvent)]
        more = len(reads) > TRAIL_READS and not all_reads
        if more:
            oldest = reads[0]
            entries = [entry for entry in entries if entry is not oldest]
        rows = [
            {"event": event, "lines": change_lines(event.changes), "read": isinstance(event, AccessEvent)}
            for event in entries
        ]
        context = {"trail": rows, "more_reads": more, "reads_shown": TRAIL_READS}
        return render_to_string("records/admin/_document_trail.html", context)

    def get_header_title(self) -> str:
        return f"{self.page_title}: {self.page_subtitle}"


class VersionPdfView(RegistryView):
    """The rendered PDF of one version, verified against its hash before it is sent."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        document = self.load_document(pk)
        version = document_versions(user=request.user, document=document).filter(number=number).first()
        if version is None or version.pdf_blob is None:
            raise Http404
        try:
            content = version.pdf_blob.read()
        except (RecordsError, OSError) as exc:
            messages.error(
                request, exc.message if isinstance(exc, RecordsError) else _("The file is missing.")
            )
            return HttpResponseRedirect(document_url(document))
        response = HttpResponse(content, content_type="application/pdf")
        name = (document.registry_number or f"document-{document.pk}") + f"-v{version.number}.pdf"
        response["Content-Disposition"] = content_disposition(name, attachment=False)
        return response


class SignedPdfView(RegistryView):
    """The signed PDF of a document (the newest signed or re-timestamped revision): what was registered."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_document(pk)
        if not document_is_signed(document):
            raise Http404
        try:
            content = document_current_pdf(document)
        except (RecordsError, OSError) as exc:
            messages.error(
                request, exc.message if isinstance(exc, RecordsError) else _("The file is missing.")
            )
            return HttpResponseRedirect(document_url(document))
        if content is None:
            raise Http404
        access_record(
            actor=request.user, action="document.download", document=document, details={"signed": True}
        )
        response = HttpResponse(content, content_type="application/pdf")
        name = (document.registry_number or f"document-{document.pk}") + "-signed.pdf"
        response["Content-Disposition"] = content_disposition(name)
        return response

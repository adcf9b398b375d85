"""The archivist's "Transfers" area: exports to the archive as BagIt bags (started here, written by the
worker with a progress bar), their downloads as a zip or tar stream, the transfer act of each bag,
and the newest fixity check of the registry with a banner when it found problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from records.admin.base import RegistryView, document_url, forbidden
from records.admin.signing import batch_status
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import RecordsError
from records.kinds.base import all_kinds
from records.models import ArchiveTransfer
from records.permissions import may_see_ltv, may_transfer
from records.selectors.fileplan import series_in_force
from records.selectors.fixity import fixity_latest, integrity_status
from records.selectors.transfer import (
    Selection,
    bag_archive_stream,
    transfer_acts,
    transfer_get,
    transfers_visible_to,
)
from records.services.audit import access_record
from records.services.jobs import jobs_fail_stale
from records.services.transfer import transfer_act_draft, transfer_start

SHOWN = 50


def fixity_banner() -> dict[str, Any] | None:
    """The newest complete fixity pass when it found problems (what the banner shows), else None."""
    state = fixity_latest()
    if state is None or state.completed_ok is not False:
        return None
    return {"state": state, "problems": state.completed_problems, "count": len(state.completed_problems)}


class FixityAlertPanel(Component):
    """A dashboard panel for archivists and auditors while the newest fixity pass has problems."""

    name = "registry_fixity_alert"
    template_name = "records/admin/panels/fixity_alert.html"
    order = 40  # above the other panels: it is an alarm

    def __init__(self, banner: dict[str, Any], *, link: bool) -> None:
        self.banner = banner
        self.link = link

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return {
            "banner": self.banner,
            "transfers_url": reverse("records_transfers:list") if self.link else "",
        }


def fixity_alert_panel(user: Any) -> FixityAlertPanel | None:
    """The alarm panel for a user who answers for fixity (archivist, auditor), when there is one."""
    if not (may_transfer(user) or may_see_ltv(user)):
        return None
    banner = fixity_banner()
    return FixityAlertPanel(banner, link=may_transfer(user)) if banner else None


class TransfersView(RegistryView):
    """Base of the area: archivists (and superusers) only."""

    header_icon = "folder-open-inverse"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_transfer(request.user):
            return forbidden(request, _("Only archivists transfer records to the archive."))
        return super().dispatch(request, *args, **kwargs)

    def load_transfer(self, pk: int) -> ArchiveTransfer:
        transfer = transfer_get(user=self.request.user, pk=pk)
        if transfer is None:
            raise Http404
        if transfer.job_id is not None:
            jobs_fail_stale(pk=transfer.job_id)  # a job whose worker died shows as failed, resumable
        return transfer


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise RecordsError("invalid_date", _("Write dates as YYYY-MM-DD.")) from None


def _selection(data: Any) -> Selection:
    ids = []
    for part in str(data.get("ids", "")).replace(",", " ").split():
        if not part.isdigit():
            raise RecordsError("invalid_ids", _("Document ids are numbers separated by commas."))
        ids.append(int(part))
    return Selection(
        series=str(data.get("series", "")).strip(),
        ids=tuple(ids),
        kind=str(data.get("kind", "")).strip(),
        registered_from=_day(str(data.get("registered_from", "")).strip()),
        registered_to=_day(str(data.get("registered_to", "")).strip()),
    )


class TransferListView(TransfersView):
    """The transfers, newest first, the form that starts one, and the newest fixity check."""

    template_name = "records/admin/transfers/list.html"
    page_title = gettext_lazy("Transfers to the archive")

    def get(self, request: HttpRequest) -> HttpResponse:
        transfers = list(transfers_visible_to(user=request.user)[:SHOWN])
        acts = transfer_acts([t.identifier for t in transfers])
        rows = [
            {
                "transfer": t,
                "url": reverse("records_transfers:detail", args=[t.pk]),
                "percent": t.job.percent if t.job else 0,
                "act": acts.get(t.identifier),
                "act_url": document_url(acts[t.identifier]) if t.identifier in acts else "",
            }
            for t in transfers
        ]
        access_record(actor=request.user, action="transfer.list", details={"shown": len(rows)})
        context = self.get_context_data(
            rows=rows,
            series=series_in_force(),
            kinds=sorted(all_kinds(), key=lambda kind: kind.name),
            integrity=integrity_status(),
            banner=fixity_banner(),
            start_url=reverse("records_transfers:start"),
        )
        return self.render_to_response(context)


class TransferStartView(TransfersView):
    """POST a selection: the transfer is created and its job queued; its page shows the progress."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            transfer = transfer_start(by=request.user, selection=_selection(request.POST))
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_transfers:list"))
        return HttpResponseRedirect(reverse("records_transfers:detail", args=[transfer.pk]))


class TransferDetailView(TransfersView):
    """One transfer: progress, the bag's identity, downloads and its transfer act."""

    template_name = "records/admin/transfers/detail.html"
    page_title = gettext_lazy("Transfer to the archive")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.load_transfer(pk)
        act = transfer_acts([transfer.identifier]).get(transfer.identifier)
        context = self.get_context_data(
            transfer=transfer,
            status=batch_status(transfer.job) if transfer.job else None,
            status_url=reverse("records_transfers:status", args=[transfer.pk]),
            done=transfer.state == ArchiveTransfer.State.DONE,
            act=act,
            act_url=document_url(act) if act else "",
            act_start_url=reverse("records_transfers:act", args=[transfer.pk]),
        )
        return self.render_to_response(context)


class TransferStatusView(TransfersView):
    """The export's progress as JSON (polled by the progress bar)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.load_transfer(pk)
        if transfer.job is None:
            raise Http404
        return JsonResponse(batch_status(transfer.job))


class TransferDownloadView(TransfersView):
    """The finished bag as a zip (default) or tar stream."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        transfer = self.load_transfer(pk)
        if transfer.state != ArchiveTransfer.State.DONE:
            raise Http404
        archive_format = "tar" if request.GET.get("format") == "tar" else "zip"
        access_record(
            actor=request.user,
            action="transfer.download",
            details={"transfer": transfer.identifier, "format": archive_format},
        )
        response = StreamingHttpResponse(
            bag_archive_stream(transfer, archive_format),
            content_type="application/x-tar" if archive_format == "tar" else "application/zip",
        )
        response["Content-Disposition"] = content_disposition(f"{transfer.identifier}.{archive_format}")
        return response


class TransferActView(TransfersView):
    """POST: draft the transfer act of a finished bag (then it goes its route like any document)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.load_transfer(pk)
        try:
            act = transfer_act_draft(
                by=request.user,
                transfer=transfer,
                archive=request.POST.get("archive", "").strip(),
                grounds=request.POST.get("grounds", "").strip(),
                release=request.POST.get("release") == "on",
            )
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_transfers:detail", args=[transfer.pk]))
        return HttpResponseRedirect(document_url(act))


urlpatterns = [
    path("", TransferListView.as_view(), name="list"),
    path("start/", TransferStartView.as_view(), name="start"),
    path("<int:pk>/", TransferDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", TransferStatusView.as_view(), name="status"),
    path("<int:pk>/download/", TransferDownloadView.as_view(), name="download"),
    path("<int:pk>/act/", TransferActView.as_view(), name="act"),
]

area = AreaViewSet(
    "records_transfers",
    url_prefix="transfers",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(gettext_lazy("Transfers"), "list", "transfers", "folder-open-inverse", 660, may_transfer),
    ],
)

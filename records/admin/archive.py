"""The archivist's area "Archive": the file plan with counts per series, the due list (review,
transfer marks, a disposition act drafted from a selection), holds (placed and lifted), disposition
acts and re-filing. Reads through records.selectors.fileplan/holds/disposition, writes through the
services; every list is scoped to the archive roles' units and paginated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.errors import NotFoundOrForbidden, RecordsError
from records.models import FinalAction, HoldReason
from records.models.org import Role
from records.permissions import may_draft_disposition
from records.selectors.disposition import disposition_acts, due_filings, due_records, due_summary
from records.selectors.document import document_get, document_get_by_number_or_id
from records.selectors.fileplan import archivist_unit, may_see_archive, series_counts
from records.selectors.holds import hold_get, hold_scope_text, holds_list
from records.selectors.students import student_within_reach
from records.services.document import document_create
from records.services.fileplan import filing_extend, filing_mark_transfer, filing_refile
from records.services.holds import hold_lift, hold_place


class ArchiveView(RegistryView):
    """Base of the archive pages: the archive roles only (archivist, expert commission, rector, auditor)."""

    header_icon = "folder-open-inverse"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_see_archive(request.user):
            return forbidden(request, _("Only the archive's officials open the archive."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items[:1],
            {"url": reverse("records_archive:index"), "label": _("Archive")},
            {"url": "", "label": self.get_page_title()},
        ]

    def page(self, queryset: Any) -> Any:
        return Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("p"))


class OnForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class IndexView(ArchiveView):
    """The file plan in force on a date, with how many records are filed in each series."""

    template_name = "records/admin/archive/index.html"
    page_title = gettext_lazy("File plan")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = OnForm(request.GET)
        on = form.cleaned_data.get("on") if form.is_valid() else None
        language = (get_language() or "ru")[:2]
        rows = [
            {"series": s, "title": s.title(language), "count": n} for s, n in series_counts(request.user, on)
        ]
        summary = due_summary(user=request.user)
        context = self.get_context_data(form=form, rows=rows, summary=summary, on=on or timezone.localdate())
        return self.render_to_response(context)


class DueFilterForm(forms.Form):
    series = forms.CharField(label=gettext_lazy("Series"), required=False, max_length=30)
    action = forms.ChoiceField(
        label=gettext_lazy("At the end"), required=False, choices=[("", "—"), *FinalAction.choices]
    )


class DueView(ArchiveView):
    """What reached the end of its retention; select records to draft a disposition act, review or mark."""

    template_name = "records/admin/archive/due.html"
    page_title = gettext_lazy("Due for disposition")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DueFilterForm(request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        page = self.page(
            due_filings(user=request.user, series=data.get("series", ""), action=data.get("action", ""))
        )
        rows = [
            {
                "due": due,
                "url": document_url(due.document),
                "action": FinalAction(due.filing.final_action).label,
            }
            for due in due_records(page.object_list)
        ]
        context = self.get_context_data(
            form=form,
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            may_act=may_draft_disposition(request.user),
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")
        ids = request.POST.getlist("document")
        try:
            if action == "act":
                numbers = [document_get(user=request.user, pk=pk).registry_number for pk in ids]
                if not numbers:
                    raise RecordsError("nothing_selected", _("Select the records to list in the act."))
                act = document_create(
                    by=request.user,
                    kind="disposition_act",
                    org_unit=_act_unit(request.user),
                    title=_("Disposition act"),
                    data={"records": numbers, "basis": reason or _("The retention period has run out.")},
                )
                messages.success(request, _("The disposition act is drafted; send it for review."))
                return HttpResponseRedirect(document_url(act))
            for pk in ids:
                document = document_get(user=request.user, pk=pk)
                if action == "extend":
                    filing_extend(
                        document=document,
                        by=request.user,
                        years=_int(request.POST.get("years")),
                        reason=reason,
                    )
                elif action == "transfer":
                    filing_mark_transfer(document=document, by=request.user, reason=reason)
                else:
                    raise RecordsError("unknown_action", _("Unknown action %(name)s."), name=action)
            messages.success(request, _("Done for %(count)s records.") % {"count": len(ids)})
        except (RecordsError, NotFoundOrForbidden) as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_archive:due"))


def _act_unit(user: Any) -> Any:
    unit = archivist_unit(user)
    if unit is None:
        raise RecordsError("forbidden", _("Only the archivist drafts a disposition act."))
    return unit


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=HoldReason.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)
    document = forms.CharField(label=gettext_lazy("Document number"), required=False, max_length=60)
    series = forms.CharField(label=gettext_lazy("Series"), required=False, max_length=30)
    student = forms.CharField(label=gettext_lazy("Student IIN"), required=False, max_length=12)
    query = forms.CharField(label=gettext_lazy("Search query"), required=False, max_length=500)


class HoldsView(ArchiveView):
    """Holds (active first; lifted ones stay on record); place a hold, lift one with a reason."""

    template_name = "records/admin/archive/holds.html"
    page_title = gettext_lazy("Holds")

    def get(self, request: HttpRequest, form: HoldForm | None = None) -> HttpResponse:
        active_only = request.GET.get("all") != "1"
        page = self.page(holds_list(active_only=active_only))
        rows = [{"hold": hold, "target": hold_scope_text(hold)} for hold in page.object_list]
        context = self.get_context_data(
            form=form or HoldForm(),
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            active_only=active_only,
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.POST.get("lift"):
                hold = hold_get(request.POST["lift"])
                if hold is None:
                    raise RecordsError("not_found", _("There is no such hold."))
                hold_lift(hold=hold, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The hold is lifted."))
                return HttpResponseRedirect(reverse("records_archive:holds"))
            form = HoldForm(request.POST)
            if not form.is_valid():
                return self.get(request, form)
            data = form.cleaned_data
            document = (
                document_get_by_number_or_id(user=request.user, ref=data["document"].strip())
                if data["document"].strip()
                else None
            )
            student = None
            if data["student"].strip():
                student = student_within_reach(
                    user=request.user,
                    roles={Role.ARCHIVIST, Role.RECTOR, Role.AUDITOR},
                    iin=data["student"].strip(),
                )
                if student is None:
                    raise RecordsError("not_found", _("No student with this IIN is within your scope."))
            hold_place(
                by=request.user,
                kind=data["kind"],
                reason=data["reason"],
                document=document,
                series_index=data["series"],
                student=student,
                query=data["query"],
            )
            messages.success(request, _("The hold is placed."))
        except (RecordsError, NotFoundOrForbidden) as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_archive:holds"))


class ActsView(ArchiveView):
    """Disposition acts, newest first, with their state."""

    template_name = "records/admin/archive/acts.html"
    page_title = gettext_lazy("Disposition acts")

    def get(self, request: HttpRequest) -> HttpResponse:
        page = self.page(disposition_acts(request.user))
        rows = [{"act": act, "url": document_url(act)} for act in page.object_list]
        context = self.get_context_data(
            page_obj=page, rows=rows, elided_page_range=page.paginator.get_elided_page_range(page.number)
        )
        return self.render_to_response(context)


class RefileView(ArchiveView):
    """POST: move a record to another series, with a reason (refused under hold)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            document = document_get_by_number_or_id(
                user=request.user, ref=request.POST.get("document", "").strip()
            )
            filing = filing_refile(
                document=document,
                by=request.user,
                series_index=request.POST.get("series", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request,
                _("%(number)s is filed in series %(index)s.")
                % {"number": document.registry_number, "index": filing.series_index},
            )
        except (RecordsError, NotFoundOrForbidden) as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_archive:index"))


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("due/", DueView.as_view(), name="due"),
    path("holds/", HoldsView.as_view(), name="holds"),
    path("acts/", ActsView.as_view(), name="acts"),
    path("refile/", RefileView.as_view(), name="refile"),
]

area = AreaViewSet(
    "records_archive",
    url_prefix="archive",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(gettext_lazy("Archive"), "index", "archive", "folder-open-inverse", 290, may_see_archive)
    ],
)

"""Scholarship orders in the back office (/admin/scholarship/): list, prepare with a preview, payment list.

The registrar picks the paid term, the monthly amounts and optionally a faculty, sees who qualifies
and why every other student does not (records.services.scholarship), confirms, and the order is
drafted; it then follows its route on the ordinary document page. Once registered, its payment list
is exported from its page here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.scholarship_order import MAX_AMOUNT
from records.labels import state_label
from records.lifecycle import State
from records.models.org import Role
from records.permissions import has_role, may_open_scholarship
from records.selectors.org import faculties_and_departments
from records.selectors.scholarship import (
    ScholarshipForbidden,
    scholarship_access_check,
    scholarship_orders_for,
)
from records.services.scholarship import (
    DEFAULT_BASE_AMOUNT,
    DEFAULT_INCREASED_AMOUNT,
    FORMATS,
    ScholarshipRequest,
    scholarship_order_create,
    scholarship_order_view,
    scholarship_payment_export,
    scholarship_preview,
)

SEMESTERS = [(1, gettext_lazy("Semester 1")), (2, gettext_lazy("Semester 2"))]


def default_term() -> tuple[int, int]:
    """The term usually paid next: from June the autumn semester, otherwise the spring one."""
    today = timezone.localdate()
    return (today.year, 1) if today.month >= 6 else (today.year - 1, 2)


class ScholarshipRequestForm(forms.Form):
    """The paid term, the monthly amounts and an optional faculty."""

    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year (start)"),
        min_value=1990,
        max_value=2999,
        help_text=gettext_lazy("2026 for 2026/27"),
        widget=forms.NumberInput(attrs={"autofocus": True}),
    )
    semester = forms.TypedChoiceField(label=gettext_lazy("Semester paid"), coerce=int, choices=SEMESTERS)
    base_amount = forms.IntegerField(
        label=gettext_lazy("Base monthly amount, ₸"), min_value=1, max_value=MAX_AMOUNT
    )
    increased_amount = forms.IntegerField(
        label=gettext_lazy("Increased monthly amount, ₸"), min_value=1, max_value=MAX_AMOUNT
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty or department"),
        queryset=faculties_and_departments(),
        required=False,
        empty_label=gettext_lazy("The whole university"),
    )

    def to_request(self) -> ScholarshipRequest:
        """The service's request from the cleaned data."""
        data = self.cleaned_data
        return ScholarshipRequest(
            academic_year=data["academic_year"],
            semester=data["semester"],
            base_amount=data["base_amount"],
            increased_amount=data["increased_amount"],
            faculty=data["faculty"],
        )


def initial_request() -> dict[str, Any]:
    """Defaults of the form: the next term and the amounts of domain.md §2.6."""
    year, semester = default_term()
    return {
        "academic_year": year,
        "semester": semester,
        "base_amount": DEFAULT_BASE_AMOUNT,
        "increased_amount": DEFAULT_INCREASED_AMOUNT,
    }


class ScholarshipView(RegistryView):
    """Base of the scholarship pages: breadcrumbs and the 403 of users without a scholarship role."""

    header_icon = "doc-full-inverse"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
        {"url": reverse_lazy("records_scholarship:index"), "label": gettext_lazy("Scholarship orders")},
    ]

    def refuse(self, request: HttpRequest, exc: RecordsError) -> HttpResponse:
        """403 for a missing role, 404 for an order the user may not see."""
        if isinstance(exc, NotFoundOrForbidden):
            raise Http404
        return forbidden(request, exc.message)


class OrderFilterForm(forms.Form):
    """Filters of the order list (every field optional)."""

    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year (start)"), required=False, min_value=1990, max_value=2999
    )
    semester = forms.TypedChoiceField(
        label=gettext_lazy("Semester"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", gettext_lazy("Any")), *SEMESTERS],
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False, choices=[("", gettext_lazy("Any")), *State.choices]
    )


class ScholarshipIndexView(ScholarshipView):
    """Scholarship orders the user may see, filtered by term and state, 50 to a page."""

    template_name = "records/admin/scholarship/index.html"
    page_title = gettext_lazy("Scholarship orders")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        """Home › Scholarship orders."""
        return [*self.breadcrumbs_items[:1], {"url": "", "label": self.page_title}]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = OrderFilterForm(request.GET)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            orders = scholarship_orders_for(
                user=request.user,
                academic_year=data.get("academic_year"),
                semester=data.get("semester"),
                state=data.get("state") or "",
            )
        except ScholarshipForbidden as exc:
            return self.refuse(request, exc)
        page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("p"))
        rows = [
            {
                "document": d,
                "data": d.current_version.data if d.current_version else {},
                "state": state_label(d.state),
                "url": reverse("records_scholarship:order", args=[d.pk]),
            }
            for d in page.object_list
        ]
        context = self.get_context_data(
            form=form,
            page_obj=page,
            rows=rows,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            can_prepare=has_role(request.user, {Role.REGISTRAR, Role.DEAN}),
        )
        return self.render_to_response(context)


class ScholarshipPrepareView(ScholarshipView):
    """GET: the request form, and with ``preview`` the list to check; POST: create the order (confirmed)."""

    template_name = "records/admin/scholarship/prepare.html"
    page_title = gettext_lazy("Prepare a scholarship order")

    def get(self, request: HttpRequest) -> HttpResponse:
        if "preview" not in request.GET:
            try:
                scholarship_access_check(request.user)
            except ScholarshipForbidden as exc:
                return self.refuse(request, exc)
            return self.render_to_response(
                self.get_context_data(form=ScholarshipRequestForm(initial=initial_request()))
            )
        form = ScholarshipRequestForm(request.GET)
        result, error = None, ""
        if form.is_valid():
            try:
                result = scholarship_preview(by=request.user, request=form.to_request())
            except ScholarshipForbidden as exc:
                return self.refuse(request, exc)
            except RecordsError as exc:
                error = exc.message
        context = self.get_context_data(
            form=form,
            result=result,
            error=error,
            can_create=has_role(request.user, {Role.REGISTRAR}),
            hidden=[(name, request.GET.get(name, "")) for name in form.fields],
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ScholarshipRequestForm(request.POST)
        if not form.is_valid() or request.POST.get("confirm") != "yes":
            messages.error(request, _("Check the list and confirm to create the order."))
            return self.render_to_response(self.get_context_data(form=form, result=None, error=""))
        try:
            document = scholarship_order_create(by=request.user, request=form.to_request())
        except ScholarshipForbidden as exc:
            return self.refuse(request, exc)
        except RecordsError as exc:
            messages.error(request, exc.message)
            return self.render_to_response(self.get_context_data(form=form, result=None, error=exc.message))
        messages.success(
            request,
            _("The scholarship order “%(title)s” was drafted: submit it for review on its page.")
            % {"title": document.title},
        )
        return HttpResponseRedirect(reverse("records_scholarship:order", args=[document.pk]))


class ScholarshipOrderView(ScholarshipView):
    """An order: its term, amounts, awarded and excluded students, and the payment list export."""

    template_name = "records/admin/scholarship/order.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            document = scholarship_order_view(by=request.user, pk=pk)
        except RecordsError as exc:
            return self.refuse(request, exc)
        self.page_title = document.registry_number or document.title
        data = document.current_version.data if document.current_version else {}
        context = self.get_context_data(
            document=document,
            data=data,
            state=state_label(document.state),
            document_url=document_url(document),
            registered=document.state == State.REGISTERED,
            formats=list(FORMATS),
        )
        return self.render_to_response(context)


class ScholarshipExportView(ScholarshipView):
    """POST: the payment list of a registered order as XLSX or CSV."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            content, content_type, name = scholarship_payment_export(
                by=request.user, pk=pk, file_format=request.POST.get("format", "")
            )
        except (ScholarshipForbidden, NotFoundOrForbidden) as exc:
            return self.refuse(request, exc)
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_scholarship:order", args=[pk]))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition(name)
        return response


urlpatterns = [
    path("", ScholarshipIndexView.as_view(), name="index"),
    path("new/", ScholarshipPrepareView.as_view(), name="new"),
    path("<int:pk>/", ScholarshipOrderView.as_view(), name="order"),
    path("<int:pk>/export/", ScholarshipExportView.as_view(), name="export"),
]


area = AreaViewSet(
    "records_scholarship",
    url_prefix="scholarship",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(
            gettext_lazy("Scholarship orders"), "index", "scholarship", "form", 114, may_open_scholarship
        )
    ],
)

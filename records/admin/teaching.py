"""The teaching load in the back office (/admin/teaching/), within the user's scope: the head of
department sees their department, the dean their faculty, the academic affairs office and the rector
every department.

- index: every department's registered calculation and distribution of a year, with totals;
- a department's year: hours by kind of work and the balance per teacher;
- lines: the calculation's lines with every input (curriculum, contingent, norm) and who carries them;
- distribution editor: a select per line (keyboard: Tab through, type to pick, Enter saves the page)
  over the head's draft distribution; the balances come back with each save;
- staff positions: the department's teachers, rates and kinds for the year;
- done vs plan of a term per teacher, and the semester execution report drafted from it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from records.academics.teaching_load import WORK_KINDS
from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.teaching_load import WORK_KIND_NAMES
from records.models import OrgUnit, StaffPosition
from records.permissions import may_create, may_edit_staff_positions, may_see_teaching_load
from records.selectors.statements import current_term
from records.selectors.teaching import (
    assignments_of_lines,
    done_by_department,
    draft_distribution,
    load_department,
    load_departments,
    load_done,
    load_lines,
    load_overview,
    load_plan,
    staff_position_find,
    staff_positions,
    teacher_names,
    teachers_of,
)
from records.services.teaching import (
    distribution_assign,
    execution_report_create,
    load_document_create,
    staff_position_delete,
    staff_position_save,
)

TERMS = [
    ("", gettext_lazy("Both terms")),
    ("1", gettext_lazy("Semester 1")),
    ("2", gettext_lazy("Semester 2")),
]


def kind_name(kind: str) -> str:
    """A kind of work in the active language."""
    names = WORK_KIND_NAMES.get(kind)
    if names is None:
        return kind
    return names.get((get_language() or "ru")[:2], names["ru"])


def this_year() -> int:
    return current_term(timezone.localdate()).year


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Academic year (start)"), min_value=2000, max_value=2999)
    term = forms.ChoiceField(label=gettext_lazy("Semester"), choices=TERMS[1:], required=False)


class LinesFilter(forms.Form):
    term = forms.ChoiceField(label=gettext_lazy("Semester"), choices=TERMS, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of work"), required=False)
    q = forms.CharField(label=gettext_lazy("Discipline or group"), required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Every kind")), *((k, kind_name(k)) for k in WORK_KINDS)]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name())


class PositionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of position"), choices=StaffPosition.Kind.choices)
    rate = forms.DecimalField(
        label=gettext_lazy("Rate"), min_value=0, max_value=1.5, decimal_places=2, initial=1
    )
    contracted_hours = forms.DecimalField(
        label=gettext_lazy("Contracted hours (hourly)"), min_value=0, max_value=2000, required=False
    )

    def __init__(self, *args: Any, department: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = PersonChoiceField(label=gettext_lazy("Teacher"), queryset=teachers_of(department))
        self.fields = {"person": person, **self.fields}


class TeachingView(RegistryView):
    """Base of the area's pages: only those whose role shows the teaching load get in."""

    header_icon = "table"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not may_see_teaching_load(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("records_teaching:index"), "label": _("Teaching load")},
            {"url": "", "label": self.get_page_title()},
        ]

    def department(self, code: str) -> OrgUnit:
        try:
            return load_department(self.request.user, code)
        except NotFoundOrForbidden:
            raise Http404 from None

    def links(self, department: OrgUnit, year: int) -> dict[str, str]:
        args = [department.code, year]
        return {
            name: reverse(f"records_teaching:{name}", args=args)
            for name in ("department", "lines", "distribute", "positions", "done")
        }


class IndexView(TeachingView):
    template_name = "records/admin/teaching/index.html"
    page_title = gettext_lazy("Teaching load")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = YearForm(
            request.GET or {"year": this_year(), "term": current_term(timezone.localdate()).period}
        )
        valid = form.is_valid()
        year = form.cleaned_data["year"] if valid else this_year()
        term = int(form.cleaned_data.get("term") or 1) if valid else 1
        departments = list(load_departments(request.user))
        overview = load_overview(departments, year)
        done = done_by_department(departments, year, term)
        faculties: dict[int, dict[str, Any]] = {}
        for row in overview:
            parent = row.department.parent
            key = parent.pk if parent else 0
            faculty = faculties.setdefault(
                key,
                {
                    "name": parent.name if parent else "",
                    "rows": [],
                    "planned": Decimal(0),
                    "done": Decimal(0),
                },
            )
            planned, held = done.get(row.department.code, (Decimal(0), Decimal(0)))
            faculty["rows"].append(
                {"row": row, "links": self.links(row.department, year), "planned": planned, "done": held}
            )
            faculty["planned"] += planned
            faculty["done"] += held
        return self.render_to_response(
            self.get_context_data(
                form=form,
                year=year,
                term=term,
                faculties=list(faculties.values()),
                total=sum(r.calculation_total for r in overview),
                assigned=sum(r.assigned for r in overview),
                planned=sum(f["planned"] for f in faculties.values()),
                done=sum(f["done"] for f in faculties.values()),
            )
        )


class DepartmentView(TeachingView):
    template_name = "records/admin/teaching/department.html"
    page_title = gettext_lazy("Department teaching load")

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        plan = load_plan(department, year)
        teachers = [
            {"load": t, "remaining": t.limit - t.planned_total, "over": t.planned_total > t.limit}
            for t in plan.teachers
        ]
        return self.render_to_response(
            self.get_context_data(
                department=department,
                year=year,
                plan=plan,
                by_kind=[(kind_name(k), v) for k, v in plan.by_kind.items()],
                teachers=teachers,
                links=self.links(department, year),
                may_draft=may_create(request.user, "load_calculation", department),
            )
        )

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        """Draft the department's calculation (or distribution) of the year, then open it."""
        department = self.department(code)
        kind = "load_distribution" if request.POST.get("what") == "distribution" else "load_calculation"
        try:
            document = load_document_create(
                by=request.user, kind=kind, department=department, academic_year=year
            )
        except RecordsError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("records_teaching:department", args=[code, year]))
        if kind == "load_distribution":
            return HttpResponseRedirect(reverse("records_teaching:distribute", args=[code, year]))
        return HttpResponseRedirect(document_url(document))


class LinesView(TeachingView):
    template_name = "records/admin/teaching/lines.html"
    page_title = gettext_lazy("Load lines")

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        form = LinesFilter(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        lines = load_lines(
            department,
            year,
            term=int(filters.get("term") or 0) or None,
            kind=filters.get("kind") or "",
            query=filters.get("q") or "",
        )
        page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("p"))
        assigned = assignments_of_lines(department, year, [line.key for line in page])
        rows = [
            {"line": line, "kind": kind_name(line.kind), "teachers": assigned.get(line.key, [])}
            for line in page
        ]
        return self.render_to_response(
            self.get_context_data(
                department=department,
                year=year,
                form=form,
                rows=rows,
                page_obj=page,
                elided_page_range=page.paginator.get_elided_page_range(page.number),
                links=self.links(department, year),
            )
        )


class DistributeView(TeachingView):
    template_name = "records/admin/teaching/distribute.html"
    page_title = gettext_lazy("Distribution to teachers")

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        draft = draft_distribution(request.user, department, year)
        context: dict[str, Any] = {"department": department, "year": year, "draft": draft}
        context["links"] = self.links(department, year)
        if draft is not None:
            data = draft.current_version.data
            form = LinesFilter(request.GET)
            filters = form.cleaned_data if form.is_valid() else {}
            lines = load_lines(
                department,
                year,
                term=int(filters.get("term") or 0) or None,
                kind=filters.get("kind") or "",
                query=filters.get("q") or "",
            )
            page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("p"))
            current: dict[str, list[str]] = {}
            for assignment in data.get("assignments", []):
                current.setdefault(assignment["line_key"], []).append(assignment["teacher_iin"])
            names = teacher_names([b["teacher_iin"] for b in data.get("balances", [])])
            balances = [
                {**b, "teacher_name": names.get(b["teacher_iin"], b["teacher_name"])}
                for b in data.get("balances", [])
            ]
            teachers = [(b["teacher_iin"], b["teacher_name"]) for b in balances]
            context.update(
                form=form,
                page_obj=page,
                elided_page_range=page.paginator.get_elided_page_range(page.number),
                rows=[
                    {
                        "line": line,
                        "kind": kind_name(line.kind),
                        "chosen": current.get(line.key, []),
                        "split": len(current.get(line.key, [])) > 1,
                    }
                    for line in page
                ],
                teachers=teachers,
                balances=balances,
                unassigned=len(data.get("unassigned", [])),
                document_url=document_url(draft),
            )
        return self.render_to_response(self.get_context_data(**context))

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        draft = draft_distribution(request.user, department, year)
        target = request.get_full_path()
        if draft is None:
            raise Http404
        keys = request.POST.getlist("line")
        assignments = {key: request.POST.get(f"teacher-{key}", "") for key in keys}
        try:
            lock_version = int(request.POST.get("lock_version", "0"))
            distribution_assign(
                by=request.user, document=draft, lock_version=lock_version, assignments=assignments
            )
        except (RecordsError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return HttpResponseRedirect(target)
        messages.success(request, _("The assignments are saved."))
        return HttpResponseRedirect(target)


class PositionsView(TeachingView):
    template_name = "records/admin/teaching/positions.html"
    page_title = gettext_lazy("Staff positions")

    def context(self, department: OrgUnit, year: int, form: PositionForm) -> dict[str, Any]:
        return self.get_context_data(
            department=department,
            year=year,
            positions=list(staff_positions(department, year)),
            form=form,
            may_edit=may_edit_staff_positions(self.request.user, department),
            links=self.links(department, year),
        )

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        return self.render_to_response(self.context(department, year, PositionForm(department=department)))

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        if not may_edit_staff_positions(request.user, department):
            return forbidden(request)
        here = reverse("records_teaching:positions", args=[code, year])
        if request.POST.get("delete"):
            position = staff_position_find(department, year, request.POST["delete"])
            if position is None:
                raise Http404
            staff_position_delete(by=request.user, position=position)
            messages.success(request, _("The position is removed."))
            return HttpResponseRedirect(here)
        form = PositionForm(request.POST, department=department)
        if form.is_valid():
            try:
                staff_position_save(
                    by=request.user,
                    department=department,
                    person=form.cleaned_data["person"],
                    academic_year=year,
                    kind=form.cleaned_data["kind"],
                    rate=form.cleaned_data["rate"],
                    contracted_hours=form.cleaned_data["contracted_hours"],
                )
            except RecordsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The position is saved."))
                return HttpResponseRedirect(here)
        return self.render_to_response(self.context(department, year, form))


class DoneView(TeachingView):
    template_name = "records/admin/teaching/done.html"
    page_title = gettext_lazy("Done vs plan")

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        term = 2 if request.GET.get("term") == "2" else 1
        summary = load_done(department, year, term)
        kinds = [
            k for k in WORK_KINDS if k in summary.by_kind or any(k in t.planned for t in summary.teachers)
        ]
        teachers = [
            {
                "load": t,
                "cells": [(t.planned.get(k), t.done.get(k)) for k in kinds],
            }
            for t in summary.teachers
        ]
        return self.render_to_response(
            self.get_context_data(
                department=department,
                year=year,
                term=term,
                summary=summary,
                kinds=[kind_name(k) for k in kinds],
                teachers=teachers,
                links=self.links(department, year),
                may_report=may_create(request.user, "load_execution_report", department),
            )
        )

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        department = self.department(code)
        term = 2 if request.POST.get("term") == "2" else 1
        try:
            document = execution_report_create(
                by=request.user, department=department, academic_year=year, semester=term
            )
        except RecordsError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("records_teaching:done", args=[code, year]) + f"?term={term}")
        return HttpResponseRedirect(document_url(document))


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("<slug:code>/<int:year>/", DepartmentView.as_view(), name="department"),
    path("<slug:code>/<int:year>/lines/", LinesView.as_view(), name="lines"),
    path("<slug:code>/<int:year>/distribute/", DistributeView.as_view(), name="distribute"),
    path("<slug:code>/<int:year>/positions/", PositionsView.as_view(), name="positions"),
    path("<slug:code>/<int:year>/done/", DoneView.as_view(), name="done"),
]

area = AreaViewSet(
    "records_teaching",
    url_prefix="teaching",
    urlpatterns=urlpatterns,
    links=[AreaLink(gettext_lazy("Teaching load"), "index", "teaching", "table", 116, may_see_teaching_load)],
)

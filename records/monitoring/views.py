"""The monitoring back office at /admin/monitoring/ (issue 17): student body, movement, session
results, scholarships and (not yet) teaching load, each with filters, an SVG chart, a table whose
every figure opens the rows behind it, and CSV/XLSX export. Reads go through
records.selectors.monitoring, which apply the viewer's scope; exports are written and recorded by
records.services.monitoring. The URLs and the area are in records.monitoring.area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Self
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from records.admin.base import PAGE_SIZE, RegistryView, document_url, forbidden
from records.downloads import content_disposition
from records.kinds.teaching_load import WORK_KIND_NAMES
from records.models import OrgUnit
from records.models.academic import StudentStatus
from records.monitoring import charts
from records.permissions import may_monitor
from records.selectors import monitoring as selectors
from records.selectors.reports import ministry_copies
from records.services.monitoring import FORMATS, Table, monitoring_export

TEACHERS_SHOWN = 100  # rows of the per-teacher load table on one page
ROWS_SHOWN = 40  # rows of a results or ratings table on one page, and bars of its charts

SECTIONS = (
    ("students", gettext_lazy("Student body")),
    ("movement", gettext_lazy("Movement")),
    ("results", gettext_lazy("Session results")),
    ("ratings", gettext_lazy("Rating controls")),
    ("scholarships", gettext_lazy("Scholarships")),
    ("load", gettext_lazy("Teaching load")),
    ("reports", gettext_lazy("Reports")),
)
STATUS_CHOICES = [
    ("active", gettext_lazy("Studying or on leave")),
    *StudentStatus.choices,
    ("all", gettext_lazy("Any status")),
]


def academic_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


class _ScopeForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Faculty or department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.units_within(user)
        self.fields["unit"].choices = [("", _("Everything in my scope"))] + [  # type: ignore[attr-defined]
            (u.pk, ("— " if u.kind == OrgUnit.Kind.DEPARTMENT else "") + u.name) for u in units
        ]
        self.units = {u.pk: u for u in units}

    @classmethod
    def read(cls, data: Any, *, user: Any) -> Self:
        """The form bound to the request's query with the defaults filled in, validated (an invalid
        field falls back to its initial value through ``value``)."""
        form = cls(data, user=user)
        form.with_defaults()
        form.is_valid()
        return form

    def with_defaults(self) -> None:
        """Bind the initial value of every field the request left out, so the form shows what is counted."""
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            for name, field in self.fields.items():
                if name not in data and field.initial not in (None, ""):
                    initial = field.initial
                    data[name] = initial.isoformat() if isinstance(initial, dt.date) else str(initial)
            self.data = data

    def value(self, name: str) -> Any:
        """The cleaned value, or the field's initial value when the input was absent or invalid."""
        data = getattr(self, "cleaned_data", {})
        value = data.get(name)
        return value if value not in (None, "") else self.fields[name].initial

    def chosen_unit(self) -> OrgUnit | None:
        return self.units.get(self.value("unit") or 0)

    def query(self) -> dict[str, str]:
        """The valid filters as query parameters (for drill-down and export links)."""
        return {
            name: (value.isoformat() if isinstance(value, dt.date) else str(value))
            for name in self.fields
            if (value := self.value(name)) not in (None, "")
        }


class StudentsForm(_ScopeForm):
    on = forms.DateField(
        label=gettext_lazy("On date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=gettext_lazy("Count by"), required=False, choices=list(selectors.DIMENSIONS.items())
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)
    series_by = forms.ChoiceField(
        label=gettext_lazy("Series by"), required=False, choices=list(selectors.DIMENSIONS.items())
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["by"].initial = "faculty"
        self.fields["status"].initial = "active"
        self.fields["series_by"].initial = "status"

    def statuses(self) -> tuple[str, ...]:
        status = self.value("status")
        if status == "active":
            return selectors.ACTIVE_STATUSES
        return () if status == "all" else (status,)


class MovementForm(_ScopeForm):
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date_from"].initial = academic_year_start(today)
        self.fields["date_to"].initial = today


class ResultsForm(_ScopeForm):
    term = forms.ChoiceField(label=gettext_lazy("Term"), required=False)
    by = forms.ChoiceField(
        label=gettext_lazy("Count by"),
        required=False,
        choices=[
            ("faculty", gettext_lazy("Faculty")),
            ("department", gettext_lazy("Department")),
            ("programme", gettext_lazy("Programme")),
            ("group", gettext_lazy("Study group")),
            ("discipline", gettext_lazy("Discipline")),
            ("examiner", gettext_lazy("Examiner")),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        terms = selectors.terms_with_results(user)
        self.fields["term"].choices = [(f"{y}-{p}", selectors.term_label(y, p)) for y, p in terms]  # type: ignore[attr-defined]
        self.fields["term"].initial = f"{terms[0][0]}-{terms[0][1]}" if terms else ""
        self.fields["by"].initial = "faculty"

    def chosen_term(self) -> tuple[int, int] | None:
        value = self.value("term")
        if not value:
            return None
        year, period = value.split("-")
        return int(year), int(period)


class RatingsForm(_ScopeForm):
    term = forms.ChoiceField(label=gettext_lazy("Term"), required=False)
    by = forms.ChoiceField(
        label=gettext_lazy("Count by"),
        required=False,
        choices=[
            ("faculty", gettext_lazy("Faculty")),
            ("department", gettext_lazy("Department")),
            ("group", gettext_lazy("Study group")),
            ("discipline", gettext_lazy("Discipline")),
        ],
    )
    control = forms.TypedChoiceField(
        label=gettext_lazy("Rating control"),
        required=False,
        coerce=int,
        choices=[(0, gettext_lazy("РК1 and РК2")), (1, gettext_lazy("РК1")), (2, gettext_lazy("РК2"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        terms = selectors.terms_with_ratings(user)
        self.fields["term"].choices = [(f"{y}-{p}", selectors.term_label(y, p)) for y, p in terms]  # type: ignore[attr-defined]
        self.fields["term"].initial = f"{terms[0][0]}-{terms[0][1]}" if terms else ""
        self.fields["by"].initial = "faculty"
        self.fields["control"].initial = 0

    def chosen_term(self) -> tuple[int, int] | None:
        value = self.value("term")
        if not value:
            return None
        year, period = value.split("-")
        return int(year), int(period)


class ScholarshipsForm(_ScopeForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Count by"),
        required=False,
        choices=[
            ("faculty", gettext_lazy("Faculty")),
            ("department", gettext_lazy("Department")),
            ("programme", gettext_lazy("Programme")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].initial = "faculty"


class LoadForm(_ScopeForm):
    year = forms.TypedChoiceField(label=gettext_lazy("Academic year"), required=False, coerce=int)
    term = forms.TypedChoiceField(
        label=gettext_lazy("Term"),
        required=False,
        coerce=int,
        choices=[
            (0, gettext_lazy("The whole year")),
            (1, gettext_lazy("Autumn")),
            (2, gettext_lazy("Spring")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = selectors.teaching.load_years()
        self.fields["year"].choices = [(y, f"{y}/{y + 1}") for y in years]  # type: ignore[attr-defined]
        self.fields["year"].initial = years[0] if years else None
        self.fields["term"].initial = 0


def _link(name: str, query: dict[str, str]) -> str:
    return reverse(f"records_monitoring:{name}") + "?" + urlencode(query)


def _text(value: Any, separator: str) -> str:
    """A figure as the page's language prints it ("—" for none): what the template's localisation
    gave, without resolving and localising each cell in the template."""
    return "—" if value is None else str(value).replace(".", separator)


def _display_row(row: selectors.Row, separator: str, *, total: bool = False) -> dict[str, Any]:
    """A session-results row as the table prints it: plain strings in a dict (a table of 800 rows
    resolved each figure through the Row object and localised it in the template: 200 ms)."""
    v = row.values
    cells = {m: _text(v[m], separator) for m in ("absolute", "quality", "gpa")}
    counts = {m: str(v[m]) for m in ("results", "session_fails", "open_fails", "debtors")}
    return {"label": row.label, "total": total, **cells, **counts, "urls": v["urls"],
            "links": {m: bool(v[m]) for m in ("session_fails", "open_fails", "debtors")}}  # fmt: skip


class _Links:
    """Links to one drill-down with the page's filters: the URL and the filters encoded once, each
    link adding its own parameters (a table of 800 rows × 4 links reversed each one: 60 ms)."""

    def __init__(self, name: str, query: dict[str, str]) -> None:
        self.prefix = reverse(f"records_monitoring:{name}") + "?" + urlencode(query)

    def __call__(self, **extra: str) -> str:
        return f"{self.prefix}&{urlencode(extra)}" if extra else self.prefix


def _rating_row(row: selectors.Row, separator: str, url: str, *, total: bool = False) -> dict[str, Any]:
    """A ratings row as the table prints it: plain strings and its drill-down link."""
    v = row.values
    return {"label": row.label, "total": total, "url": url, "results": str(v["results"]),
            "average": _text(v["average"], separator), "below": str(v["below"]),
            "below_share": _text(v["below_share"], separator), "not_admitted": str(v["not_admitted"])}  # fmt: skip


def _page_of_rows(rows: Sequence[selectors.Row], data: Any) -> Page:
    """The page of a breakdown's rows the request asks for (parameter ``p``): a university has
    800 groups, and a table of all of them with two charts over them took half a second."""
    return Paginator(rows, ROWS_SHOWN).get_page(data.get("p"))


def _chart_title(title: str, page: Page) -> str:
    """The chart's title, saying when it shows only the rows of the table's page (bars of hundreds of
    groups cannot be read)."""
    if page.paginator.num_pages == 1:
        return title
    return _("%(title)s — rows %(first)s–%(last)s of %(count)s, as on this page of the table") % {
        "title": title, "first": page.start_index(), "last": page.end_index(), "count": page.paginator.count,
    }  # fmt: skip


class MonitoringView(RegistryView):
    """One section of the monitoring: filters, chart, table with drill-down links, export."""

    template_name = "records/monitoring/index.html"
    header_icon = "doc-full-inverse"
    section = "students"
    page_title = gettext_lazy("Monitoring")
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not may_monitor(request.user):
            return forbidden(request, _("You do not have permission to open the monitoring."))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.page_title)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            context = self.build(request.GET)
        except selectors.MonitoringForbidden as exc:
            return forbidden(request, exc.message)
        return self.render_to_response(context)

    def post(self, request: HttpRequest) -> HttpResponse:
        """Export the section's tables with the posted filters (CSV or XLSX), recorded in the audit trail."""
        file_format = request.POST.get("format", "")
        if file_format not in FORMATS:
            return forbidden(request, _("Choose CSV or XLSX."))
        try:
            context = self.build(request.POST)
        except selectors.MonitoringForbidden as exc:
            return forbidden(request, exc.message)
        content = monitoring_export(
            by=request.user, section=self.section, file_format=file_format, filters=context["query"],
            tables=context["tables"],
        )  # fmt: skip
        response = HttpResponse(content, content_type=FORMATS[file_format])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = content_disposition(
            f"monitoring-{self.section}-{stamp}.{file_format}"
        )
        return response

    def render_to_response(self, context: dict[str, Any]) -> HttpResponse:
        return render(self.request, self.template_name, {**self.get_context_data(), **context})

    def build(self, data: Any) -> dict[str, Any]:
        user = self.request.user
        builder = getattr(self, f"build_{self.section}")
        context: dict[str, Any] = builder(user, data)
        context.update(
            section=self.section,
            sections=[(code, label, reverse(f"records_monitoring:{code}")) for code, label in SECTIONS],
            section_title=dict(SECTIONS)[self.section],
        )
        return context

    # --- sections ---

    def build_students(self, user: Any, data: Any) -> dict[str, Any]:
        form = StudentsForm.read(data, user=user)
        on, by, unit, statuses = form.value("on"), form.value("by"), form.chosen_unit(), form.statuses()
        catalog = selectors.Catalog.load()
        rows = selectors.student_body(user, on=on, by=by, unit=unit, statuses=statuses, catalog=catalog)
        query = form.query()
        links = _Links("students_list", {k: v for k, v in query.items() if k != by})
        row_page = _page_of_rows(rows, data)  # by group: a university has 800; the export holds them all
        for row in row_page.object_list:
            row.values["url"] = links(**{by: row.key})
        total = sum(r.values["count"] for r in rows)
        x_labels, series = selectors.student_body_series(
            user, on=on, by=form.value("series_by"), unit=unit, statuses=statuses
        )
        dimension = str(selectors.DIMENSIONS[by])
        title = _("Students on %(date)s by %(dimension)s") % {
            "date": on.isoformat(),
            "dimension": dimension.lower(),
        }
        series_title = _("Students at the start of each term by %(dimension)s") % {
            "dimension": str(selectors.DIMENSIONS[form.value("series_by")]).lower()
        }
        table = Table(title, [dimension, _("Students")], [[r.label, r.values["count"]] for r in rows])
        table.rows.append([_("Total"), total])
        series_table = Table(series_title, [str(selectors.DIMENSIONS[form.value("series_by")]), *x_labels])
        series_table.rows = [[name, *values] for name, values in series]
        return {
            "form": form,
            "query": query,
            "rows": rows,
            "row_page": row_page,
            "page_query": urlencode(query),
            "total": total,
            "total_url": _link("students_list", query),
            "chart": charts.bar_chart(
                _chart_title(title, row_page), [(r.label, r.values["count"]) for r in row_page.object_list]
            ),
            "series_chart": charts.line_chart(series_title, x_labels, series),
            "tables": [table, series_table],
            "columns": [dimension, _("Students")],
        }

    def build_movement(self, user: Any, data: Any) -> dict[str, Any]:
        form = MovementForm.read(data, user=user)
        date_from, date_to, unit = form.value("date_from"), form.value("date_to"), form.chosen_unit()
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        rows = selectors.movement(user, date_from=date_from, date_to=date_to, unit=unit)
        query = form.query()
        for row in rows:
            row.values["url"] = _link("movement_list", {**query, "movement": row.key})
        title = _("Movement from %(start)s to %(end)s") % {
            "start": date_from.isoformat(),
            "end": date_to.isoformat(),
        }
        table = Table(title, [_("Movement"), _("Orders")], [[r.label, r.values["count"]] for r in rows])
        copies = ministry_copies(date_from, date_to, selectors.monitoring_scope(user, unit))
        for copy in copies:
            copy["url"] = document_url(copy["document_id"])
        copies_table = Table(
            _("Academic leave of state-grant students: copies due to the Ministry"),
            [_("Number"), _("Registered"), _("Copy due by"), _("Student"), _("IIN"), _("From"), _("To")],
            [[c["number"], c["registered"], c["due"], c["student"], c["iin"], c["effective"], c["until"]]
             for c in copies],
        )  # fmt: skip
        return {
            "copies": copies,
            "form": form,
            "query": query,
            "rows": rows,
            "total": sum(r.values["count"] for r in rows),
            "total_url": _link("movement_list", query),
            "chart": charts.bar_chart(
                title, [(r.label, r.values["count"]) for r in rows if r.values["count"]]
            ),
            "tables": [table, copies_table],
        }

    def build_results(self, user: Any, data: Any) -> dict[str, Any]:
        form = ResultsForm.read(data, user=user)
        term, by, unit = form.chosen_term(), form.value("by"), form.chosen_unit()
        query = form.query()
        if term is None:
            return {"form": form, "query": query, "rows": [], "tables": [], "no_terms": True}
        results = selectors.session_results(user, year=term[0], period=term[1], by=by, unit=unit)
        measures = ("results", "session_fails", "open_fails", "debtors")
        links = _Links("results_list", {k: v for k, v in query.items() if k not in ("key", "measure")})
        separator = str(get_format("DECIMAL_SEPARATOR"))
        # A page of rows at a time (by group, discipline or examiner there are hundreds), the total
        # always; the export holds every row.
        row_page = _page_of_rows(results.rows, data)
        display = []
        for row in [*row_page.object_list, results.total]:
            key = row.key if row is not results.total else "*"
            row.values["urls"] = {m: links(key=key, measure=m) for m in measures}
            display.append(_display_row(row, separator, total=row is results.total))
        label = dict(form.fields["by"].choices)[by]  # type: ignore[attr-defined]
        term_text = selectors.term_label(*term)
        header = [
            str(label),
            _("Results"),
            _("Absolute performance, %"),
            _("Quality of knowledge, %"),
            _("Average GPA"),
            _("FX/F at the session"),
            _("FX/F not retaken"),
            _("Students with academic debt"),
        ]

        def cells(row: selectors.Row) -> list[Any]:
            v = row.values
            return [row.label, v["results"], v["absolute"], v["quality"], v["gpa"], v["session_fails"],
                    v["open_fails"], v["debtors"]]  # fmt: skip

        definition = _(
            "Results are the attempts that count for each student and discipline after retakes (N counts "
            "results, not students). Absolute performance: the share of results graded %(positive)s. Quality "
            "of knowledge: the share graded %(quality)s — excellent or good by the academic policy in force "
            "(version %(version)s)."
        ) % {
            "positive": ", ".join(results.definitions.positive),
            "quality": ", ".join(results.definitions.quality),
            "version": results.definitions.policy_version,
        }
        title = _("Session results, %(term)s") % {"term": term_text}
        table = Table(title, header, [cells(r) for r in results.rows] + [cells(results.total)], [definition])
        gpa_title = _("GPA distribution, %(term)s") % {"term": term_text}
        gpa_table = Table(gpa_title, [_("GPA"), _("Students")], [list(b) for b in results.gpa_bins])
        quality_title = _("Quality of knowledge, %(term)s") % {"term": term_text}
        return {
            "form": form,
            "query": query,
            "results": results,
            "rows": results.rows,
            "display": display,
            "row_page": row_page,
            "page_query": urlencode(query),
            "header": header,
            "definition": definition,
            "chart": charts.bar_chart(
                _chart_title(quality_title, row_page),
                [(r.label, float(r.values["quality"] or 0)) for r in row_page.object_list],
            ),
            "gpa_chart": charts.column_chart(gpa_title, results.gpa_bins),
            "tables": [table, gpa_table],
        }

    def build_ratings(self, user: Any, data: Any) -> dict[str, Any]:
        form = RatingsForm.read(data, user=user)
        term, by, unit, control = (
            form.chosen_term(),
            form.value("by"),
            form.chosen_unit(),
            form.value("control"),
        )
        query = form.query()
        if term is None:
            selectors.monitoring_scope(user, unit)
            return {"form": form, "query": query, "rows": [], "tables": [], "no_terms": True}
        results = selectors.rating_results(
            user, year=term[0], period=term[1], by=by, unit=unit, control=control or None
        )
        # A page of rows at a time (by group there are hundreds), the total always; the export holds
        # every row. Rows are printed from plain strings, each link from one prefix.
        row_page = _page_of_rows(results.rows, data)
        separator = str(get_format("DECIMAL_SEPARATOR"))
        links = _Links("ratings_list", query)
        display = [_rating_row(r, separator, links(key=r.key)) for r in row_page.object_list]
        total_row = _rating_row(results.total, separator, links(key=results.total.key), total=True)
        label = dict(form.fields["by"].choices)[by]  # type: ignore[attr-defined]
        term_text = selectors.term_label(*term)
        header = [str(label), _("Ratings"), _("Average rating"), _("Below the threshold"),
                  _("Below the threshold, %"), _("Students not admitted")]  # fmt: skip

        def cells(row: selectors.Row) -> list[Any]:
            v = row.values
            return [row.label, v["results"], v["average"], v["below"], v["below_share"], v["not_admitted"]]

        rule = (
            _("on each of the two ratings")
            if results.mode == "each"
            else _("on the weighted average of the two ratings")
        )
        definition = _(
            "Ratings: one per student and rating control of the registered rating statements (РК1, РК2) of the "
            "term. The admission threshold is %(threshold)s points by the academic policy in force (version "
            "%(version)s), applied %(rule)s; a student is not admitted to a discipline's exam when both ratings "
            "are registered and fail it."
        ) % {"threshold": results.threshold, "version": results.policy_version, "rule": rule}
        title = _("Rating controls, %(term)s") % {"term": term_text}
        table = Table(title, header, [cells(r) for r in results.rows] + [cells(results.total)], [definition])
        chart_title = _("Average rating, %(term)s") % {"term": term_text}
        share_title = _("Ratings below the admission threshold, %%, %(term)s") % {"term": term_text}
        return {
            "form": form,
            "query": query,
            "results": results,
            "rows": results.rows,
            "display": display,
            "total_row": total_row,
            "row_page": row_page,
            "page_query": urlencode(query),
            "header": header,
            "definition": definition,
            "chart": charts.bar_chart(
                _chart_title(chart_title, row_page),
                [(r.label, float(r.values["average"] or 0)) for r in row_page.object_list],
            ),
            "share_chart": charts.bar_chart(
                _chart_title(share_title, row_page),
                [(r.label, float(r.values["below_share"] or 0)) for r in row_page.object_list],
            ),
            "tables": [table],
        }

    def build_scholarships(self, user: Any, data: Any) -> dict[str, Any]:
        form = ScholarshipsForm.read(data, user=user)
        rows = selectors.scholarships(user, by=form.value("by"), unit=form.chosen_unit())
        for row in rows:
            row.values["links"] = [document_url(pk) for pk in row.values["documents"]]
        label = str(dict(form.fields["by"].choices)[form.value("by")])  # type: ignore[attr-defined]
        title = _("Scholarships awarded per term")
        table = Table(
            title,
            [_("Term"), label, _("Awarded"), _("Total a month, ₸")],
            [[r.values["term"], r.label, r.values["count"], r.values["amount"]] for r in rows],
        )
        latest = rows[0].values["term"] if rows else ""
        per_term: dict[str, int] = {}
        for row in reversed(rows):  # newest first: the columns run from the oldest term
            per_term[row.values["term"]] = per_term.get(row.values["term"], 0) + row.values["count"]
        return {
            "form": form,
            "query": form.query(),
            "rows": rows,
            "chart": charts.bar_chart(
                f"{title}: {latest}",
                [(r.label, r.values["count"]) for r in rows if r.values["term"] == latest],
            ),
            "terms_chart": charts.column_chart(_("Scholarship holders by term"), list(per_term.items())),
            "tables": [table],
        }

    def build_load(self, user: Any, data: Any) -> dict[str, Any]:
        form = LoadForm.read(data, user=user)
        year, term, unit = form.value("year"), form.value("term") or None, form.chosen_unit()
        query = form.query()
        if not year:
            selectors.monitoring_scope(user, unit)
            return {"form": form, "query": query, "rows": [], "tables": [], "no_load": True}
        load = selectors.teaching_load(user, year=year, term=term, unit=unit)
        for row in [*load.departments, load.total]:
            department = {} if row is load.total else {"department": row.key}
            row.values["url"] = _link("load_list", {**query, **department})
            row.values["links"] = [
                (d.registry_number or d.title, document_url(d.pk)) for d in row.values["documents"]
            ]
        names = {r.key: r.label for r in load.departments}
        teachers = [t for t in load.teachers if t.department_code in names]
        # Printed from plain strings, localised here, each link from one prefix: a university has
        # over a thousand teachers, and resolving and localising each cell in the template took a second.
        separator = str(get_format("DECIMAL_SEPARATOR"))
        links = _Links("load_list", query)
        yes, no = str(_("yes")), str(_("no"))

        def text(value: Any) -> str:
            return "—" if value is None else str(value).replace(".", separator)

        # A page of teachers at a time (a university has over a thousand); the export holds them all.
        teacher_page = Paginator(teachers, TEACHERS_SHOWN).get_page(data.get("p"))
        teacher_rows: list[dict[str, Any]] = [
            {"t": t, "department": names[t.department_code], "rate": selectors._rate(t.done, t.planned),
             "name": t.name or "—", "over": yes if t.over_limit else no,
             "cells": [text(t.limit), text(t.planned_year)], "figures": [text(t.planned), text(t.done)],
             "rate_text": text(selectors._rate(t.done, t.planned)),
             "url": links(department=t.department_code, teacher=str(t.person_id))}
            for t in teacher_page.object_list
        ]  # fmt: skip
        period = dict(form.fields["term"].choices)[term or 0]  # type: ignore[attr-defined]
        when = f"{year}/{year + 1}, {str(period).lower()}"
        header = [_("Department"), _("Calculated, h"), _("Assigned, h"), _("Done, h"), _("Done, %"),
                  _("Teachers"), _("Over the limit")]  # fmt: skip

        def cells(row: selectors.Row) -> list[Any]:
            v = row.values
            return [
                row.label,
                v["calculated"],
                v["planned"],
                v["done"],
                v["rate"],
                v["teachers"],
                v["over_limit"],
            ]

        title = _("Teaching load planned and done, %(when)s") % {"when": when}
        table = Table(title, header, [cells(r) for r in load.departments] + [cells(load.total)])
        teacher_header = [_("Department"), _("Teacher"), _("Annual limit, h"), _("Assigned in the year, h"),
                          _("Assigned, h"), _("Done, h"), _("Done, %"), _("Over the limit")]  # fmt: skip
        teacher_table = Table(
            _("Teaching load by teacher, %(when)s") % {"when": when},
            teacher_header,
            [[names[t.department_code], t.name, t.limit, t.planned_year, t.planned, t.done,
              selectors._rate(t.done, t.planned), yes if t.over_limit else no] for t in teachers],
        )  # fmt: skip
        definition = _(
            "Calculated: the hours of the department's registered load calculation. Assigned: the hours its "
            "registered distribution gives the teachers. Done: classes held by the assigned teacher as the "
            "journal shows them (at most the hours assigned), and the exams, midterms, courseworks, practices "
            "and final attestation done once their statement or protocol is registered. A teacher is over the "
            "limit when the year's assigned hours exceed the annual limit of their staff positions."
        )
        chart_title = _("Done against assigned, %(when)s") % {"when": when}
        return {
            "form": form,
            "query": query,
            "rows": load.departments,
            "load": load,
            "teacher_rows": teacher_rows,
            "teacher_page": teacher_page,
            "page_query": urlencode(query),
            "header": header,
            "teacher_header": teacher_header,
            "definition": definition,
            "chart": charts.grouped_bar_chart(
                chart_title,
                [(r.label, [float(r.values["planned"]), float(r.values["done"])]) for r in load.departments],
                [str(_("Assigned, h")), str(_("Done, h"))],
            ),
            "tables": [table, teacher_table],
        }


class _Mapped(Sequence[Any]):
    """`convert` of each row of a lazy sequence, applied to the slice a page asks for."""

    def __init__(self, rows: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.rows, self.convert = rows, convert

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.convert(r) for r in self.rows[index]]
        return self.convert(self.rows[index])


def _listing(form: _ScopeForm, kind: str, items: Any = None) -> dict[str, Any]:
    """A drill-down's context: the rows behind the figure (none, with an empty query, while the
    filters name no term or year)."""
    if items is None:
        return {"form": form, "query": {}, "items": [], "tables": [], "kind": kind}
    return {"form": form, "query": form.query(), "items": items, "tables": [], "kind": kind}


class DrillDownView(MonitoringView):
    """The rows behind a figure: students, orders or grade lines, each opening the registry."""

    template_name = "records/monitoring/list.html"

    def post(self, request: HttpRequest) -> HttpResponse:
        raise Http404

    def build(self, data: Any) -> dict[str, Any]:
        context = super().build(data)
        page = Paginator(context.pop("items"), PAGE_SIZE).get_page(data.get("p"))
        query = data.copy()
        query.pop("p", None)
        context.update(page=page, items=page.object_list, page_query=query.urlencode(), back=self.back(data))
        return context

    def back(self, data: Any) -> str:
        return reverse(f"records_monitoring:{self.section}") + "?" + data.urlencode()


class StudentsListView(DrillDownView):
    section = "students"
    page_title = gettext_lazy("Students behind the figure")

    def build_students(self, user: Any, data: Any) -> dict[str, Any]:
        form = StudentsForm.read(data, user=user)
        filters = {k: str(data[k]) for k in selectors.DIMENSIONS if k in data and k not in ("status", "by")}
        spells = selectors.students_behind(
            user, on=form.value("on"), unit=form.chosen_unit(), statuses=form.statuses(), filters=filters
        )
        catalog = selectors.Catalog.load()
        caption = [f"{form.value('on').isoformat()}", str(dict(STATUS_CHOICES).get(form.value("status"), ""))]
        caption += [f"{selectors.DIMENSIONS[k]}: {catalog.label(k, v)}" for k, v in filters.items()]
        return {**_listing(form, "students", spells), "caption": " · ".join(c for c in caption if c)}


class MovementListView(DrillDownView):
    section = "movement"
    page_title = gettext_lazy("Orders behind the figure")

    def build_movement(self, user: Any, data: Any) -> dict[str, Any]:
        form = MovementForm.read(data, user=user)
        date_from, date_to = sorted([form.value("date_from"), form.value("date_to")])
        spells = selectors.movement_documents(
            user, date_from=date_from, date_to=date_to, movement_key=str(data.get("movement", "")),
            unit=form.chosen_unit(),
        )  # fmt: skip
        for spell in spells:
            spell.movement = str(selectors.MOVEMENT_TYPES.get(spell.order_type, spell.order_type))  # type: ignore[attr-defined]
        return _listing(form, "orders", spells)


class ResultsListView(DrillDownView):
    section = "results"
    page_title = gettext_lazy("Results behind the figure")

    def build_results(self, user: Any, data: Any) -> dict[str, Any]:
        form = ResultsForm.read(data, user=user)
        term = form.chosen_term()
        if term is None:
            return _listing(form, "results")
        key = str(data.get("key", ""))
        lines = selectors.result_lines_behind(
            user, year=term[0], period=term[1], by="" if key == "*" else form.value("by"), key=key,
            measure=str(data.get("measure", "")), unit=form.chosen_unit(),
        )  # fmt: skip
        return _listing(form, "results", lines)


class LoadListView(DrillDownView):
    section = "load"
    page_title = gettext_lazy("Assignments behind the figure")

    def build_load(self, user: Any, data: Any) -> dict[str, Any]:
        form = LoadForm.read(data, user=user)
        year = form.value("year")
        if not year:
            return _listing(form, "load")
        teacher = str(data.get("teacher", ""))
        rows = selectors.load_assignments_behind(
            user, year=year, term=form.value("term") or None, unit=form.chosen_unit(),
            department=str(data.get("department", "")), teacher_id=int(teacher) if teacher.isdigit() else None,
        )  # fmt: skip
        language = (get_language() or "ru")[:2]

        def item(r: Any) -> dict[str, Any]:
            return {"assignment": r.assignment, "done": r.done,
                    "kind": WORK_KIND_NAMES.get(r.assignment.kind, {}).get(language, r.assignment.kind)}  # fmt: skip

        return _listing(form, "load", _Mapped(rows, item))  # a page at a time (the paginator slices it)


class RatingsListView(DrillDownView):
    section = "ratings"
    page_title = gettext_lazy("Rating statements behind the figure")

    def build_ratings(self, user: Any, data: Any) -> dict[str, Any]:
        form = RatingsForm.read(data, user=user)
        term = form.chosen_term()
        if term is None:
            return _listing(form, "ratings")
        statements = selectors.rating_statements_behind(
            user, year=term[0], period=term[1], by=form.value("by"), key=str(data.get("key", "*")),
            unit=form.chosen_unit(), control=form.value("control") or None,
        )  # fmt: skip

        def item(s: selectors.RatingStatement) -> dict[str, Any]:
            return {"s": s, "count": len(s.ratings),
                    "average": (sum(s.ratings.values(), Decimal(0)) / len(s.ratings)).quantize(Decimal("0.1")) if s.ratings else None}  # fmt: skip

        # A page at a time (the paginator slices it): a term has ten thousand statements.
        return _listing(form, "ratings", _Mapped(statements, item))

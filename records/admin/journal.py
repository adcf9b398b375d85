"""The electronic journal in the back office: the teacher's journals, and the keyboard grid of one.

The grid is one form: a cell per student × class holding a short token (a mark, "+", "н", "у"; see
records.journal.cells). Without JavaScript the whole form is posted and saved (the service writes
only the cells that changed). With records/static/records/journal.js the arrow keys, Enter and Tab
move between cells and each changed cell is saved as it is left, without reloading the page; the
ratings shown come back with the answer. A bad token or date gets a clear error and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from records.admin.base import RegistryView, document_url
from records.admin.viewsets import AreaLink, AreaViewSet
from records.errors import ConcurrentEdit, NotFoundOrForbidden, RecordsError
from records.models import ClassKind, Journal
from records.permissions import may_use_journals
from records.selectors.journal import (
    JournalGrid,
    journal_for,
    journal_grid,
    journals_to_open,
    journals_visible_to,
)
from records.services.journal import (
    JournalInputError,
    journal_add_class,
    journal_draft_rating_statement,
    journal_open,
    journal_save_cells,
)

KIND_SHORT = {  # the column heads of the grid, in the reader's language
    "lecture": pgettext_lazy("kind of class, short", "Lec"),
    "practical": pgettext_lazy("kind of class, short", "Pr"),
    "laboratory": pgettext_lazy("kind of class, short", "Lab"),
}


def _cells_from_post(post: Any) -> dict[tuple[int, int], str]:
    cells: dict[tuple[int, int], str] = {}
    for name, value in post.items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "c" and parts[1].isdigit() and parts[2].isdigit():
            cells[(int(parts[1]), int(parts[2]))] = str(value)[:20]
    return cells


def _ratings_json(grid: JournalGrid) -> dict[str, Any]:
    return {
        str(row.student.pk): {
            "r1": str(row.ratings.first.rating),
            "r2": str(row.ratings.second.rating),
            "admission": str(row.ratings.admission),
            "attendance": ""
            if row.ratings.attendance_percent is None
            else str(row.ratings.attendance_percent),
        }
        for row in grid.rows
    }


class JournalListView(RegistryView):
    """The journals the user may read: their own, and their unit's for a head or dean."""

    template_name = "records/admin/journal_list.html"
    header_icon = "list-ul"
    page_title = gettext_lazy("Journals")

    def get(self, request: HttpRequest) -> HttpResponse:
        journals = list(journals_visible_to(user=request.user)[:300])
        to_open = journals_to_open(user=request.user)
        return self.render_to_response(self.get_context_data(journals=journals, to_open=to_open))


class JournalOpenView(RegistryView):
    """Open the journal of one of the teacher's assigned classes (a row of "Journals to open")."""

    def post(self, request: HttpRequest) -> HttpResponse:
        post = request.POST
        key = (
            post.get("discipline", ""),
            post.get("group", ""),
            post.get("year", ""),
            post.get("period", ""),
        )
        chosen = next(
            (
                item
                for item in journals_to_open(user=request.user, limit=10_000)
                if key == (item.discipline_code, item.group.code, str(item.academic_year), str(item.period))
            ),
            None,
        )
        if chosen is None:
            messages.error(request, _("This class is not among your assignments without a journal."))
            return HttpResponseRedirect(reverse("records_journal:list"))
        try:
            journal = journal_open(
                by=request.user,
                department=chosen.department,
                group=chosen.group,
                discipline_code=chosen.discipline_code,
                discipline_name=chosen.discipline_name,
                academic_year=chosen.academic_year,
                period=chosen.period,
            )
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_journal:list"))
        messages.success(request, _("The journal is opened."))
        return HttpResponseRedirect(reverse("records_journal:journal", args=[journal.pk]))


class ClassForm(forms.Form):
    """A class to add: date, kind, academic hours, whether it is the midterm control."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of class"), choices=ClassKind.choices)
    hours = forms.DecimalField(
        label=gettext_lazy("Academic hours"), min_value=0.5, max_value=8, decimal_places=1, initial=2
    )
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=300, required=False)
    midterm = forms.BooleanField(label=gettext_lazy("Midterm control"), required=False)


class JournalView(RegistryView):
    """One journal: the grid (GET), saving typed cells (POST; JSON for the page's script)."""

    template_name = "records/admin/journal.html"
    header_icon = "table"

    def load(self, pk: int) -> Journal:
        try:
            return journal_for(user=self.request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None

    def get_page_title(self) -> str:
        journal = getattr(self, "journal", None)
        if journal is None:
            return _("Journal")
        return f"{journal.discipline_code} {journal.discipline_name} · {journal.group.code}"

    def render_grid(
        self,
        journal: Journal,
        status: int = 200,
        errors: dict[tuple[int, int], str] | None = None,
        typed: dict[tuple[int, int], str] | None = None,
        class_form: ClassForm | None = None,
    ) -> HttpResponse:
        grid = journal_grid(journal=journal, user=self.request.user)
        errors, typed = errors or {}, typed or {}
        columns = [
            {
                "pk": c.pk,
                "date": c.date,
                "kind": str(KIND_SHORT.get(c.kind, c.kind)),
                "kind_name": c.get_kind_display(),
                "hours": c.hours,
                "midterm": c.midterm,
                "half": half,
            }
            for c, half in zip(grid.classes, grid.halves, strict=True)
        ]
        rows = []
        for r, row in enumerate(grid.rows):
            sid = row.student.pk
            # The row's inputs are written here, not by a template loop: 1,350 cells of a full journal
            # cost a template engine most of the page's time (bench/bench_journal.py).
            readonly = "" if grid.editable else " readonly"
            cells = []
            for c, (lesson, token) in enumerate(zip(grid.classes, row.tokens, strict=True)):
                key = (lesson.pk, sid)
                error = errors.get(key, "")
                cells.append(
                    (f'<td class="error" title="{escape(error)}">' if error else "<td>")
                    + f'<input name="c-{lesson.pk}-{sid}" value="{escape(typed.get(key, token))}" data-r="{r}"'
                    + f' data-c="{c}" autocomplete="off" maxlength="6"{readonly}'
                    + (' aria-invalid="true"' if error else "")
                    + "></td>"
                )
            rows.append({"student": row.student, "cells": mark_safe("".join(cells)), "ratings": row.ratings})  # noqa: S308
        self.journal = journal
        context = self.get_context_data(
            journal=journal,
            grid=grid,
            columns=columns,
            rows=rows,
            errors=errors,
            class_form=class_form or ClassForm(initial={"date": min(timezone.localdate(), grid.weeks.end)}),
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_grid(self.load(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        journal = self.load(pk)
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        cells = _cells_from_post(request.POST)
        lock = request.POST.get("lock_version", "")
        lock_version = int(lock) if lock.isdigit() and not wants_json else None
        try:
            journal = journal_save_cells(
                journal=journal, by=request.user, lock_version=lock_version, cells=cells
            )
        except JournalInputError as exc:
            errors = {(e.class_id, e.student_id): e.message for e in exc.errors}
            if wants_json:
                return JsonResponse(
                    {"error": exc.message, "cells": {f"c-{c}-{s}": m for (c, s), m in errors.items()}},
                    status=400,
                )
            messages.error(request, exc.message)
            return self.render_grid(journal, status=400, errors=errors, typed=cells)
        except (ConcurrentEdit, NotFoundOrForbidden, RecordsError) as exc:
            if wants_json:
                return JsonResponse(
                    {"error": exc.message}, status=409 if isinstance(exc, ConcurrentEdit) else 403
                )
            messages.error(request, exc.message)
            return self.render_grid(
                journal, status=409 if isinstance(exc, ConcurrentEdit) else 403, typed=cells
            )
        if wants_json:
            grid = journal_grid(journal=journal, user=request.user)
            return JsonResponse({"ratings": _ratings_json(grid), "lock_version": journal.lock_version})
        messages.success(request, _("Journal saved."))
        return HttpResponseRedirect(reverse("records_journal:journal", args=[journal.pk]))


class JournalClassView(JournalView):
    """POST: add a class to the journal (a date inside the term)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("records_journal:journal", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        journal = self.load(pk)
        form = ClassForm(request.POST)
        if not form.is_valid():
            return self.render_grid(journal, status=400, class_form=form)
        try:
            journal_add_class(journal=journal, by=request.user, **form.cleaned_data)
        except RecordsError as exc:
            form.add_error(None, exc.message)
            return self.render_grid(
                journal, status=400 if not isinstance(exc, NotFoundOrForbidden) else 403, class_form=form
            )
        messages.success(request, _("Class added."))
        return HttpResponseRedirect(reverse("records_journal:journal", args=[journal.pk]))


class JournalRatingView(JournalView):
    """POST: draft the rating statement РК1 or РК2 of the journal, then open it."""

    def get(self, request: HttpRequest, pk: int, control: int = 1) -> HttpResponse:  # type: ignore[override]
        return HttpResponseRedirect(reverse("records_journal:journal", args=[pk]))

    def post(self, request: HttpRequest, pk: int, control: int = 1) -> HttpResponse:  # type: ignore[override]
        journal = self.load(pk)
        try:
            document = journal_draft_rating_statement(journal=journal, by=request.user, control=control)
        except RecordsError as exc:
            messages.error(request, exc.message)
            return self.render_grid(journal, status=403 if isinstance(exc, NotFoundOrForbidden) else 400)
        messages.success(request, _("Draft rating statement created."))
        return HttpResponseRedirect(document_url(document))


urlpatterns = [
    path("", JournalListView.as_view(), name="list"),
    path("open/", JournalOpenView.as_view(), name="open"),
    path("<int:pk>/", JournalView.as_view(), name="journal"),
    path("<int:pk>/class/", JournalClassView.as_view(), name="add_class"),
    path("<int:pk>/rating/<int:control>/", JournalRatingView.as_view(), name="rating"),
]

area = AreaViewSet(
    "records_journal",
    url_prefix="journals",
    urlpatterns=urlpatterns,
    links=[AreaLink(gettext_lazy("Journals"), "list", "journals", "list-ul", 111, may_use_journals)],
)

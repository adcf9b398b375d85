"""The teacher's grade statement editor: a keyboard grid of ratings and exam scores with live results.

"New grade statement" lists the groups the user may draft a statement for, then shows the header
(discipline, credits, term, exam date, examiner) and one row per enrolled student of the group.
The computed columns come from the compute endpoint, which runs the academic policy in force on
the exam date through records.kinds.grade_statement.statement_columns (the one computation that
create, edit and submit store too) and stores nothing. Saving creates or updates the draft through
records.services.document; the document page then takes it through its route.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from records.academics.policy import AcademicPolicy
from records.admin.base import RegistryView, document_url, forbidden
from records.admin.forms import bounded_date_field
from records.admin.viewsets import AreaLink, AreaViewSet
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.kinds.fields import DateBounds
from records.kinds.grade_statement import statement_columns
from records.labels import state_label
from records.lifecycle import State
from records.models import Document, StudyGroup
from records.permissions import may, may_draft_grade_statements
from records.projections.policy import policy_book
from records.selectors.journal import rating_statement_ratings
from records.selectors.org import study_group_find
from records.selectors.statements import (
    DueStatement,
    Term,
    current_term,
    group_roster,
    statement_groups,
    statements_due,
)
from records.selectors.teaching import examiner_for
from records.services.document import document_create, document_update_draft

KIND = "grade_statement"
MAX_ROWS = 500
SCORE_FIELDS = ("rating1", "rating2", "exam")


def policy_on(date: dt.date | None) -> AcademicPolicy:
    """The academic policy in force on `date` (today when unknown)."""
    return policy_book().at(date or timezone.localdate())[0]


def score_step(policy: AcademicPolicy) -> str:
    """The step of the score inputs: whole points by default, or the policy's decimal places."""
    return str(Decimal(1).scaleb(-policy.rating.percent_places))


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def compute_row(row: dict[str, Any], policy: AcademicPolicy) -> dict[str, Any]:
    """The computed columns of one row, or its error; empty ratings give empty results."""
    empty = {"admission_rating": "", "admitted": None, "final_percent": "", "letter": "", "points": ""}
    empty.update({"traditional": "", "reason": "", "error": ""})
    if _blank(row.get("rating1")) or _blank(row.get("rating2")):
        return empty
    exam = None if _blank(row.get("exam")) else row.get("exam")
    try:
        columns = statement_columns(
            row.get("rating1"), row.get("rating2"), exam, policy, language=(get_language() or "ru")[:2]
        )
    except RecordsError as exc:
        return {**empty, "error": exc.message}
    return {
        **empty,
        "admission_rating": columns["admission_rating"],
        "admitted": columns["admitted"],
        "final_percent": columns["final_percent"] or "",
        "letter": columns["letter"],
        "points": columns["points"] or "",
        "traditional": columns["traditional"],
        "reason": columns["not_admitted_reason"],
    }


def compute_rows(rows: list[dict[str, Any]], date: dt.date | None) -> list[dict[str, Any]]:
    """The computed columns of every row under the policy in force on `date`; nothing is stored."""
    policy = policy_on(date)
    return [compute_row(row, policy) for row in rows]


class StatementHeaderForm(forms.Form):
    """The statement's header; the group is chosen before the grid is shown."""

    discipline_code = forms.CharField(label=gettext_lazy("Discipline code"), max_length=40)
    discipline_name = forms.CharField(label=gettext_lazy("Discipline name"), max_length=300)
    credits = forms.IntegerField(label=gettext_lazy("Credits"), min_value=1, max_value=60)
    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year (start)"), min_value=1990, max_value=2999
    )
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period"),
        coerce=int,
        choices=[(1, gettext_lazy("Autumn")), (2, gettext_lazy("Spring")), (3, gettext_lazy("Summer"))],
    )
    exam_date = forms.DateField()  # replaced in __init__: bounded like the schema's RecordDate
    examiner = forms.CharField(label=gettext_lazy("Examiner"), min_length=3, max_length=300)
    attempt_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of statement"),
        initial="regular",
        choices=[
            ("regular", gettext_lazy("Regular")),
            ("retake", gettext_lazy("Retake (FX/F only)")),
            ("amendment", gettext_lazy("Amendment of a registered statement")),
        ],
        help_text=gettext_lazy("In a retake or an amendment, rows left empty are not included."),
    )
    amends_number = forms.CharField(
        label=gettext_lazy("Number of the amended statement"), max_length=60, required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason of the amendment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Shown only when the statement is an amendment (the grid's script shows them when chosen).
    amendment_fields = ("amends_number", "reason")

    @property
    def is_amendment(self) -> bool:
        return self["attempt_kind"].value() == "amendment"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds = DateBounds()
        self.fields["exam_date"] = bounded_date_field(
            label=gettext_lazy("Exam date"), min_value=bounds.lower(), max_value=bounds.upper()
        )

    def fix_discipline(self) -> None:
        """The discipline comes from the curriculum: shown, not typed (the server checks it again)."""
        for name in ("discipline_code", "discipline_name", "credits", "academic_year", "period"):
            self.fields[name].widget.attrs["readonly"] = True
            self.fields[name].help_text = ""
        self.fields["discipline_code"].help_text = gettext_lazy("From the registered working curriculum.")

    def statement_data(self, group: StudyGroup, lines: list[dict[str, Any]]) -> dict[str, Any]:
        """The document data of the header and `lines`."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}
        if data.get("attempt_kind") != "amendment":  # hidden fields of another kind of statement
            data.update(amends_number="", reason="")
        data["exam_date"] = data["exam_date"].isoformat()
        return {**data, "group_code": group.code, "lines": lines}


def rows_from_post(post: Any) -> list[dict[str, Any]]:
    """The grid's rows as posted: IIN, name and the three scores as typed."""
    try:
        count = min(int(post.get("rows-count", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        prefix = f"rows-{i}-"
        row = {"iin": post.get(prefix + "iin", "").strip(), "name": post.get(prefix + "name", "")}
        row.update({f: post.get(prefix + f, "").strip() for f in SCORE_FIELDS})
        rows.append(row)
    return rows


def rows_from_data(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid's rows of a stored statement."""
    return [
        {
            "iin": line.get("student_iin", ""),
            "name": line.get("student_name", ""),
            **{f: "" if line.get(f) is None else str(line.get(f)) for f in SCORE_FIELDS},
        }
        for line in data.get("lines", [])
    ]


def lines_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statement lines of the grid rows (computed columns are filled by the kind on save)."""
    return [
        {
            "student_iin": row["iin"],
            "rating1": row["rating1"],
            "rating2": row["rating2"],
            "exam": row["exam"] or None,
        }
        for row in rows
    ]


def check_rows(rows: list[dict[str, Any]], computed: list[dict[str, Any]]) -> list[str]:
    """Per-row errors found before saving: missing ratings and what the policy refuses."""
    errors = []
    for row, result in zip(rows, computed, strict=True):
        if _blank(row["rating1"]) or _blank(row["rating2"]):
            errors.append(_("Enter both ratings."))
        else:
            errors.append(result["error"])
    return errors


class StatementEditorMixin(RegistryView):
    """What the new-statement and edit-draft pages share: the grid page and saving."""

    template_name = "records/admin/grade_statement_form.html"
    header_icon = "table"

    def render_grid(
        self,
        form: StatementHeaderForm,
        group: StudyGroup,
        rows: list[dict[str, Any]],
        errors: list[str] | None = None,
        document: Document | None = None,
        status: int = 200,
    ) -> HttpResponse:
        exam_date = getattr(form, "cleaned_data", {}).get("exam_date") or form.initial.get("exam_date")
        policy = policy_on(exam_date if isinstance(exam_date, dt.date) else None)
        rows = lock_registered_ratings(form, group, rows)
        computed = [compute_row(row, policy) for row in rows]
        errors = errors or [""] * len(rows)
        grid = [
            {"index": i, **row, "computed": result, "error": error}
            for i, (row, result, error) in enumerate(zip(rows, computed, errors, strict=True))
        ]
        context = self.get_context_data(
            form=form,
            group=group,
            grid=grid,
            rows_count=len(rows),
            step=score_step(policy),
            document=document,
            compute_url=reverse("records_statements:compute"),
            cancel_url=document_url(document) if document else reverse("records_statements:new"),
        )
        return self.render_to_response(context, status=status)

    def save(
        self,
        request: HttpRequest,
        form: StatementHeaderForm,
        group: StudyGroup,
        document: Document | None,
    ) -> HttpResponse:
        """Validate the grid, then create or update the draft; errors are shown next to their row."""
        rows = rows_from_post(request.POST)
        if not form.is_valid():
            return self.render_grid(form, group, rows, document=document, status=400)
        if not rows:
            form.add_error(None, _("The statement has no students."))
            return self.render_grid(form, group, rows, document=document, status=400)
        errors = check_rows(rows, compute_rows(rows, form.cleaned_data["exam_date"]))
        if form.cleaned_data["attempt_kind"] != "regular":
            errors = [
                "" if all(_blank(row[f]) for f in SCORE_FIELDS) else e
                for row, e in zip(rows, errors, strict=True)
            ]
        if any(errors):
            form.add_error(None, _("Correct the rows marked below."))
            return self.render_grid(form, group, rows, errors, document=document, status=400)
        kept = [i for i, row in enumerate(rows) if not all(_blank(row[f]) for f in SCORE_FIELDS)]
        data = form.statement_data(group, lines_of([rows[i] for i in kept]))
        try:
            if document is None:
                # Made by the kind in the statement's language, whatever the teacher's interface is in.
                title = get_kind(KIND).make_title(data)
                document = document_create(
                    by=request.user,
                    kind=KIND,
                    org_unit=group.programme.department,
                    title=title,
                    data=data,
                )
                messages.success(request, _("Draft grade statement created."))
            else:
                document_update_draft(
                    document=document,
                    by=request.user,
                    lock_version=form.cleaned_data["lock_version"] or 0,
                    data=data,
                )
                messages.success(request, _("Draft saved."))
        except RecordsError as exc:
            row = exc.params.get("row") if exc.code == "bad_line" else None
            if isinstance(row, int) and 1 <= row <= len(kept):
                errors[kept[row - 1]] = exc.message
            form.add_error(None, exc.message)
            return self.render_grid(form, group, rows, errors, document=document, status=400)
        return HttpResponseRedirect(document_url(document))


class StatementDueView(RegistryView):
    """The teacher's start page: the statements due this term, from the registered curricula."""

    template_name = "records/admin/grade_statements_due.html"
    page_title = gettext_lazy("Grade statements due this term")
    header_icon = "table"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not statement_groups(request.user):
            return forbidden(request, _("You may not draft grade statements for any group."))
        term = current_term(timezone.localdate())
        rows = []
        for due in statements_due(user=request.user, term=term):
            document = due.document
            if document is None:
                action, url = (
                    _("Start"),
                    reverse("records_statements:new")
                    + "?"
                    + urlencode({"group": due.group.code, "discipline": due.code}),
                )
            elif document.state == State.DRAFT and may(request.user, "edit", document):
                action, url = _("Continue"), reverse("records_statements:edit", args=[document.pk])
            else:
                action, url = _("Open"), document_url(document)
            rows.append(
                {
                    "due": due,
                    "state": state_label(document.state) if document is not None else _("Not started"),
                    "action": action,
                    "url": url,
                }
            )
        context = self.get_context_data(
            rows=rows,
            term=term,
            term_label=term_label(term),
            other_url=reverse("records_statements:new"),
        )
        return self.render_to_response(context)


def term_label(term: Term) -> str:
    """ "2026/27, autumn term" in the active language."""
    period = {1: _("autumn term"), 2: _("spring term"), 3: _("summer term")}.get(term.period, "")
    return _("%(start)s/%(end)s, %(period)s") % {
        "start": term.year,
        "end": f"{(term.year + 1) % 100:02d}",
        "period": period,
    }


def due_discipline(user: Any, group: StudyGroup, code: str) -> DueStatement | None:
    """The discipline `code` of `group` due this term (None when the curriculum has no such line)."""
    term = current_term(timezone.localdate())
    for due in statements_due(user=user, term=term):
        if due.group.pk == group.pk and due.code == code:
            return due
    return None


class StatementCreateView(StatementEditorMixin):
    """Choose a group, then fill the grid of its students; saving creates the draft."""

    page_title = gettext_lazy("New grade statement")

    def _group(self, request: HttpRequest) -> StudyGroup | HttpResponse | None:
        groups = statement_groups(request.user)
        if not groups:
            return forbidden(request, _("You may not draft grade statements for any group."))
        code = request.GET.get("group", "")
        if not code:
            return None
        for group in groups:
            if group.code == code:
                return group
        raise Http404

    def get(self, request: HttpRequest) -> HttpResponse:
        group = self._group(request)
        if isinstance(group, HttpResponse):
            return group
        if group is None:
            self.template_name = "records/admin/grade_statement_group.html"
            return self.render_to_response(self.get_context_data(groups=statement_groups(request.user)))
        today = timezone.localdate()
        term = current_term(today)
        initial: dict[str, Any] = {
            "examiner": _user_name(request.user),
            "academic_year": term.year,
            "period": term.period,
            "exam_date": today,
        }
        code = request.GET.get("discipline", "")
        if code:
            due = due_discipline(request.user, group, code)
            if due is None:
                raise Http404
            if due.document is not None:  # already started: open it rather than start a second one
                if due.document.state == State.DRAFT and may(request.user, "edit", due.document):
                    return HttpResponseRedirect(reverse("records_statements:edit", args=[due.document.pk]))
                return HttpResponseRedirect(document_url(due.document))
            initial.update(discipline_code=due.code, discipline_name=due.name, credits=due.credits)
            examiner = examiner_for(
                discipline_code=due.code, group_code=group.code, year=term.year, term=term.period
            )
            if examiner is not None:  # the registered load distribution names who examines
                initial["examiner"] = examiner.full_name()
        # Ratings registered in РК statements are filled in, not typed again (the draft takes them anyway).
        registered = rating_statement_ratings(
            discipline_code=code, group_code=group.code, academic_year=term.year, period=term.period
        )
        rows = [
            {
                **r,
                "rating1": str(registered.get(1, {}).get(r["iin"], "")),
                "rating2": str(registered.get(2, {}).get(r["iin"], "")),
                "exam": "",
            }
            for r in group_roster(group)
        ]
        form = StatementHeaderForm(initial=initial)
        if code:
            form.fix_discipline()
        return self.render_grid(form, group, rows)

    def post(self, request: HttpRequest) -> HttpResponse:
        group = self._group(request)
        if isinstance(group, HttpResponse):
            return group
        if group is None:
            raise Http404
        return self.save(request, StatementHeaderForm(request.POST), group, None)


def _header_value(form: StatementHeaderForm, name: str) -> Any:
    cleaned = getattr(form, "cleaned_data", None) or {}
    if name in cleaned:
        return cleaned[name]
    return form.data.get(name) if form.is_bound else form.initial.get(name)


def lock_registered_ratings(
    form: StatementHeaderForm, group: StudyGroup, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows with every rating registered in a РК statement shown as it counts and marked read-only:
    the draft takes the registered rating whatever is typed, so the grid does not offer to type it."""
    code = _header_value(form, "discipline_code")
    try:
        year, period = int(_header_value(form, "academic_year")), int(_header_value(form, "period"))
    except (TypeError, ValueError):
        return rows
    if not code:
        return rows
    registered = rating_statement_ratings(
        discipline_code=str(code), group_code=group.code, academic_year=year, period=period
    )
    if not registered:
        return rows
    locked = []
    for row in rows:
        row = dict(row)
        for control, field in ((1, "rating1"), (2, "rating2")):
            value = registered.get(control, {}).get(row.get("iin", ""))
            if value is not None:
                row[field], row[f"{field}_locked"] = str(value), True
        locked.append(row)
    return locked


def _user_name(user: Any) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return str(person.full_name())
    return str(user.get_full_name() or user.get_username())


class StatementEditView(StatementEditorMixin):
    """The grid of a draft statement, prefilled from its data; saving checks the lock version."""

    page_title = gettext_lazy("Edit grade statement")

    def _draft(self, request: HttpRequest, pk: int) -> tuple[Document, StudyGroup] | HttpResponse:
        document = self.load_document(pk)
        if document.kind != KIND:
            raise Http404
        if not may(request.user, "edit", document):
            return forbidden(request, _("You may not edit this document in its current state."))
        data = document.current_version.data if document.current_version else {}
        group = study_group_find(data.get("group_code"))
        if group is None:
            raise Http404
        self.page_subtitle = document.display_title
        return document, group

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = self._draft(request, pk)
        if isinstance(found, HttpResponse):
            return found
        document, group = found
        data = document.current_version.data if document.current_version else {}
        fields = StatementHeaderForm.base_fields
        initial = {k: data.get(k) for k in fields if k in data}
        initial["lock_version"] = document.lock_version
        if data.get("exam_date"):
            initial["exam_date"] = dt.date.fromisoformat(str(data["exam_date"]))
        return self.render_grid(
            StatementHeaderForm(initial=initial), group, rows_from_data(data), document=document
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = self._draft(request, pk)
        if isinstance(found, HttpResponse):
            return found
        document, group = found
        return self.save(request, StatementHeaderForm(request.POST), group, document)


class StatementComputeView(RegistryView):
    """POST JSON {exam_date, rows: [{rating1, rating2, exam}]} → the computed columns; nothing stored."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            payload = json.loads(request.body or b"{}")
            rows = payload.get("rows", [])
            if not isinstance(rows, list) or len(rows) > MAX_ROWS:
                raise ValueError
            rows = [r if isinstance(r, dict) else {} for r in rows]
            date = dt.date.fromisoformat(payload["exam_date"]) if payload.get("exam_date") else None
        except (ValueError, TypeError, AttributeError):
            return JsonResponse({"error": _("The request could not be read.")}, status=400)
        return JsonResponse({"rows": compute_rows(rows, date)})


urlpatterns = [
    path("", StatementDueView.as_view(), name="due"),
    path("new/", StatementCreateView.as_view(), name="new"),
    path("<int:pk>/edit/", StatementEditView.as_view(), name="edit"),
    path("compute/", StatementComputeView.as_view(), name="compute"),
]


area = AreaViewSet(
    "records_statements",
    url_prefix="statements",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(
            gettext_lazy("Grade statements"),
            "due",
            "statements-due",
            "table",
            112,
            may_draft_grade_statements,
        )
    ],
)

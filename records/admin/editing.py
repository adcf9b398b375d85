"""Writing through the back office: draft a document, edit a draft, take a lifecycle transition."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from records.admin.base import RegistryView, document_url, forbidden
from records.admin.display import transition_label
from records.admin.forms import DocumentCreateForm, DocumentEditForm, KindDataFormMixin, TransitionForm
from records.errors import RecordsError
from records.kinds.base import DocumentKind, all_kinds, get_kind
from records.labels import kind_name
from records.lifecycle import IRREVERSIBLE, NEEDS_REASON, TRANSITION_LABELS
from records.models import Document
from records.permissions import may
from records.selectors.org import person_find_by_iin, units_where_may_create
from records.services.document import (
    available_transitions,
    document_create,
    document_transition,
    document_update_draft,
)


def propose_title(kind: DocumentKind, data: dict[str, Any]) -> str:
    """The title proposed for a document of `kind` with `data`, in the active language.

    The one place the back office asks for a title: the kind's own title function when it has one
    (DocumentKind.make_title), else the kind's name with the student's name when there is one.
    """

    # A document written in a language of its own (orders, certificates) is titled in it.
    language = str(data.get("language") or (get_language() or "ru")[:2])
    make_title = getattr(kind, "make_title", None)
    if callable(make_title):
        return str(make_title(data, language))
    title = kind.names.get(language) or kind.name
    iin = str(data.get("student_iin") or "")
    person = person_find_by_iin(iin)
    if person is not None:
        title = f"{title}: {person.full_name(language)}"
    return title[:500]


class DocumentCreateView(RegistryView):
    """Choose a kind, then fill the form generated from its schema; success opens the new document."""

    template_name = "records/admin/document_form.html"
    page_title = gettext_lazy("New document")
    header_icon = "doc-empty-inverse"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.kind: DocumentKind | None = None
        code = request.GET.get("kind", "")
        if code:
            try:
                self.kind = get_kind(code)
            except RecordsError:
                self.kind = None

    def get_page_subtitle(self) -> str:
        return self.kind.name if self.kind else ""

    def choose_kind(self, request: HttpRequest) -> HttpResponse:
        """The kinds this user may draft somewhere."""
        kinds = [
            {
                "code": kind.code,
                "name": kind.name,
                "url": reverse("records_admin:create") + f"?kind={kind.code}",
            }
            for kind in all_kinds()
            if units_where_may_create(request.user, kind.code)
        ]
        if not kinds:
            return forbidden(request, _("You may not draft documents of any kind."))
        self.template_name = "records/admin/choose_kind.html"
        return self.render_to_response(self.get_context_data(kinds=kinds))

    def _form(self, request: HttpRequest, data: Any = None) -> DocumentCreateForm | HttpResponse:
        assert self.kind is not None
        units = units_where_may_create(request.user, self.kind.code)
        if not units:
            return forbidden(
                request, _("You may not draft a %(kind)s in any unit.") % {"kind": self.kind.name}
            )
        return DocumentCreateForm(data, kind=self.kind, units=units, user=request.user)

    def render_form(self, form: DocumentCreateForm) -> HttpResponse:
        action = reverse("records_admin:create") + f"?kind={form.kind.code}"
        return self.render_to_response(
            self.get_context_data(form=form, action_url=action, submit_label=_("Create draft"))
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.kind is None:
            return self.choose_kind(request)
        form = self._form(request)
        return form if isinstance(form, HttpResponse) else self.render_form(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        if self.kind is None:
            return self.choose_kind(request)
        form = self._form(request, request.POST)
        if isinstance(form, HttpResponse):
            return form
        if not form.is_valid():
            return self.render_form(form)
        try:
            data = form.document_data()
            document = document_create(
                by=request.user,
                kind=self.kind.code,
                org_unit=form.selected_unit(),
                title=form.cleaned_data["title"] or propose_title(self.kind, data),
                data=data,
            )
        except RecordsError as exc:
            form.add_error(None, exc.message)
            return self.render_form(form)
        messages.success(request, _("Draft “%(title)s” created.") % {"title": document.title})
        return HttpResponseRedirect(document_url(document))


class DocumentEditView(RegistryView):
    """Edit a draft in place; a concurrent save by someone else is reported and the input kept."""

    template_name = "records/admin/document_form.html"
    page_title = gettext_lazy("Edit draft")
    header_icon = "edit"

    def _editable(self, request: HttpRequest, pk: int) -> Document | HttpResponse:
        document = self.load_document(pk)
        if not may(request.user, "edit", document):
            return forbidden(request, _("You may not edit this document in its current state."))
        self.page_subtitle = document.display_title
        return document

    def render_form(self, document: Document, form: DocumentEditForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                form=form,
                document=document,
                kind_name=kind_name(document.kind),
                action_url=reverse("records_admin:edit", args=[document.pk]),
                cancel_url=document_url(document),
                submit_label=_("Save draft"),
            )
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._editable(request, pk)
        if isinstance(document, HttpResponse):
            return document
        version = document.current_version
        initial = {
            "lock_version": document.lock_version,
            "title": document.title,
            "comment": version.comment if version else "",
            **KindDataFormMixin.initial_from_data(version.data if version else {}),
        }
        form = DocumentEditForm(kind=get_kind(document.kind), user=request.user, initial=initial)
        return self.render_form(document, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._editable(request, pk)
        if isinstance(document, HttpResponse):
            return document
        form = DocumentEditForm(request.POST, kind=get_kind(document.kind), user=request.user)
        if not form.is_valid():
            return self.render_form(document, form)
        try:
            document_update_draft(
                document=document,
                by=request.user,
                lock_version=form.cleaned_data["lock_version"],
                title=form.cleaned_data["title"]
                or propose_title(get_kind(document.kind), form.document_data()),
                data=form.document_data(),
                comment=form.cleaned_data["comment"],
            )
        except RecordsError as exc:
            form.add_error(None, exc.message)
            return self.render_form(document, form)
        messages.success(request, _("Draft saved."))
        return HttpResponseRedirect(document_url(document))


class DocumentTransitionView(RegistryView):
    """GET: the confirmation step (and reason) of a transition; POST: take it through the service."""

    template_name = "records/admin/transition_confirm.html"

    def _prepare(self, request: HttpRequest, pk: int, name: str) -> Document | HttpResponse:
        if name not in TRANSITION_LABELS:
            raise Http404
        document = self.load_document(pk)
        if name not in available_transitions(document, request.user):
            return forbidden(request, _("You cannot take this action on this document now."))
        self.page_title = transition_label(name)
        self.page_subtitle = document.display_title
        return document

    def render_confirm(self, document: Document, name: str, form: TransitionForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                document=document,
                form=form,
                name=name,
                label=transition_label(name),
                irreversible=name in IRREVERSIBLE,
                action_url=reverse("records_admin:transition", args=[document.pk, name]),
                cancel_url=document_url(document),
            )
        )

    def get(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        document = self._prepare(request, pk, name)
        if isinstance(document, HttpResponse):
            return document
        form = TransitionForm(needs_reason=name in NEEDS_REASON, initial={"confirm": True})
        return self.render_confirm(document, name, form)

    def post(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        document = self._prepare(request, pk, name)
        if isinstance(document, HttpResponse):
            return document
        form = TransitionForm(request.POST, needs_reason=name in NEEDS_REASON)
        if not form.is_valid():
            return self.render_confirm(document, name, form)
        if name in IRREVERSIBLE and not form.cleaned_data["confirm"]:
            # An irreversible step is never taken without passing the confirmation page.
            return self.render_confirm(document, name, TransitionForm(needs_reason=name in NEEDS_REASON))
        try:
            document_transition(
                document=document, by=request.user, name=name, reason=form.cleaned_data["reason"]
            )
        except RecordsError as exc:
            if name in IRREVERSIBLE or name in NEEDS_REASON:
                form.add_error(None, exc.message)
                return self.render_confirm(document, name, form)
            messages.error(request, exc.message)
            return HttpResponseRedirect(document_url(document))
        messages.success(request, _("Done: %(action)s.") % {"action": transition_label(name)})
        return HttpResponseRedirect(document_url(document))

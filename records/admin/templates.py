"""Back office of document templates: upload with checks and preview, history, activation,
draft previews of documents, and batch rendering jobs with live progress.

Mounted at /admin/templates/ (namespace ``records_templates``) by its ``area`` (records/wagtail_hooks.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from records.admin.base import RegistryView, document_url, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import all_kinds, get_kind
from records.permissions import may_manage_templates
from records.selectors.templates import (
    template_history,
    template_slots,
    template_variables,
    template_version_get,
    template_version_preview,
)
from records.services.batch_rendering import (
    batch_render_start,
    render_job_get,
    render_job_status,
)
from records.services.templates import (
    TemplateRejected,
    document_preview_pdf,
    template_activate,
    template_reset_to_default,
    template_upload,
    template_version_download,
)

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE_NAMES = {"kk": gettext_lazy("Kazakh"), "ru": gettext_lazy("Russian"), "en": gettext_lazy("English")}


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.name) for kind in all_kinds()]


class TemplateUploadForm(forms.Form):
    """Kind, language, the .docx file and a comment."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=_kind_choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=list(LANGUAGE_NAMES.items()))
    file = forms.FileField(label=gettext_lazy("Word template (.docx)"))
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = settings.RECTORATE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s.")
                % {"size": upload.size, "limit": limit}
            )
        content: bytes = upload.read(limit + 1)
        return content


class BatchRenderForm(forms.Form):
    """Which documents to render: a kind and a mode."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=_kind_choices)
    mode = forms.ChoiceField(
        label=gettext_lazy("What to render"),
        choices=[
            ("pdf", gettext_lazy("Missing archival PDFs of approved documents")),
            ("preview", gettext_lazy("Previews of all drafts (a check, nothing stored)")),
        ],
    )


class TemplatesView(RegistryView):
    """Base of the template pages: administrators and registrars only."""

    header_icon = "doc-full-inverse"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
        {"url": reverse_lazy("records_templates:index"), "label": gettext_lazy("Templates")},
    ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_manage_templates(request.user):
            return forbidden(
                request, _("Only methodologists, administrators and registrars may manage templates.")
            )
        return super().dispatch(request, *args, **kwargs)

    def load_version(self, pk: int) -> Any:
        try:
            return template_version_get(user=self.request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None


class TemplateIndexView(TemplatesView):
    """Each kind and language with its active version; the upload form; batch rendering."""

    template_name = "records/admin/templates_index.html"
    page_title = gettext_lazy("Templates")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        # Home, then this page (its header); not Home alone, which made the header read "Home".
        return [self.breadcrumbs_items[0], {"url": "", "label": self.get_page_title()}]

    def page(self, upload_form: TemplateUploadForm, problems: Any = None, status: int = 200) -> HttpResponse:
        slots = [
            {
                "slot": slot,
                "language_name": LANGUAGE_NAMES.get(slot.language, slot.language),
                "url": reverse("records_templates:history", args=[slot.kind.code, slot.language]),
            }
            for slot in template_slots(user=self.request.user)
        ]
        variables = [
            {"kind": kind, "names": template_variables(kind), "required": kind.required_template_names}
            for kind in all_kinds()
        ]
        context = self.get_context_data(
            slots=slots,
            form=upload_form,
            problems=problems,
            has_errors=bool(problems) or bool(upload_form.errors),
            batch_form=BatchRenderForm(),
            variables=variables,
            variables_help=_(
                "A value is written %(value)s: the document's data are under data (for example "
                "%(example)s); the registry adds the number, the date, the QR code and the others "
                "listed below. A condition is %(condition)s, a repeated table row %(row)s."
            )
            % {
                "value": "{{ data.field }}",
                "example": "{{ data.student_iin }}",
                "condition": "{% if … %} … {% endif %}",
                "row": "{%tr for line in data.lines %} … {%tr endfor %}",
            },
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(TemplateUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TemplateUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            version = template_upload(
                by=request.user,
                kind=form.cleaned_data["kind"],
                language=form.cleaned_data["language"],
                docx_bytes=form.cleaned_data["file"],
                comment=form.cleaned_data["comment"],
            )
        except TemplateRejected as exc:
            return self.page(form, problems=exc.problems, status=400)
        except RecordsError as exc:
            form.add_error(None, exc.message)  # shown with the form, where the user is looking
            return self.page(form, status=400)
        messages.success(
            request, _("The template was stored as version %(number)s.") % {"number": version.number}
        )
        return HttpResponseRedirect(reverse("records_templates:version", args=[version.pk]))


class TemplateResetView(TemplatesView):
    """POST: set a kind's template in a language back to the built-in default."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, language: str) -> HttpResponse:
        try:
            previous = template_reset_to_default(by=request.user, kind=kind, language=language)
        except RecordsError as exc:
            messages.error(request, exc.message)
        else:
            if previous is None:
                messages.info(request, _("The built-in default was already in use."))
            else:
                messages.success(
                    request,
                    _("The built-in default is in use again; version %(number)s stays in the history.")
                    % {"number": previous.number},
                )
        return HttpResponseRedirect(reverse("records_templates:history", args=[kind, language]))


def kind_label(code: str) -> str:
    """The kind's name in the active language (its code when unknown)."""
    try:
        return get_kind(code).name
    except RecordsError:
        return code


class TemplateHistoryView(TemplatesView):
    """Every version of a kind's template in one language: who, when, hash, download."""

    template_name = "records/admin/templates_history.html"

    def get(self, request: HttpRequest, kind: str, language: str) -> HttpResponse:
        try:
            versions = template_history(user=request.user, kind=kind, language=language)
        except RecordsError:
            raise Http404 from None
        self.page_title = _("Template history: %(kind)s, %(language)s") % {
            "kind": kind_label(kind),
            "language": LANGUAGE_NAMES.get(language, language),
        }
        context = self.get_context_data(
            versions=versions,
            kind=kind,
            language=language,
            uses_default=not any(v.active for v in versions),
            reset_url=reverse("records_templates:reset", args=[kind, language]),
        )
        return self.render_to_response(context)


class TemplateVersionView(TemplatesView):
    """One version: its facts, font warnings, the sample preview, and "Activate"."""

    template_name = "records/admin/templates_version.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.load_version(pk)
        self.page_title = _("Template %(kind)s/%(language)s, version %(number)s") % {
            "kind": kind_label(version.template.kind),
            "language": LANGUAGE_NAMES.get(version.template.language, version.template.language),
            "number": version.number,
        }
        return self.render_to_response(self.get_context_data(version=version))


@method_decorator(xframe_options_sameorigin, name="dispatch")
class TemplateVersionPreviewView(TemplatesView):
    """The PDF rendered with the kind's sample data when the version was uploaded; the version page
    shows it in a frame, so this one response may be framed by the same origin."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            pdf = template_version_preview(user=request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_templates:version", args=[pk]))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(f"template-{pk}-preview.pdf", attachment=False)
        return response


class TemplateVersionDownloadView(TemplatesView):
    """The stored DOCX, checked against its hash."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            version, content = template_version_download(by=request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_templates:version", args=[pk]))
        response = HttpResponse(content, content_type=DOCX_MEDIA_TYPE)
        name = f"{version.template.kind}-{version.template.language}-v{version.number}.docx"
        response["Content-Disposition"] = content_disposition(name)
        return response


class TemplateActivateView(TemplatesView):
    """Confirm, then make the version the active one (earlier ones stay in history)."""

    template_name = "records/admin/templates_activate.html"
    page_title = gettext_lazy("Activate template version")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.load_version(pk)
        return self.render_to_response(self.get_context_data(version=version))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.load_version(pk)
        try:
            template_activate(by=request.user, template_version=version)
        except RecordsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Version %(number)s is now active.") % {"number": version.number})
        return HttpResponseRedirect(reverse("records_templates:version", args=[pk]))


@method_decorator(xframe_options_sameorigin, name="dispatch")
class DocumentPreviewView(RegistryView):
    """A fresh PDF of a document's current version (a draft too), nothing stored; may be framed by
    the same origin."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.load_document(pk)
        try:
            pdf = document_preview_pdf(by=request.user, document=document)
        except NotFoundOrForbidden:
            raise Http404 from None
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(document_url(document))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"preview-{document.registry_number or document.pk}.pdf"
        response["Content-Disposition"] = content_disposition(name, attachment=False)
        return response


class BatchRenderStartView(TemplatesView):
    """Start a batch rendering job and open its progress page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BatchRenderForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a kind of document and what to render."))
            return HttpResponseRedirect(reverse("records_templates:index"))
        try:
            job = batch_render_start(
                by=request.user, kind=form.cleaned_data["kind"], mode=form.cleaned_data["mode"]
            )
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_templates:index"))
        return HttpResponseRedirect(reverse("records_templates:job", args=[job.pk]))


class RenderJobView(RegistryView):
    """Progress of a batch rendering job; the page polls the status endpoint."""

    template_name = "records/admin/templates_job.html"
    breadcrumbs_items = TemplatesView.breadcrumbs_items

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            job = render_job_get(user=request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None
        self.page_title = _("Batch rendering #%(id)s") % {"id": job.pk}
        context = self.get_context_data(
            job=job,
            status=render_job_status(job),
            status_url=reverse("records_templates:job_status", args=[job.pk]),
        )
        return self.render_to_response(context)


class RenderJobStatusView(RegistryView):
    """The job's progress as JSON, for the page's polling."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            job = render_job_get(user=request.user, pk=pk)
        except NotFoundOrForbidden:
            raise Http404 from None
        return JsonResponse(render_job_status(job))


urlpatterns = [
    path("", TemplateIndexView.as_view(), name="index"),
    path("kinds/<slug:kind>/<slug:language>/", TemplateHistoryView.as_view(), name="history"),
    path("versions/<int:pk>/", TemplateVersionView.as_view(), name="version"),
    path("versions/<int:pk>/preview.pdf", TemplateVersionPreviewView.as_view(), name="version_preview"),
    path("versions/<int:pk>/download/", TemplateVersionDownloadView.as_view(), name="version_download"),
    path("versions/<int:pk>/activate/", TemplateActivateView.as_view(), name="activate"),
    path("kinds/<slug:kind>/<slug:language>/reset/", TemplateResetView.as_view(), name="reset"),
    path("documents/<int:pk>/preview.pdf", DocumentPreviewView.as_view(), name="document_preview"),
    path("jobs/new/", BatchRenderStartView.as_view(), name="job_start"),
    path("jobs/<int:pk>/", RenderJobView.as_view(), name="job"),
    path("jobs/<int:pk>/status.json", RenderJobStatusView.as_view(), name="job_status"),
]

area = AreaViewSet(
    "records_templates",
    url_prefix="templates",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(
            gettext_lazy("Templates"),
            "index",
            "registry-templates",
            "doc-full-inverse",
            130,
            may_manage_templates,
        )
    ],
)

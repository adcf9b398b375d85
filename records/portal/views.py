"""Public verification pages and the student portal (plain Django views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from records.downloads import content_disposition
from records.errors import RecordsError
from records.kinds.student_certificate import PURPOSE_LABELS
from records.kinds.titles import document_title
from records.selectors.audit import audit_chain_head
from records.selectors.document import document_current_pdf_unless
from records.selectors.students import student_home, student_own_document
from records.selectors.verification import UnreadablePdf
from records.services.audit import access_record
from records.services.certificates import certificate_request
from records.services.verification import public_verify, public_verify_link


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20, required=False)
    file = forms.FileField(label=_("Signed PDF file"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.RECTORATE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (more than %(mb)s MB)."),
                params={"mb": settings.RECTORATE_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("code") and not data.get("file"):
            raise forms.ValidationError(_("Upload the PDF or type the verification code."))
        return data


def verify_index(request: HttpRequest) -> HttpResponse:
    """/verify/: upload a PDF or type a code; the answer says authentic, in force, signed by whom."""
    result = None
    error = ""
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            result = public_verify(
                by=request.user,
                pdf=upload.read() if upload is not None else None,
                code=form.cleaned_data["code"],
            )
        except UnreadablePdf:
            error = str(_("This file cannot be read as a PDF."))
        else:
            if result is None:
                error = str(_("No registered document has this verification code."))
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "records/portal/verify.html", {"form": form, "result": result, "error": error}, status=status
    )


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """/verify/<code>/: the QR code's target."""
    result = public_verify_link(by=request.user, code=code)
    if result is None:
        raise Http404(_("No registered document has this verification code."))
    return render(
        request, "records/portal/verify.html", {"form": VerifyForm(), "result": result, "error": ""}
    )


PORTAL_CACHE_SECONDS = 300


@login_required(login_url="/portal/login/")
def portal_home(request: HttpRequest) -> HttpResponse:
    """/portal/: a student's own status and documents, nothing of anyone else's.

    The student's record and documents (the costly part: the transcript) are rendered once per
    student, language, day and audit chain head and then served from the cache: every registration,
    revocation or edit that could change them appends an audited event and moves the head, so the
    page never shows a record older than the last audited change (the form and messages stay live)."""
    key = ":".join(
        ("portal.home", str(request.user.pk), get_language() or "", str(localdate()), audit_chain_head())
    )
    parts = cache.get(key)
    if parts is None:
        home = student_home(user=request.user)
        context = {
            "person": home.person,
            "student": home.student,
            "transcript": home.transcript,
            "pending": home.pending,
            "documents": _titled(home.documents),
        }
        parts = {
            "person": home.person is not None,
            "head": render_to_string("records/portal/_home_head.html", context, request),
            "records": render_to_string("records/portal/_home_records.html", context, request),
        }
        cache.set(key, parts, PORTAL_CACHE_SECONDS)
    return render(
        request,
        "records/portal/home.html",
        {
            "person": parts["person"],
            "head": mark_safe(parts["head"]),  # noqa: S308 - our own autoescaped templates
            "records": mark_safe(parts["records"]),  # noqa: S308
            "form": CertificateRequestForm(),
        },
    )


def _titled(documents: Any) -> list[Any]:
    """The documents with ``portal_title``: the title in the reader's language (records.kinds.titles)."""
    listed = list(documents)
    for document in listed:
        document.portal_title = document_title(document, get_language() or "ru")
    return listed


class CertificateRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Where is it for?"), choices=())
    language = forms.ChoiceField(
        label=_("Language of the certificate"),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = list(PURPOSE_LABELS.items())  # type: ignore[attr-defined]


@login_required(login_url="/portal/login/")
def portal_certificate_request(request: HttpRequest) -> HttpResponse:
    """POST /portal/certificates/: issue a sealed certificate of study at once, or say why not."""
    if request.method != "POST":
        return redirect("portal")
    form = CertificateRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where the certificate is for and its language."))
        return redirect("portal")
    try:
        document = certificate_request(
            by=request.user, purpose=form.cleaned_data["purpose"], language=form.cleaned_data["language"]
        )
    except RecordsError as exc:
        messages.error(request, exc.message)
        return redirect("portal")
    messages.success(
        request, _("Certificate %(number)s is ready to download.") % {"number": document.registry_number}
    )
    return redirect("portal")


@login_required(login_url="/portal/login/")
def portal_document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of one of the student's own issued documents; anyone else's is a 404."""
    document = student_own_document(user=request.user, pk=pk)
    try:
        found = (
            document_current_pdf_unless(document, request.headers.get("If-None-Match", ""))
            if document is not None
            else None
        )
    except RecordsError as exc:  # the stored file is corrupt or missing: say so, do not fail
        messages.error(request, exc.message)
        return redirect("portal")
    if document is None or found is None:
        raise Http404(_("Document not found."))
    tag, pdf = found
    access_record(actor=request.user, action="document.download", document=document)
    # The bytes of a blob never change (content-addressed): the browser keeps its copy and asks again
    # each time (no-cache), and a 304 confirms it while the document's newest PDF is still that blob.
    response = HttpResponse(status=304) if pdf is None else HttpResponse(pdf, content_type="application/pdf")
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = content_disposition(f"{document.registry_number or document.pk}.pdf")
    return response

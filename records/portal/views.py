"""Public verification pages and the student portal (plain Django views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from records.downloads import content_disposition
from records.models import Document, Person
from records.selectors import documents_visible_to
from records.services.audit import access_record
from records.services.verification import UnreadablePdf, verify_code_for_public, verify_pdf_for_public


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
        if upload is not None:
            try:
                result = verify_pdf_for_public(upload.read())
            except UnreadablePdf:
                error = str(_("This file cannot be read as a PDF."))
        else:
            result = verify_code_for_public(form.cleaned_data["code"])
            if result is None:
                error = str(_("No registered document has this verification code."))
        access_record(actor=request.user, action="verify.public", details={"ok": bool(result and result.ok)})
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "records/portal/verify.html", {"form": form, "result": result, "error": error}, status=status
    )


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """/verify/<code>/: the QR code's target."""
    result = verify_code_for_public(code)
    if result is None:
        raise Http404(_("No registered document has this verification code."))
    access_record(actor=request.user, action="verify.public", details={"code": code, "ok": result.ok})
    return render(
        request, "records/portal/verify.html", {"form": VerifyForm(), "result": result, "error": ""}
    )


@login_required(login_url="/portal/login/")
def portal_home(request: HttpRequest) -> HttpResponse:
    """/portal/: a student's own status and documents, nothing of anyone else's."""
    person = Person.objects.select_related("group__programme").filter(user_id=request.user.pk or 0).first()
    documents = (
        documents_visible_to(user=request.user).filter(subject=person) if person else Document.objects.none()
    )
    student = transcript = None
    pending: list[Any] = []
    if person is not None:
        from records.models import Student
        from records.projections.students import pending_changes

        student = Student.objects.select_related("programme", "group").filter(person=person).first()
        transcript = _transcript_for(student)
        pending = pending_changes(person)  # registered orders not yet in force: shown as "from <date>"
        from records.kinds.base import get_kind

        for event in pending:
            event.kind_name = get_kind(event.document.kind).name  # type: ignore[attr-defined]
    return render(
        request,
        "records/portal/home.html",
        {
            "person": person,
            "student": student,
            "transcript": transcript,
            "pending": pending,
            "documents": _titled(
                documents.select_related("current_version", "subject").prefetch_related("signatures")[:100]
            ),
            "form": CertificateRequestForm(),
        },
    )


def _titled(documents: Any) -> list[Any]:
    """The documents with ``display_title``: the title in the reader's language (records.kinds.titles)."""
    from django.utils.translation import get_language

    from records.kinds.titles import document_title

    listed = list(documents)
    for document in listed:
        document.display_title = document_title(document, get_language() or "ru")
    return listed


def _transcript_for(student: Any) -> Any:
    """The student's transcript data, when the registry has grades for them."""
    if student is None:
        return None
    from records.services.transcript import student_transcript

    return student_transcript(student.person)


class CertificateRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Where is it for?"), choices=())
    language = forms.ChoiceField(
        label=_("Language of the certificate"),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from records.kinds.student_certificate import PURPOSE_LABELS

        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = list(PURPOSE_LABELS.items())  # type: ignore[attr-defined]


@login_required(login_url="/portal/login/")
def portal_certificate_request(request: HttpRequest) -> HttpResponse:
    """POST /portal/certificates/: issue a sealed certificate of study at once, or say why not."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from records.errors import RecordsError
    from records.services.certificates import certificate_request

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
    from django.contrib import messages
    from django.shortcuts import redirect

    from records.errors import RecordsError
    from records.services.exports import document_current_pdf

    person = Person.objects.filter(user_id=request.user.pk or 0).first()
    document = (
        documents_visible_to(user=request.user).filter(pk=pk, subject=person).first() if person else None
    )
    try:
        pdf = document_current_pdf(document) if document is not None else None
    except RecordsError as exc:  # the stored file is corrupt or missing: say so, do not fail
        messages.error(request, exc.message)
        return redirect("portal")
    if document is None or pdf is None:
        raise Http404(_("Document not found."))
    access_record(actor=request.user, action="document.download", document=document)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{document.registry_number or document.pk}.pdf")
    return response

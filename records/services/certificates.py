"""Certificates of study: a student asks, the registry states their current status, the seal signs.

Issued at once, without an official in the loop: the system (records.actors) creates the document
from the student's projection (never typed) through the lifecycle engine, renders it in the chosen
language, seals it with the organisation's certificate and registers it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from records.actors import SystemActor
from records.errors import RecordsError
from records.kinds.student_certificate import PURPOSES, STUDENT_CERTIFICATE
from records.lifecycle import State
from records.models import Blob, Document, OrgUnit, Person, Signature, Student
from records.projections.students import due_status_people, recompute_student
from records.services.audit import audit_record
from records.services.document import document_create, document_transition, document_walk
from records.services.rendering import document_render_pdf
from signing import api as signing_api
from signing.errors import SigningCapabilityError

ALLOWED_STATUSES = {"enrolled", "on_leave"}
STATUS_TEXT = {
    "enrolled": {"kk": "оқиды", "ru": "обучается", "en": "is studying"},
    "on_leave": {
        "kk": "академиялық демалыста жүр",
        "ru": "находится в академическом отпуске",
        "en": "is on academic leave",
    },
}
FUNDING_TEXT = {
    "state_grant": {"kk": "мемлекеттік грант", "ru": "государственный грант", "en": "state grant"},
    "paid": {"kk": "ақылы негізде", "ru": "на платной основе", "en": "fee-paying"},
}


def _student_facts(person: Person) -> dict[str, Any]:
    """The student's state today from the projection, or a RecordsError saying why no certificate.

    The row is effective-dated: an order registered but not yet in force does not show; one whose date
    has come is applied first, should the daily task not have run yet.
    """
    if due_status_people(person_ids=[person.pk]):
        with transaction.atomic():
            recompute_student(person.pk)

    student = Student.objects.select_related("programme", "group").filter(person=person).first()
    if student is None or not student.status:
        raise RecordsError(
            "no_student_record",
            _(
                "The registry has no enrollment order for you yet, so a certificate cannot be issued. Contact the registrar's office."
            ),
        )
    if student.status not in ALLOWED_STATUSES:
        raise RecordsError(
            "status_forbids_certificate",
            _("A certificate of study cannot be issued: your status is «%(status)s» since %(since)s."),
            status=student.get_status_display(),
            since=student.status_since.isoformat() if student.status_since else "—",
        )
    return {"student": student}


def certificate_request(*, by: Any, purpose: str, language: str) -> Document:
    """Issue a sealed certificate of study for the signed-in student, in `language`, for `purpose`.

    The system issues it through the lifecycle engine on the student's request: drafted (the data
    may name only the student and their own group and programme), frozen and numbered in one
    transaction; then rendered, sealed and registered, with rendering and sealing outside any
    transaction. A failure after numbering leaves it numbered, and the next request finishes it.
    """

    if purpose not in PURPOSES:
        raise RecordsError("bad_purpose", _("Choose where the certificate is for."))
    if language not in ("kk", "ru", "en"):
        raise RecordsError("bad_language", _("Choose Kazakh, Russian or English."))
    person = Person.objects.filter(user_id=getattr(by, "pk", None) or 0, kind=Person.Kind.STUDENT).first()
    if person is None:
        raise RecordsError(
            "not_a_student", _("Only a student can request a certificate of study for themselves.")
        )
    student = _student_facts(person)["student"]
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    with translation.override(language):
        data = {
            "language": language,
            "purpose": purpose,
            "purpose_text": PURPOSES[purpose][language],
            "full_name": person.full_name(language),
            "sex": person.sex,
            "iin": person.iin,
            "programme_code": student.programme.code if student.programme else "",
            "programme_name": getattr(student.programme, f"name_{language}", "") if student.programme else "",
            "group": student.group.code if student.group else "",
            "year_of_study": student.year_of_study,
            "funding": FUNDING_TEXT.get(student.funding, {}).get(language, ""),
            "status": STATUS_TEXT[student.status][language],
            "university": getattr(root, f"name_{language}", "") if root else "",
        }
    unit = (
        student.programme.department
        if student.programme
        else person.group.programme.department
        if person.group
        else root
    )
    if unit is None:
        raise RecordsError("no_org_unit", _("The registry has no org unit for your programme."))
    system = SystemActor(for_user=by)
    document = _unfinished(person, purpose=purpose, language=language)
    if document is None:
        with transaction.atomic():  # drafted, frozen and numbered together, or not at all
            document = document_create(
                by=system,
                kind=STUDENT_CERTIFICATE.code,
                org_unit=unit,
                title=STUDENT_CERTIFICATE.make_title(data, language),
                data=data,
                subject=person,
            )
            document = document_walk(document=document, by=system, names=("submit", "approve"))
    return _issue(document, by=by, system=system, purpose=purpose, language=language)


def _unfinished(person: Person, *, purpose: str, language: str) -> Document | None:
    """The student's certificate for the same purpose and language that a failure left numbered but
    not yet sealed (rendering or sealing failed): a new request finishes it instead of taking a number."""
    return (
        Document.objects.filter(
            kind=STUDENT_CERTIFICATE.code,
            subject=person,
            state__in=(State.APPROVED, State.SIGNING),
            current_version__data__purpose=purpose,
            current_version__data__language=language,
        )
        .order_by("pk")
        .first()
    )


def _issue(document: Document, *, by: Any, system: SystemActor, purpose: str, language: str) -> Document:
    """Render, send for signing, seal and register a numbered certificate; each write is a short
    transaction and the rendering and sealing run outside any (they never hold the write lock)."""
    version = document_render_pdf(document=document, by=system)
    if Document.objects.filter(pk=document.pk, state=State.APPROVED).exists():
        document = document_transition(document=document, by=system, name="start_signing")
    data = version.data
    university = data.get("university") or "University"
    try:
        sealed = signing_api.seal(
            version.pdf_blob.read(),  # type: ignore[union-attr]
            field_name="seal",
            certify=True,
            signer_name=university,
            role_label={"kk": "Мөр", "ru": "Печать организации", "en": "Organisation seal"}[language],
            final=True,
        )
    except SigningCapabilityError as exc:
        raise RecordsError(
            "seal_failed", _("The certificate could not be sealed: %(error)s"), error=str(exc)
        ) from exc
    with transaction.atomic():
        locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if locked.state != State.SIGNING or locked.current_version_id != version.pk:
            return locked  # finished by a request running at the same time
        Signature.objects.create(
            document=locked,
            version=version,
            step="seal",
            role="organisation_seal",
            signer=by,
            signer_name=university,
            certificate_sha256=sealed.certificate_sha256,
            signed_at=sealed.signing_time,
            revision=sealed.revision,
            pdf_blob=Blob.store(sealed.pdf, "application/pdf"),
        )
        document = document_transition(document=locked, by=system, name="register")
        audit_record(
            actor=by,
            action="certificate.issue",
            document=document,
            changes={
                "purpose": purpose,
                "language": language,
                "number": document.registry_number,
                "state": State.REGISTERED,
            },
        )
    return document

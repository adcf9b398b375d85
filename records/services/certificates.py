"""Certificates of study: a student asks, the registry states their current status, the seal signs.

Issued at once, without an official in the loop: the document is created from the student's
projection (never typed), rendered in the chosen language, sealed with the organisation's
certificate and registered — all in one transaction, so a failure leaves nothing half-issued.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.student_certificate import PURPOSES, STUDENT_CERTIFICATE
from records.lifecycle import State
from records.models import Blob, Document, Person, Signature, Version
from records.services import hooks
from records.services.audit import audit_record
from records.services.registration import registration_reserve_number
from records.services.rendering import version_render
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
    from records.models import Student
    from records.projections.students import due_status_people, recompute_student

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
    """Issue a sealed certificate of study for the signed-in student, in `language`, for `purpose`."""
    from records.models import OrgUnit

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
    with transaction.atomic():
        document = Document(
            kind="student_certificate",
            title=STUDENT_CERTIFICATE.make_title(data, language),
            org_unit=unit,
            org_path=unit.path,
            subject=person,
            created_by=by,
            retention_class="5y",
        )
        document.save()
        version = Version.objects.create(
            document=document, number=1, data=data, author=by, frozen=True, frozen_at=timezone.now()
        )
        document.current_version = version
        for transition in ("submit", "approve", "start_signing"):
            getattr(document, transition)()
        registration_reserve_number(document=document)
        document.save()
        version_render(document=document, version=version)
        try:
            sealed = signing_api.seal(
                version.pdf_blob.read(),  # type: ignore[union-attr]
                field_name="seal",
                certify=True,
                signer_name=data["university"] or "University",
                role_label={"kk": "Мөр", "ru": "Печать организации", "en": "Organisation seal"}[language],
                final=True,
            )
        except SigningCapabilityError as exc:
            raise RecordsError(
                "seal_failed", _("The certificate could not be sealed: %(error)s"), error=str(exc)
            ) from exc
        Signature.objects.create(
            document=document,
            version=version,
            step="seal",
            role="organisation_seal",
            signer=by,
            signer_name=data["university"] or "University",
            certificate_sha256=sealed.certificate_sha256,
            signed_at=sealed.signing_time,
            revision=sealed.revision,
            pdf_blob=Blob.store(sealed.pdf, "application/pdf"),
        )
        document.register()
        document.registered_at = timezone.now()
        document.save()
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
        hooks.document_changed(document)
    return document

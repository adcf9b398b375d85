"""Signing by route: one signature, and batch signing; the last signature registers (through the engine).

`route_progress` is the engine's (records.services.document), named here too for its callers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.base import RouteStep, get_kind
from records.lifecycle import State
from records.models import Blob, Document, Signature
from records.permissions import has_role
from records.selectors.document import document_current_pdf
from records.services import hooks
from records.services.audit import audit_record
from records.services.document import document_transition, route_progress
from signing import api as signing_api
from signing.credentials import Credential, load_official
from signing.errors import SigningCapabilityError
from signing.pades import SignResult


def _step_for(document: Document, user: Any) -> RouteStep:
    """The route step `user` may sign now, or a RecordsError saying why not."""
    if document.state != State.SIGNING:
        raise RecordsError("not_signing", _("This document is not waiting for signatures."))
    step = route_progress(document).next_step
    if step is None:
        raise RecordsError("route_complete", _("Every step of the signing route has already signed."))
    if not has_role(user, {step.role}, document.org_path):
        raise RecordsError(
            "not_your_step",
            _("The next signature is the %(step)s's; you do not hold that role for this document."),
            step=str(step.label).lower(),
        )
    return step


def _sign_args(document: Document, step: RouteStep) -> dict[str, Any]:
    route = get_kind(document.kind).signing_route
    return {
        "field_name": step.code,
        "certify": step.code == route[0].code,  # the first signature certifies (DocMDP: form filling)
        "final": step.code == route[-1].code,  # the last adds revocation data and a document timestamp
        "role_label": _label_in(step, "ru"),  # the document's language, not the signer's interface
    }


def _label_in(step: RouteStep, language: str) -> str:
    with translation.override(language):
        return str(step.label)


def signer_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return person.full_name("ru") if person is not None else (user.get_full_name() or user.get_username())


def _pdf_to_sign(document: Document, by: Any) -> tuple[RouteStep, bytes]:
    """The step ``by`` signs now and the PDF they sign (read without holding the write lock)."""
    step = _step_for(document, by)
    pdf = document_current_pdf(document)
    if pdf is None:
        raise RecordsError("no_pdf", _("The document has no rendered PDF to sign."))
    return step, pdf


def _sign_locked(*, document: Document, by: Any, sign: Callable[..., SignResult]) -> Signature:
    """Check the step, sign the current PDF outside any transaction (pyHanko and the TSA take seconds),
    then lock, check nothing moved meanwhile, record the signature, register after the last step.

    A document that changed while it was being signed (another signature, a rejection, a new version)
    keeps its state and the new signature is discarded, never stored."""

    current = Document.objects.select_related("current_version").get(pk=document.pk)
    step, pdf = _pdf_to_sign(current, by)
    version_id, pdf_sha256 = current.current_version_id, hashlib.sha256(pdf).hexdigest()
    name = signer_name(by)
    try:
        result = sign(pdf, signer_name=name, **_sign_args(current, step))
    except SigningCapabilityError as exc:
        raise RecordsError("signing_refused", "%(error)s", error=str(exc)) from exc

    with transaction.atomic():
        locked = (
            Document.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=document.pk)
        )
        step_now, pdf_now = _pdf_to_sign(locked, by)
        if (
            step_now.code != step.code
            or locked.current_version_id != version_id
            or hashlib.sha256(pdf_now).hexdigest() != pdf_sha256
        ):
            raise RecordsError(
                "changed_while_signing",
                _(
                    "The document changed while it was being signed; the signature was discarded. Sign it again."
                ),
            )
        signature = Signature.objects.create(
            document=locked,
            version=locked.current_version,
            step=step.code,
            role=step.role,
            signer=by,
            signer_name=name,
            certificate_sha256=result.certificate_sha256,
            signed_at=result.signing_time,
            revision=result.revision,
            pdf_blob=Blob.store(result.pdf, "application/pdf"),
        )
        audit_record(
            actor=by,
            action="document.sign",
            document=locked,
            changes={
                "step": step.code,
                "certificate_sha256": result.certificate_sha256,
                "signed_at": result.signing_time.isoformat(),
                "revision": result.revision,
                "pdf_sha256": signature.pdf_blob_id,
                "pades_level": result.pades_level,
            },
        )
        progress = route_progress(locked)  # once: the engine's register condition reads this one
        if progress.complete:
            document_transition(document=locked, by=by, name="register", route=progress)
        else:
            hooks.document_changed(locked)
    return signature


def document_sign(*, document: Document, by: Any, passphrase: str) -> Signature:
    """The next official of the route signs with their key; the last signature registers the document."""

    def sign(pdf: bytes, **kwargs: Any) -> SignResult:
        return signing_api.sign(pdf, username=by.get_username(), passphrase=passphrase, **kwargs)

    return _sign_locked(document=document, by=by, sign=sign)


@dataclass
class BatchReport:
    """What a batch signing did: signed ids and, for every skipped document, why."""

    signed: list[int]
    failed: dict[int, str]


def documents_sign_batch(
    *,
    documents: list[Document],
    by: Any,
    passphrase: str,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BatchReport:
    """Sign many documents with one passphrase entry; each is its own transaction, so a stop keeps what was done."""
    try:
        credential: Credential = load_official(signing_api.pki_dir(), by.get_username(), passphrase)
    except SigningCapabilityError as exc:
        raise RecordsError("signing_refused", "%(error)s", error=str(exc)) from exc

    def sign(pdf: bytes, **kwargs: Any) -> SignResult:
        return signing_api.sign_with(credential, pdf, **kwargs)

    report = BatchReport(signed=[], failed={})
    for index, document in enumerate(documents, start=1):
        if should_stop is not None and should_stop():
            break
        try:
            _sign_locked(document=document, by=by, sign=sign)
            report.signed.append(document.pk)
        except RecordsError as exc:
            report.failed[document.pk] = exc.message
        if progress is not None:
            progress(index, len(documents))
    return report

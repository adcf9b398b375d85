"""Verification asked for by someone: the check itself is a read (records/selectors/verification.py);
these record that it was asked, once, whatever the answer."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils import translation

from records.errors import RecordsError
from records.selectors.document import document_current_pdf, documents_by_ids
from records.selectors.verification import PublicVerification, verify_code_for_public, verify_pdf_for_public
from records.services.audit import access_record, audit_record
from signing import api as signing_api
from signing.errors import SigningCapabilityError

logger = logging.getLogger(__name__)


def public_verify(*, by: Any, pdf: bytes | None = None, code: str = "") -> PublicVerification | None:
    """/verify/: the answer for an uploaded PDF (else for a typed code; None: no such code), recorded as
    one read even when the file cannot be read (UnreadablePdf propagates)."""
    result = None
    try:
        result = verify_pdf_for_public(pdf) if pdf is not None else verify_code_for_public(code)
    finally:
        access_record(actor=by, action="verify.public", details={"ok": bool(result and result.ok)})
    return result


def public_verify_link(*, by: Any, code: str) -> PublicVerification | None:
    """/verify/<code>/, the QR code's target: the answer (None: no such code, nothing recorded)."""
    result = verify_code_for_public(code)
    if result is not None:
        access_record(actor=by, action="verify.public", details={"code": code, "ok": result.ok})
    return result


def operator_verify(*, by: Any, pdf: bytes) -> PublicVerification:
    """`manage.py verify FILE`: the same answer, recorded in the audit chain."""
    result = verify_pdf_for_public(pdf)
    audit_record(actor=by, action="verify.cli", changes={"ok": result.ok, "number": result.registry.number})
    return result


def verification_reports_prepare(*, document_ids: list[int]) -> int:
    """Compute today's verification report of each document's current PDF in every language and keep
    it where the report page reads it (``signing.api.verify``'s cache: PDF SHA-256, trust store, day,
    language). The worker runs it when signing or timestamping completes and daily for recently viewed
    documents; a report already there is not computed again. Each report states when it was computed
    (``validated_at``). Returns how many documents were prepared; one that cannot be read is skipped
    (its page shows the problem)."""
    prepared = 0
    for document in documents_by_ids(document_ids).select_related("current_version"):
        try:
            pdf = document_current_pdf(document)
            if pdf is None:
                continue
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    signing_api.verify(pdf)
            signing_api.archive_timestamp_expires(pdf)  # the LTV page's row
        except (SigningCapabilityError, RecordsError) as exc:
            logger.warning("verification report of document %s not prepared: %s", document.pk, exc)
            continue
        prepared += 1
    return prepared

"""Verification asked for by someone: the check itself is a read (records/selectors/verification.py);
these record that it was asked, once, whatever the answer."""

from __future__ import annotations

from typing import Any

from records.selectors.verification import PublicVerification, verify_code_for_public, verify_pdf_for_public
from records.services.audit import access_record, audit_record


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

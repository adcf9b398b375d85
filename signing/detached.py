"""Detached CMS signatures over plain bytes (not PDFs), with an RFC 3161 signature timestamp.

Used to seal evidence that lives outside a PDF (e.g. checkpoints of an audit chain): the bytes are
signed by a credential (the organisation seal), the signature is timestamped by the configured TSA,
and ``verify_detached`` checks integrity, trust of the signer and the TSA, and reports the
timestamp's time and the signer's subject so the caller can decide whether the signer is the one it
expects.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from asn1crypto import cms
from django.utils.translation import gettext as _
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import generic_cms
from pyhanko_certvalidator import ValidationContext

from .credentials import Credential

DIGEST = "sha256"


def sign_detached(data: bytes, *, credential: Credential, tsa: TimeStamper) -> bytes:
    """DER of a CMS SignedData over ``data`` (detached), with a signature timestamp token."""
    signed = asyncio.run(
        credential.signer.async_sign_general_data(data, DIGEST, detached=True, timestamper=tsa)
    )
    return bytes(signed.dump())


@dataclass(frozen=True)
class DetachedCheck:
    """What a detached signature says: intact, trusted, by whom, timestamped when; problems in words."""

    intact: bool
    trusted: bool
    timestamped: bool
    signer_subject: str = ""
    signer_sha256: str = ""
    timestamp_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.timestamped and not self.problems


def verify_detached(data: bytes, signature: bytes, *, validation_context: ValidationContext) -> DetachedCheck:
    """Check a detached CMS signature over ``data``: integrity, signer trust, a valid trusted timestamp."""
    try:
        content = cms.ContentInfo.load(signature)
        signed_data = content["content"]
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        status = asyncio.run(
            generic_cms.async_validate_detached_cms(
                data, signed_data, signer_validation_context=validation_context
            )
        )
    except Exception as exc:
        return DetachedCheck(
            False,
            False,
            False,
            problems=[_("The signature cannot be read: %(error)s") % {"error": exc.__class__.__name__}],
        )
    problems: list[str] = []
    intact = bool(status.intact and status.valid)
    if not intact:
        problems.append(_("The signature does not match the signed content."))
    trusted = bool(status.trusted)
    if not trusted:
        problems.append(_("The signer's certificate is not trusted."))
    timestamp = status.timestamp_validity
    timestamped = bool(timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted)
    if not timestamped:
        problems.append(_("The signature has no valid, trusted timestamp."))
    certificate = status.signing_cert
    return DetachedCheck(
        intact=intact,
        trusted=trusted,
        timestamped=timestamped,
        signer_subject=str(certificate.subject.human_friendly),
        signer_sha256=str(certificate.sha256.hex()),
        timestamp_at=timestamp.timestamp if timestamp is not None else None,
        problems=problems,
    )

"""The facade the domain calls: sign, batch-sign, seal, verify, report — configured by settings.

Settings: ``RECTORATE_PKI_DIR`` (local PKI and officials' key files) and ``RECTORATE_TSA_URL``
(an RFC 3161 TSA over HTTP; empty → the in-process TSA of the local PKI).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import ValidationContext

from . import detached, pades, pki, verification
from .credentials import Credential, load_official, seal_credential
from .detached import DetachedCheck
from .pades import BatchOutcome, SignResult
from .verification import VerificationReport

__all__ = [
    "BatchOutcome",
    "DetachedCheck",
    "SignResult",
    "VerificationReport",
    "archive_timestamp_expires",
    "etsi_report",
    "pki_dir",
    "seal",
    "seal_bytes",
    "seal_subject",
    "sign",
    "sign_many",
    "timestamper",
    "trust_roots_pem",
    "validation_context",
    "verify",
    "verify_sealed_bytes",
]


def pki_dir() -> Path:
    """The configured local PKI directory."""
    return Path(settings.RECTORATE_PKI_DIR)


def timestamper() -> TimeStamper:
    """The configured TSA: HTTP when RECTORATE_TSA_URL is set, else the local in-process TSA.

    Built once per PKI directory, TSA address and TSA key files (a re-initialised PKI gets a new one):
    loading the TSA key and chain for every signature cost about 0.2 s.
    """
    directory = pki_dir()
    stamp = tuple(
        (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
        for path in (directory / "tsa.key.pem", directory / "tsa.cert.pem")
    )
    return _timestamper(str(directory), getattr(settings, "RECTORATE_TSA_URL", ""), stamp)


@functools.lru_cache(maxsize=8)
def _timestamper(directory: str, tsa_url: str, _files: tuple[object, ...]) -> TimeStamper:
    return pades.make_timestamper(pki_dir=Path(directory), tsa_url=tsa_url)


def validation_context() -> ValidationContext:
    """Trust roots, intermediates and current CRLs of the local PKI (plus imported trust)."""
    return pades.local_validation_context(pki_dir())


def sign_with(
    credential: Credential,
    pdf: bytes,
    *,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
) -> SignResult:
    """Sign one prepared field with a credential already opened (batch signing opens the key once)."""
    return pades.sign_pdf(
        pdf,
        credential=credential,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
        tsa=timestamper(),
        validation_context=validation_context(),
    )


def sign(
    pdf: bytes,
    *,
    username: str,
    passphrase: str,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
) -> SignResult:
    """One official signs one prepared field with their PKCS#12 key (WrongPassphrase, CredentialRefused...)."""
    credential = load_official(pki_dir(), username, passphrase)
    return sign_with(
        credential,
        pdf,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
    )


def seal(
    pdf: bytes, *, field_name: str, certify: bool, signer_name: str, role_label: str, final: bool
) -> SignResult:
    """The organisation seal signs a document the system issues by itself."""
    return sign_with(
        seal_credential(pki_dir()),
        pdf,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
    )


def seal_bytes(data: bytes) -> bytes:
    """A detached CMS signature of the organisation seal over ``data``, timestamped by the configured TSA."""
    return detached.sign_detached(data, credential=seal_credential(pki_dir()), tsa=timestamper())


def seal_subject() -> str:
    """The subject of the organisation seal's certificate (tells the seal, renewed or not, from officials)."""
    return str(pki.load_certificate(pki_dir() / "seal.cert.pem").subject.human_friendly)


def verify_sealed_bytes(data: bytes, signature: bytes) -> DetachedCheck:
    """Check a detached signature made by ``seal_bytes`` against the local trust roots and CRLs."""
    return detached.verify_detached(data, signature, validation_context=validation_context())


def sign_many(
    pdfs: Iterable[bytes],
    *,
    username: str,
    passphrase: str,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
    progress: Callable[[int, int | None], None] | None = None,
) -> Iterator[BatchOutcome]:
    """Batch signing with one passphrase entry: the key is opened and checked once."""
    credential = load_official(pki_dir(), username, passphrase)
    yield from pades.sign_batch(
        pdfs,
        credential=credential,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
        tsa=timestamper(),
        validation_context=validation_context(),
        progress=progress,
    )


# A report is kept for a day: validation depends on the bytes, the trust store (roots, CRLs,
# intermediates), the day it is done and the language its problems are written in — all in the key.
VERIFY_CACHE_SECONDS = 24 * 60 * 60


def _trust_store() -> tuple[list[Any], list[Any], list[Any], str]:
    """Roots, CRLs and intermediates of the local trust store, and a fingerprint of all three."""
    directory = pki_dir()
    roots = pki.trust_roots(directory)
    crls = pki.current_crls(directory)
    others = pki.intermediate_certificates(directory)
    store = hashlib.sha256()
    for item in (*roots, *crls, *others):
        store.update(item.dump())
    return roots, crls, others, store.hexdigest()[:32]


def archive_timestamp_expires(pdf: bytes) -> str | None:
    """When the PDF's latest document timestamp stops proving anything (None: it has none).

    A fact of the bytes and the trust store, not of the day: kept without expiry, so the archive's
    LTV page validates each PDF once (the same report as ``verify``)."""
    *_store, fingerprint = _trust_store()
    key = f"signing.ltv:{hashlib.sha256(pdf).hexdigest()}:{fingerprint}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached["expires"]
    expires = verify(pdf).archive_timestamp_expires
    cache.set(key, {"expires": expires}, None)
    return expires


def verify(pdf: bytes) -> VerificationReport:
    """Verify a PDF against the local trust roots and CRLs (UnreadablePdf when it cannot be read).

    The report of the same bytes against the same trust store on the same day, in the same language,
    comes from the cache (a 3-signature B-LTA document takes seconds to validate)."""
    roots, crls, others, fingerprint = _trust_store()
    key = ":".join(
        (
            "signing.verify",
            hashlib.sha256(pdf).hexdigest(),
            fingerprint,
            timezone.now().date().isoformat(),
            translation.get_language() or "",
        )
    )
    report = cache.get(key)
    if isinstance(report, VerificationReport):
        return report
    report = verification.verify_pdf(pdf, trust_roots=roots, crls=crls, other_certs=others)
    cache.set(key, report, VERIFY_CACHE_SECONDS)
    return report


def etsi_report(pdf: bytes, *, field_name: str | None = None) -> bytes:
    """The ETSI TS 119 102-2 XML validation report of one signature."""
    return verification.etsi_report_xml(pdf, trust_roots=pki.trust_roots(pki_dir()), field_name=field_name)


def trust_roots_pem() -> str:
    """The trust anchors as PEM, for external validators."""
    return pki.trust_roots_pem(pki_dir())

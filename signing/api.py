"""The facade the domain calls: sign, batch-sign, seal, verify, report — configured by settings.

Settings: ``RECTORATE_PKI_DIR`` (local PKI and officials' key files), ``RECTORATE_TSA_URL``
(an RFC 3161 TSA over HTTP; empty → the in-process TSA of the local PKI) and
``RECTORATE_SEAL_PKCS12`` / ``RECTORATE_SEAL_PASSPHRASE`` (the organisation seal from its own
PKCS#12; empty → the local PKI's seal key).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from asn1crypto import pem as asn1_pem
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import ValidationContext

from doctemplates.limits import ChildFailed, LimitHit, Limits, run_limited

from . import detached, pades, pki, verification
from .credentials import Credential, load_official, load_pkcs12, seal_credential
from .detached import DetachedCheck
from .errors import UnreadablePdf, VerificationCut
from .pades import BatchOutcome, SignResult
from .verification import VerificationReport

__all__ = [
    "UPLOAD_VERIFY_LIMITS",
    "BatchOutcome",
    "DetachedCheck",
    "SignResult",
    "VerificationReport",
    "archive_timestamp_expires",
    "etsi_report",
    "local_tsa_rollover",
    "organisation_seal",
    "pki_dir",
    "report_cache_key",
    "seal",
    "seal_bytes",
    "seal_subject",
    "sign",
    "sign_many",
    "timestamper",
    "trust_bundle",
    "trust_roots_pem",
    "validation_context",
    "verifier",
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


def local_tsa_rollover(*, margin_days: int) -> dt.datetime | None:
    """Renew the local TSA's key and certificate when it ends within ``margin_days``; its new end, or None.

    Nothing to do with an external TSA (RECTORATE_TSA_URL): that authority renews its own certificate.
    Run before archival re-timestamping, so the renewal timestamps outlive the old TSA certificate.
    """
    if getattr(settings, "RECTORATE_TSA_URL", ""):
        return None
    directory = pki_dir()
    if pki.tsa_not_after(directory) > dt.datetime.now(dt.UTC) + dt.timedelta(days=margin_days):
        return None
    return pki.rollover_tsa(directory).not_valid_after_utc


def validation_context() -> ValidationContext:
    """Trust roots, intermediates and current CRLs of the local PKI (plus imported trust); with
    RECTORATE_REVOCATION_FETCHING, revocation data of other chains (an external TSA) is downloaded."""
    return pades.local_validation_context(
        pki_dir(), allow_fetching=bool(getattr(settings, "RECTORATE_REVOCATION_FETCHING", False))
    )


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


def organisation_seal() -> Credential:
    """The seal's credential: RECTORATE_SEAL_PKCS12 when configured, else the local PKI's seal key."""
    path = getattr(settings, "RECTORATE_SEAL_PKCS12", "")
    if path:
        return load_pkcs12(Path(path), getattr(settings, "RECTORATE_SEAL_PASSPHRASE", ""))
    return seal_credential(pki_dir())


def seal(
    pdf: bytes, *, field_name: str, certify: bool, signer_name: str, role_label: str, final: bool
) -> SignResult:
    """The organisation seal signs a document the system issues by itself."""
    return sign_with(
        organisation_seal(),
        pdf,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
    )


def seal_bytes(data: bytes) -> bytes:
    """A detached CMS signature of the organisation seal over ``data``, timestamped by the configured TSA."""
    return detached.sign_detached(data, credential=organisation_seal(), tsa=timestamper())


def seal_subject() -> str:
    """The subject of the organisation seal's certificate (tells the seal, renewed or not, from officials)."""
    if getattr(settings, "RECTORATE_SEAL_PKCS12", ""):
        return str(organisation_seal().certificate.subject.human_friendly)
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


class _CachedDiffs:
    """The outcomes of difference analyses, kept in the shared cache without expiry (facts of bytes)."""

    def get(self, key: str) -> Any:
        return cache.get(key)

    def set(self, key: str, value: Any) -> None:
        cache.set(key, value, None)


DIFF_MEMO = _CachedDiffs()


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

    A fact of the bytes (the TSA certificate inside the timestamp), not of the day or the trust store:
    kept without expiry, so the archive's LTV page reads each PDF once, and a new CRL does not send
    every row back to the PDF. UnreadablePdf when the signatures cannot be read."""
    key = f"signing.ltv:{verification.PYHANKO_VERSION}:{hashlib.sha256(pdf).hexdigest()}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached["expires"]
    expires = verification.archive_timestamp_expiry(pdf)
    cache.set(key, {"expires": expires}, None)
    return expires


# Checking the signatures of an untrusted upload may cost at most this. A hostile file is cheap to
# make and dear to check: 17 KB declaring two million objects cost 15 s of CPU, and every extra
# signature field pointing at one real signature is another CMS and certificate-path validation.
# A registered document with three B-LTA signatures and its timestamps takes well under a second.
UPLOAD_VERIFY_LIMITS = Limits(cpu_seconds=3, memory_bytes=512 * 1024 * 1024, wall_seconds=30)


def _verify_limited(pdf: bytes, **kwargs: Any) -> VerificationReport:
    """``verification.verify_pdf`` in the limited child; a limit hit inside pyHanko stays a limit hit."""
    try:
        return verification.verify_pdf(pdf, **kwargs)
    except UnreadablePdf as exc:  # verify_pdf turns every failure into UnreadablePdf, limits included
        if isinstance(exc.__cause__, LimitHit):
            raise exc.__cause__ from None
        if isinstance(exc.__cause__, MemoryError):
            raise LimitHit("memory", 0) from None
        raise


def _report_key(pdf: bytes, fingerprint: str) -> str:
    return ":".join(
        (
            "signing.verify",
            hashlib.sha256(pdf).hexdigest(),
            fingerprint,
            timezone.now().date().isoformat(),
            translation.get_language() or "",
        )
    )


def report_cache_key(pdf: bytes) -> str:
    """Where today's report of ``pdf`` in the active language is kept (benches and tests look there)."""
    return _report_key(pdf, _trust_store()[3])


def verify(pdf: bytes, *, limits: Limits | None = None) -> VerificationReport:
    """Verify a PDF against the local trust roots and CRLs (UnreadablePdf when it cannot be read).

    With ``limits`` (untrusted uploads: ``UPLOAD_VERIFY_LIMITS``) the check runs in a forked child
    that is cut off at the CPU, memory or time limit: VerificationCut names the limit reached.
    The report of the same bytes against the same trust store on the same day, in the same language,
    comes from the cache (a 3-signature B-LTA document takes seconds to validate)."""
    roots, crls, others, fingerprint = _trust_store()
    key = _report_key(pdf, fingerprint)
    report = cache.get(key)
    if isinstance(report, VerificationReport):
        return report
    if limits is None:
        report = verification.verify_pdf(
            pdf, trust_roots=roots, crls=crls, other_certs=others, diff_memo=DIFF_MEMO
        )
    else:
        try:
            report = run_limited(
                _verify_limited,
                pdf,
                trust_roots=roots,
                crls=crls,
                other_certs=others,
                diff_memo=DIFF_MEMO,
                limits=limits,
            )
        except LimitHit as exc:
            raise VerificationCut(exc.limit) from exc
        except ChildFailed as exc:  # the checker died (e.g. its stack overflowed on nested objects)
            raise UnreadablePdf(_("The PDF's signatures cannot be read (malformed signature data).")) from exc
    cache.set(key, report, VERIFY_CACHE_SECONDS)
    return report


def verifier() -> Callable[[bytes], VerificationReport]:
    """A verify function for many PDFs in a row (an export): the trust store is loaded once and the
    per-day report cache is skipped (each PDF is checked once). UnreadablePdf as ``verify``."""
    roots, crls, others, _fingerprint = _trust_store()

    def verify_one(pdf: bytes) -> VerificationReport:
        return verification.verify_pdf(pdf, trust_roots=roots, crls=crls, other_certs=others)

    return verify_one


def trust_bundle() -> dict[str, str]:
    """The trust store as PEM text for an offline validator: roots, intermediates, current CRLs."""
    directory = pki_dir()
    return {
        "roots": pki.trust_roots_pem(directory),
        "intermediates": "".join(
            asn1_pem.armor("CERTIFICATE", cert.dump()).decode()
            for cert in pki.intermediate_certificates(directory)
        ),
        "crls": "".join(
            asn1_pem.armor("X509 CRL", crl.dump()).decode() for crl in pki.current_crls(directory)
        ),
    }


def etsi_report(pdf: bytes, *, field_name: str | None = None) -> bytes:
    """The ETSI TS 119 102-2 XML validation report of one signature."""
    return verification.etsi_report_xml(pdf, trust_roots=pki.trust_roots(pki_dir()), field_name=field_name)


def trust_roots_pem() -> str:
    """The trust anchors as PEM, for external validators."""
    return pki.trust_roots_pem(pki_dir())

"""Verification of signed PDFs: PDF bytes in, a JSON-safe report out (never a traceback).

The classic pyHanko validator is used with a validation context built from the document's own DSS
(revocation data embedded at signing) plus the trust roots and CRLs the caller passes, so the verdict
works offline. The ETSI TS 119 102-2 XML report comes from pyHanko's AdES engine (``etsi_report_xml``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version as package_version
from typing import Any, Protocol

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffPolicy,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.fields import FieldMDPSpec, MDPPerm
from pyhanko.sign.general import UnacceptableSignerError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .errors import UnreadablePdf
from .pades import _read, _timestamp_time

# The difference analysis belongs to the pyHanko release that ran it: a new release analyses anew.
PYHANKO_VERSION = package_version("pyHanko")

ACCEPTED_LATER_CHANGES = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


class DiffMemo(Protocol):
    """Where the outcome of a difference analysis is kept (``signing.api`` uses the Django cache)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class MemoDiffPolicy(DiffPolicy):
    """pyHanko's default difference analysis, its outcome kept per PDF bytes and signed revision.

    What later revisions changed after a signature is a fact of the bytes alone (not of the day, the
    trust store or the reader's language), and it is the dear part of validation: every signed revision
    re-reads the whole object graph (about 0.2 s a signature on a rendered grade statement). The
    analysis itself is pyHanko's, unchanged; a stored outcome answers only for the very same bytes
    (SHA-256), signed revision, DocMDP and FieldMDP, under the same pyHanko version."""

    def __init__(self, pdf_sha256: str, memo: DiffMemo, inner: DiffPolicy = DEFAULT_DIFF_POLICY) -> None:
        self.pdf_sha256 = pdf_sha256
        self.memo = memo
        self.inner = inner

    def apply(
        self,
        old: Any,
        new: Any,
        field_mdp_spec: FieldMDPSpec | None = None,
        doc_mdp: MDPPerm | None = None,
    ) -> DiffResult:
        return self.inner.apply(old, new, field_mdp_spec=field_mdp_spec, doc_mdp=doc_mdp)

    def key(self, base_revision: int, field_mdp_spec: FieldMDPSpec | None, doc_mdp: MDPPerm | None) -> str:
        spec = hashlib.sha256(repr((field_mdp_spec, doc_mdp)).encode()).hexdigest()[:16]
        return f"signing.diff:{PYHANKO_VERSION}:{self.pdf_sha256}:{base_revision}:{spec}"

    def review_file(
        self,
        reader: PdfFileReader,
        base_revision: Any,
        field_mdp_spec: FieldMDPSpec | None = None,
        doc_mdp: MDPPerm | None = None,
    ) -> DiffResult | SuspiciousModification:
        if not isinstance(base_revision, int):  # a resolver: not a case this module creates
            return self.inner.review_file(
                reader, base_revision, field_mdp_spec=field_mdp_spec, doc_mdp=doc_mdp
            )
        key = self.key(base_revision, field_mdp_spec, doc_mdp)
        stored = self.memo.get(key)
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == "result":
            return DiffResult(ModificationLevel[stored[1]], set(stored[2]))
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == "suspicious":
            return SuspiciousModification(stored[1])
        outcome = self.inner.review_file(
            reader, base_revision, field_mdp_spec=field_mdp_spec, doc_mdp=doc_mdp
        )
        if isinstance(outcome, SuspiciousModification):
            self.memo.set(key, ("suspicious", str(outcome)))
        else:  # plain values only: pyHanko's text objects would drag the whole parsed PDF along
            fields = tuple(sorted(str(name) for name in outcome.changed_form_fields))
            self.memo.set(key, ("result", outcome.modification_level.name, fields))
        return outcome


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass
class SignatureReport:
    """The verdict on one signature field."""

    field_name: str
    signer_name: str
    certificate_sha256: str
    certificate_subject: str
    certificate_issuer: str
    signing_time: str | None
    timestamp_time: str | None
    signer_reported_time: str | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    timestamp_trusted: bool | None
    certifying: bool
    docmdp_permission: str | None
    coverage: str
    modification_level: str | None
    changed_after: bool
    disallowed_changes: bool
    signed_revision: int
    pades_level: str | None
    ok: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class TimestampReport:
    """The verdict on one document timestamp (the B-LTA archive timestamp)."""

    field_name: str
    time: str | None
    tsa_name: str
    tsa_certificate_expires: str | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str | None
    ok: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class VerificationReport:
    """The verdict on a whole PDF: every signature, every document timestamp, and an overall ``ok``."""

    ok: bool
    signatures: list[SignatureReport]
    document_timestamps: list[TimestampReport]
    problems: list[str]
    revisions: int
    certified: bool
    docmdp_permission: str | None
    validated_at: str
    archive_timestamp_expires: str | None = None  # latest expiry of a document timestamp TSA certificate

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dictionary (strings, numbers, booleans, lists and None only)."""
        return asdict(self)


def _validation_context(
    reader: PdfFileReader,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Iterable[asn1_crl.CertificateList],
    other_certs: Iterable[asn1_x509.Certificate],
    at: dt.datetime | None,
    revocation_mode: str,
) -> tuple[ValidationContext, bool]:
    """The context for this document, and whether it carries a DSS (embedded revocation data)."""
    kwargs: dict[str, Any] = {
        "trust_roots": list(trust_roots),
        "crls": list(crls),
        "other_certs": list(other_certs),
        "allow_fetching": False,
        "revocation_mode": revocation_mode,
        "moment": at,
    }
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return ValidationContext(**kwargs), False
    return dss.as_validation_context(kwargs), True


def _pades_level(
    embedded: EmbeddedPdfSignature, has_timestamp: bool, has_dss: bool, later_doc_ts: bool
) -> str | None:
    subfilter = str(embedded.sig_object.get("/SubFilter", ""))
    if subfilter != "/ETSI.CAdES.detached":
        return None
    if not has_timestamp:
        return "B-B"
    if not has_dss:
        return "B-T"
    return "B-LTA" if later_doc_ts else "B-LT"


def _signature_report(
    embedded: EmbeddedPdfSignature,
    vc: ValidationContext,
    *,
    has_dss: bool,
    doc_ts_revisions: list[int],
    diff_policy: DiffPolicy,
) -> SignatureReport:
    name = str(embedded.field_name)  # a plain str (see _timestamp_report)
    status = validate_pdf_signature(embedded, vc, diff_policy=diff_policy)
    cert = status.signing_cert
    ts_validity = status.timestamp_validity
    ts_time = ts_validity.timestamp if ts_validity is not None else _timestamp_time(embedded.signer_info)
    mod_level = status.modification_level
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    # Archive data (DSS, document timestamps) after a signature is not a change of the document.
    changed_after = coverage != SignatureCoverageLevel.ENTIRE_FILE and mod_level not in {
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    }
    disallowed = (
        status.docmdp_ok is False
        or (mod_level is not None and mod_level not in ACCEPTED_LATER_CHANGES)
        or coverage == SignatureCoverageLevel.UNCLEAR
    )
    problems: list[str] = []
    label = {"field": name}
    if not status.intact:
        problems.append(_("“%(field)s”: the signed bytes were altered (changed after signing).") % label)
    elif not status.valid:
        problems.append(_("“%(field)s”: the signature value does not match the certificate.") % label)
    if status.intact and disallowed:
        problems.append(_("“%(field)s”: the document was changed after signing in a way it forbids.") % label)
    if status.revoked:
        problems.append(_("“%(field)s”: the signer's certificate is revoked.") % label)
    elif status.intact and status.valid and not status.trusted:
        problems.append(_("“%(field)s”: the signer's certificate is not trusted.") % label)
    if ts_validity is not None and not ts_validity.trusted:
        problems.append(_("“%(field)s”: the signature timestamp is not trusted.") % label)
    docmdp = embedded.docmdp_level
    later_doc_ts = any(rev > embedded.signed_revision for rev in doc_ts_revisions)
    return SignatureReport(
        field_name=name,
        signer_name=str(cert.subject.native.get("common_name", "")),
        certificate_sha256=cert.sha256.hex(),
        certificate_subject=cert.subject.human_friendly,
        certificate_issuer=cert.issuer.human_friendly,
        signing_time=_iso(ts_time or status.signer_reported_dt),
        timestamp_time=_iso(ts_time),
        signer_reported_time=_iso(status.signer_reported_dt),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        timestamp_trusted=None if ts_validity is None else bool(ts_validity.trusted),
        certifying=docmdp is not None,
        docmdp_permission=docmdp.name if docmdp is not None else None,
        coverage=coverage.name,
        modification_level=mod_level.name if mod_level is not None else None,
        changed_after=changed_after,
        disallowed_changes=disallowed,
        signed_revision=embedded.signed_revision,
        pades_level=_pades_level(embedded, ts_time is not None, has_dss, later_doc_ts),
        ok=bool(status.bottom_line) and not problems,
        problems=problems,
    )


def _timestamp_report(
    embedded: EmbeddedPdfSignature, vc: ValidationContext, diff_policy: DiffPolicy
) -> TimestampReport:
    # A plain str: pyHanko's TextStringObject keeps a reference to the whole parsed PDF, which a
    # copied, pickled or cached report would then carry along (megabytes, seconds to deep-copy).
    name = str(embedded.field_name or "-")
    status = validate_pdf_timestamp(embedded, validation_context=vc, diff_policy=diff_policy)
    mod_level = status.modification_level
    problems: list[str] = []
    label = {"field": name}
    if not status.intact or not status.valid:
        problems.append(_("Document timestamp “%(field)s” is broken (changed after timestamping).") % label)
    elif not status.trusted:
        problems.append(_("Document timestamp “%(field)s” comes from an untrusted authority.") % label)
    if mod_level is not None and mod_level not in ACCEPTED_LATER_CHANGES:
        problems.append(_("Document timestamp “%(field)s”: the document was changed after it.") % label)
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    return TimestampReport(
        field_name=name,
        time=_iso(status.timestamp),
        tsa_name=str(status.signing_cert.subject.native.get("common_name", "")),
        tsa_certificate_expires=_iso(status.signing_cert.not_valid_after),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=coverage.name,
        modification_level=mod_level.name if mod_level is not None else None,
        ok=not problems,
        problems=problems,
    )


def verify_pdf(
    pdf: bytes,
    *,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Iterable[asn1_crl.CertificateList] | None = None,
    other_certs: Iterable[asn1_x509.Certificate] = (),
    at: dt.datetime | None = None,
    revocation_mode: str = "soft-fail",
    diff_memo: DiffMemo | None = None,
) -> VerificationReport:
    """Verify every signature and document timestamp of ``pdf``; UnreadablePdf when it cannot be read.

    With ``diff_memo`` the difference analysis of later revisions (a fact of the bytes) is kept there
    and reused for the same bytes; everything else (signatures, certificates, revocation, timestamps)
    is checked anew on every call."""
    reader = _read(pdf)
    diff_policy: DiffPolicy = DEFAULT_DIFF_POLICY
    if diff_memo is not None:
        diff_policy = MemoDiffPolicy(hashlib.sha256(pdf).hexdigest(), diff_memo)
    try:
        regular = list(reader.embedded_regular_signatures)
        doc_timestamps = list(reader.embedded_timestamp_signatures)
        signatures: list[SignatureReport] = []
        timestamps: list[TimestampReport] = []
        if regular or doc_timestamps:  # an unsigned PDF needs no validation context (an export checks many)
            vc, has_dss = _validation_context(
                reader, trust_roots, crls or (), other_certs, at, revocation_mode
            )
            doc_ts_revisions = [ts.signed_revision for ts in doc_timestamps]
            signatures = [
                _signature_report(
                    sig, vc, has_dss=has_dss, doc_ts_revisions=doc_ts_revisions, diff_policy=diff_policy
                )
                for sig in regular
            ]
            timestamps = [_timestamp_report(ts, vc, diff_policy) for ts in doc_timestamps]
        revisions = reader.xrefs.total_revisions
    except UnacceptableSignerError as exc:  # pragma: no cover - defensive
        raise UnreadablePdf(str(exc)) from exc
    except Exception as exc:
        raise UnreadablePdf(
            _("The PDF's signatures cannot be read (malformed signature data): %(error)s") % {"error": exc}
        ) from exc
    problems: list[str] = []
    if not signatures:
        problems.append(_("The document carries no signature."))
    latest_ts = max((t.tsa_certificate_expires or "" for t in timestamps), default="")
    parts: list[SignatureReport | TimestampReport] = [*signatures, *timestamps]
    for report in parts:
        problems.extend(report.problems)
        if not report.ok and not report.problems:
            problems.append(_("“%(field)s” did not validate.") % {"field": report.field_name})
    certifying = next((s for s in signatures if s.certifying), None)
    return VerificationReport(
        ok=not problems,
        signatures=signatures,
        document_timestamps=timestamps,
        problems=problems,
        revisions=revisions,
        certified=certifying is not None,
        docmdp_permission=certifying.docmdp_permission if certifying else None,
        validated_at=(at or dt.datetime.now(dt.UTC)).isoformat(),
        archive_timestamp_expires=latest_ts or None,
    )


def archive_timestamp_expiry(pdf: bytes) -> str | None:
    """When the latest document timestamp's TSA certificate expires (ISO 8601; None: no document
    timestamp): the same value as ``verify_pdf(...).archive_timestamp_expires``, read from the
    timestamp tokens without validating them. It is a fact of the bytes, not of the day or the trust
    store; whether each timestamp is intact and trusted is the report's business. UnreadablePdf as
    ``verify_pdf``."""
    reader = _read(pdf)
    try:
        expiries = [ts.signer_cert.not_valid_after for ts in reader.embedded_timestamp_signatures]
    except Exception as exc:
        raise UnreadablePdf(
            _("The PDF's signatures cannot be read (malformed signature data): %(error)s") % {"error": exc}
        ) from exc
    return max(expiries).isoformat() if expiries else None


def etsi_report_xml(
    pdf: bytes,
    *,
    trust_roots: Sequence[asn1_x509.Certificate],
    field_name: str | None = None,
) -> bytes:
    """The ETSI TS 119 102-2 validation report (XML) of one signature (default: the first) by pyHanko's AdES engine."""
    return asyncio.run(_etsi_report_xml(pdf, trust_roots=trust_roots, field_name=field_name))


async def _etsi_report_xml(
    pdf: bytes, *, trust_roots: Sequence[asn1_x509.Certificate], field_name: str | None
) -> bytes:
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko.sign.validation.report.tools import generate_report
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager

    reader = _read(pdf)
    signatures = list(reader.embedded_regular_signatures)
    chosen = [s for s in signatures if field_name is None or s.field_name == field_name]
    if not chosen:
        raise UnreadablePdf(
            _("The PDF has no signature “%(field)s” to report on.") % {"field": field_name or "-"}
        )
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(trust_roots)),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    result = await ades_lta_validation(chosen[0], spec)
    return generate_report(chosen[0], result).encode("utf-8")


def ades_indication(
    pdf: bytes, *, trust_roots: Sequence[asn1_x509.Certificate], field_name: str | None = None
) -> str:
    """The AdES (sub)indication of one signature, e.g. ``TOTAL_PASSED`` (via the ETSI XML report)."""
    xml = etsi_report_xml(pdf, trust_roots=trust_roots, field_name=field_name)
    from lxml import etree

    root = etree.fromstring(xml)
    main = [el.text for el in root.iter() if etree.QName(el).localname == "MainIndication"]
    return str(main[0]).rsplit(":", 1)[-1] if main else "UNKNOWN"

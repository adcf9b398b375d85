"""PAdES signing of prepared signature fields: certification, approvals, B-LTA on the final step, batches."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic, text
from pyhanko.pdf_utils.font import opentype
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.general import SigningError, as_signing_certificate, simple_cms_attribute
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner, PdfTimeStamper
from pyhanko.sign.timestamps import DummyTimeStamper, TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import generic_cms
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from . import pki
from .credentials import Credential, check_credential
from .errors import SigningFailed, UnreadablePdf

# Noto Sans has Cyrillic and Kazakh letters and 1000 units per em: pyHanko 0.38 writes glyph widths in
# font units, so fonts with 2048 units per em (DejaVu) come out with doubled letter spacing.
DEFAULT_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter at INFO level


class _OfflineRevinfoNotice(logging.Filter):
    """Drop pyHanko's per-signature warning that fetching is off: our CRLs are supplied, on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineRevinfoNotice())

STAMP_TEXT = "%(signer_name)s\n%(role)s\n%(ts)s"
# Reserve the signature size instead of letting pyHanko sign twice (a dry run) to estimate it. The
# first signature of a signer+TSA pair is estimated by pyHanko; later ones reserve the measured size
# plus a margin (a too-big reservation also slows verification: pyHanko parses /Contents hex slowly).
RESERVE_MARGIN = 2048
_measured_cms_sizes: dict[tuple[str, bool], int] = {}
CONTENTS_HEX = re.compile(rb"/Contents\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class SignResult:
    """One signed revision: the new PDF bytes, the signing time, the certificate and the revision index."""

    pdf: bytes
    signing_time: dt.datetime
    certificate_sha256: str
    revision: int
    timestamped: bool
    pades_level: str


@dataclass(frozen=True)
class BatchOutcome:
    """One document of a batch: its index, its result, or the error that kept it unsigned."""

    index: int
    result: SignResult | None
    error: str | None


class CachedKeyTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA, but parsing its RSA key once instead of on every token."""

    def __init__(self, *, pyca_key: rsa.RSAPrivateKey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: dt.datetime) -> Any:
        """Same signed attributes as pyHanko's DummyTimeStamper, signed with the cached key."""
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._pyca_key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


def local_timestamper(directory: Path) -> TimeStamper:
    """An in-process RFC 3161 TSA using the local PKI's time-stamping key (the embedded default)."""
    directory = Path(directory)
    pki.trust_roots(directory)
    pyca_key = serialization.load_pem_private_key((directory / "tsa.key.pem").read_bytes(), password=None)
    if not isinstance(pyca_key, rsa.RSAPrivateKey):
        raise SigningFailed(_("The local TSA key must be an RSA key."))
    tsa_key = asn1_keys.PrivateKeyInfo.load(
        pyca_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    chain = [
        pki.load_certificate(directory / "issuing.cert.pem"),
        pki.load_certificate(directory / "root.cert.pem"),
    ]
    return CachedKeyTimeStamper(
        pyca_key=pyca_key,
        tsa_cert=pki.load_certificate(directory / "tsa.cert.pem"),
        tsa_key=tsa_key,
        certs_to_embed=SimpleCertificateStore.from_certs(chain),
    )


def http_timestamper(url: str, *, timeout: int = 10, auth: tuple[str, str] | None = None) -> TimeStamper:
    """An RFC 3161 TSA reached over HTTP (production)."""
    return RequestsHTTPTimeStamper(url, timeout=timeout, auth=auth)


def make_timestamper(*, pki_dir: Path, tsa_url: str = "") -> TimeStamper:
    """The HTTP TSA when a URL is configured, else the local in-process TSA."""
    return http_timestamper(tsa_url) if tsa_url else local_timestamper(pki_dir)


def make_validation_context(
    *,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Iterable[asn1_crl.CertificateList] = (),
    other_certs: Iterable[asn1_x509.Certificate] = (),
    at: dt.datetime | None = None,
    allow_fetching: bool = False,
    revocation_mode: str = "hard-fail",
) -> ValidationContext:
    """A validation context with explicit trust roots and revocation data (no OS trust store)."""
    return ValidationContext(
        trust_roots=list(trust_roots),
        crls=list(crls),
        other_certs=list(other_certs),
        moment=at,
        allow_fetching=allow_fetching,
        revocation_mode=revocation_mode,
    )


def local_validation_context(
    directory: Path, *, at: dt.datetime | None = None, allow_fetching: bool = False
) -> ValidationContext:
    """A validation context over the local PKI: its root, intermediates and current CRLs; with
    ``allow_fetching``, also revocation data downloaded from the certificates' CRL and OCSP addresses
    (needed for chains the local PKI does not publish: an external TSA's, imported keys')."""
    return make_validation_context(
        trust_roots=pki.trust_roots(directory),
        crls=pki.current_crls(directory),
        other_certs=pki.intermediate_certificates(directory),
        at=at,
        allow_fetching=allow_fetching,
    )


# Latin, Latin-1, Cyrillic (with every Kazakh letter), dashes and quotes, the numero sign.
STAMP_CODEPOINTS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    *range(0x400, 0x530),
    *range(0x2010, 0x2028),
    0x2116,
]


def stamp_font(font_path: Path) -> Path:
    """A cached cut of ``font_path`` without layout tables: pyHanko subsets the font on every signature,
    and parsing Noto's GSUB/GPOS took ~0.45 s of each; the cut keeps every glyph a stamp needs."""
    stat = font_path.stat()
    key = hashlib.sha256(f"{font_path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "rectorate-stamp-fonts" / f"{font_path.stem}-{key}.ttf"
    if target.exists():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CODEPOINTS)
    font = TTFont(str(font_path))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    font.save(str(partial))
    partial.replace(target)
    return target


def _stamp_style(font_path: Path) -> TextStampStyle:
    font = opentype.GlyphAccumulatorFactory(str(stamp_font(font_path)), font_size=8)
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=text.TextBoxStyle(font=font, font_size=8),
        timestamp_format="%Y-%m-%d %H:%M %Z",
        border_width=1,
    )


def _read(pdf: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root  # noqa: B018 - force the trailer and catalog to parse
    except Exception as exc:
        raise UnreadablePdf(_("The file is not a readable PDF: %(error)s") % {"error": exc}) from exc
    if reader.encrypted:
        raise UnreadablePdf(_("The PDF is encrypted; encrypted documents cannot be signed or verified."))
    return reader


def _signature_fields(reader: PdfFileReader) -> dict[str, bool]:
    """Signature field names → filled?, without resolving /V (parsing a signature's hex is slow)."""
    found: dict[str, bool] = {}
    try:
        top = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return found
    stack: list[tuple[Any, str, Any, int]] = [(ref, "", None, 0) for ref in top]
    while stack:
        ref, parent_name, parent_type, depth = stack.pop()
        field = ref.get_object() if isinstance(ref, generic.IndirectObject) else ref
        if not isinstance(field, generic.DictionaryObject) or "/T" not in field or depth > 32:
            continue
        name = f"{parent_name}.{field['/T']}" if parent_name else str(field["/T"])
        field_type = field.get("/FT", parent_type)
        if field_type == "/Sig":
            found[name] = "/V" in field and not isinstance(field.raw_get("/V"), generic.NullObject)
        if "/Kids" in field:
            stack.extend((kid, name, field_type, depth + 1) for kid in field["/Kids"])
    return found


def _check_field(reader: PdfFileReader, field_name: str, certify: bool) -> None:
    names = _signature_fields(reader)
    if field_name not in names:
        raise SigningFailed(
            _("The PDF has no signature field “%(field)s” (prepared fields: %(fields)s).")
            % {"field": field_name, "fields": ", ".join(sorted(names)) or "-"}
        )
    if names[field_name]:
        raise SigningFailed(_("The signature field “%(field)s” is already signed.") % {"field": field_name})
    if certify and any(names.values()):
        raise SigningFailed(
            _("Only the first signature may certify the document; this one already has signatures.")
        )


def _timestamp_time(signer_info: Any) -> dt.datetime | None:
    for tst_signed_data in generic_cms.extract_tst_data_iter(signer_info, signed=False):
        gen_time: dt.datetime = tst_signed_data["encap_content_info"]["content"].parsed["gen_time"].native
        return gen_time
    return None


def _sign_one(
    pdf: bytes,
    *,
    credential: Credential,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
    tsa: TimeStamper | None,
    validation_context: ValidationContext | None,
    style: TextStampStyle,
    reason: str | None,
    location: str | None,
) -> SignResult:
    reader = _read(pdf)
    _check_field(reader, field_name, certify)
    if final and (tsa is None or validation_context is None):
        raise SigningFailed(
            _("The final signature needs a time-stamping authority and a validation context.")
        )
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=validation_context is not None,
        validation_context=validation_context,
        use_pades_lta=final,
    )
    pdf_signer = PdfSigner(meta, signer=credential.signer, timestamper=tsa, stamp_style=style)
    params = {"signer_name": signer_name, "role": role_label}
    size_key = (credential.certificate_sha256, tsa is not None)
    measured = _measured_cms_sizes.get(size_key)
    reserve: int | None = 2 * (measured + RESERVE_MARGIN) if measured else None  # hex digits
    while True:
        try:
            output = pdf_signer.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
                existing_fields_only=True,
                bytes_reserved=reserve,
                appearance_text_params=params,
            )
            break
        except SigningError as exc:
            if reserve is not None and "larger than expected" in str(exc):
                reserve = None  # let pyHanko estimate the size itself
                continue
            raise SigningFailed(_("pyHanko refused to sign: %(error)s") % {"error": exc}) from exc
        except PathValidationError as exc:  # e.g. no revocation data for an external TSA's chain
            raise SigningFailed(
                _("The timestamp or its revocation data cannot be validated: %(error)s") % {"error": exc}
            ) from exc
    signed_pdf = output.getvalue()
    # Our CMS is the first /Contents hex string appended to the input (pyHanko's tokenizer is slow on it).
    contents = CONTENTS_HEX.search(signed_pdf, len(pdf))
    if contents is None:  # pragma: no cover - pyHanko always writes it
        raise SigningFailed(_("The signed PDF has no signature contents."))
    cms_der = bytes.fromhex(contents.group(1).decode("ascii"))
    content_info = cms.ContentInfo.load(cms_der, strict=False)
    _measured_cms_sizes[size_key] = max(len(content_info.dump()), measured or 0)
    signer_info = content_info["content"]["signer_infos"][0]
    ts_time = _timestamp_time(signer_info)
    level = "B-B"
    if ts_time is not None:
        level = "B-T"
        if validation_context is not None:
            level = "B-LTA" if final else "B-LT"
    return SignResult(
        pdf=signed_pdf,
        signing_time=ts_time or generic_cms.extract_self_reported_ts(signer_info) or dt.datetime.now(dt.UTC),
        certificate_sha256=credential.certificate_sha256,
        # the signature is written in the first revision appended to the input (0-based index)
        revision=reader.xrefs.total_revisions,
        timestamped=ts_time is not None,
        pades_level=level,
    )


def sign_pdf(
    pdf: bytes,
    *,
    credential: Credential,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
    tsa: TimeStamper | None,
    validation_context: ValidationContext | None,
    reason: str | None = None,
    location: str | None = None,
    font_path: Path = DEFAULT_FONT,
) -> SignResult:
    """Fill the prepared field ``field_name``: certify (DocMDP form filling) or approve; final → B-LTA."""
    check_credential(credential, validation_context=validation_context)
    return _sign_one(
        pdf,
        credential=credential,
        field_name=field_name,
        certify=certify,
        signer_name=signer_name,
        role_label=role_label,
        final=final,
        tsa=tsa,
        validation_context=validation_context,
        style=_stamp_style(font_path),
        reason=reason,
        location=location,
    )


def sign_batch(
    pdfs: Iterable[bytes],
    *,
    credential: Credential,
    field_name: str,
    certify: bool,
    signer_name: str,
    role_label: str,
    final: bool,
    tsa: TimeStamper | None,
    validation_context: ValidationContext | None,
    progress: Callable[[int, int | None], None] | None = None,
    reason: str | None = None,
    location: str | None = None,
    font_path: Path = DEFAULT_FONT,
) -> Iterator[BatchOutcome]:
    """Sign many PDFs with one loaded key; one bad document does not stop the others; progress(done, total)."""
    check_credential(credential, validation_context=validation_context)
    style = _stamp_style(font_path)
    total = len(pdfs) if isinstance(pdfs, Sequence) else None
    for index, pdf in enumerate(pdfs):
        try:
            result = _sign_one(
                pdf,
                credential=credential,
                field_name=field_name,
                certify=certify,
                signer_name=signer_name,
                role_label=role_label,
                final=final,
                tsa=tsa,
                validation_context=validation_context,
                style=style,
                reason=reason,
                location=location,
            )
            outcome = BatchOutcome(index=index, result=result, error=None)
        except (SigningFailed, UnreadablePdf) as exc:
            outcome = BatchOutcome(index=index, result=None, error=str(exc))
        if progress is not None:
            progress(index + 1, total)
        yield outcome


def prepare_signature_fields(
    pdf: bytes, specs: Iterable[tuple[str, int, tuple[int, int, int, int]]]
) -> bytes:
    """Add visible signature fields (name, page index, box) before the first signature; mainly for tests."""
    reader_check = _read(pdf)
    del reader_check
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for name, page, box in specs:
        fields.append_signature_field(writer, fields.SigFieldSpec(name, on_page=page, box=box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def renew_archive_timestamp(pdf: bytes, *, tsa: TimeStamper, validation_context: ValidationContext) -> bytes:
    """Add fresh revocation data and a new document timestamp (archival renewal of a B-LTA document)."""
    reader = _read(pdf)
    if not list(reader.embedded_timestamp_signatures):
        raise SigningFailed(_("The document has no archive timestamp to renew; sign it as final first."))
    try:
        output = PdfTimeStamper(tsa).update_archival_timestamp_chain(
            reader, validation_context, in_place=False
        )
    except (SigningError, PathValidationError) as exc:
        raise SigningFailed(
            _("The archive timestamp could not be renewed: %(error)s") % {"error": exc}
        ) from exc
    renewed: bytes = output.getvalue()
    return renewed

"""Signer credentials: PKCS#12 files (local PKI or imported), the organisation seal, PKCS#11 tokens.

A credential is checked *before* signing (``check_credential``): a revoked, expired or not yet valid
certificate, or one without digitalSignature + nonRepudiation, is refused with a clear message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from . import pki
from .errors import CredentialError, CredentialRefused, WrongPassphrase

REQUIRED_KEY_USAGE = frozenset({"digital_signature", "non_repudiation"})


class CachedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once instead of on every signature."""

    def __init__(
        self, *, pyca_key: Any, signing_cert: asn1_x509.Certificate, chain: Sequence[asn1_x509.Certificate]
    ):
        der = pyca_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        super().__init__(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
        )
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign with the cached key (RSA PKCS#1 v1.5 or ECDSA; anything else falls back to pyHanko)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._pyca_key, rsa.RSAPrivateKey):
            return self._pyca_key.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._pyca_key, ec.EllipticCurvePrivateKey):
            return self._pyca_key.sign(data, ec.ECDSA(hash_algo))
        result: bytes = super().sign_raw(data, digest_algorithm)
        return result


@dataclass
class Credential:
    """A loaded signer: the pyHanko signer, its certificate and chain; close() releases a token session."""

    signer: signers.Signer
    certificate: asn1_x509.Certificate
    chain: list[asn1_x509.Certificate] = field(default_factory=list)
    source: str = "pkcs12"
    session: Any = None

    @property
    def certificate_sha256(self) -> str:
        """Hex SHA-256 fingerprint of the signing certificate."""
        return str(self.certificate.sha256.hex())

    @property
    def subject_name(self) -> str:
        """The certificate subject's common name."""
        return str(self.certificate.subject.native.get("common_name", ""))

    def close(self) -> None:
        """Release the PKCS#11 session, if any."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def __enter__(self) -> Credential:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _to_asn1(cert: Any) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def load_pkcs12(data: bytes | Path, passphrase: str) -> Credential:
    """Open a PKCS#12 (bytes or path) with its passphrase; WrongPassphrase when it does not open."""
    if isinstance(data, Path):
        if not data.exists():
            raise CredentialError(
                _("No key file at %(path)s; has a certificate been issued?") % {"path": data}
            )
        data = data.read_bytes()
    try:
        asn1_pkcs12.Pfx.load(data)["auth_safe"].native  # noqa: B018 - parse to tell garbage from a bad passphrase
    except Exception as exc:
        raise CredentialError(_("The key file is not a PKCS#12 (.p12/.pfx) file.")) from exc
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode())
    except ValueError as exc:
        raise WrongPassphrase(_("The passphrase is wrong: it does not open this key file.")) from exc
    if key is None or cert is None:
        raise CredentialError(_("The PKCS#12 file holds no private key with its certificate."))
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CredentialError(_("Only RSA and ECDSA keys can sign documents (GOST keys are not supported)."))
    certificate = _to_asn1(cert)
    chain = [_to_asn1(c) for c in extra]
    return Credential(
        signer=CachedKeySigner(pyca_key=key, signing_cert=certificate, chain=chain),
        certificate=certificate,
        chain=chain,
    )


def load_official(directory: Path, username: str, passphrase: str) -> Credential:
    """Open the PKCS#12 of ``username`` from the local PKI directory."""
    return load_pkcs12(pki.official_pkcs12_path(Path(directory), username), passphrase)


def seal_credential(directory: Path) -> Credential:
    """The organisation seal, for documents the system issues by itself (no passphrase: key kept 0600)."""
    directory = Path(directory)
    pki.trust_roots(directory)  # raises PkiError when no PKI exists
    key = serialization.load_pem_private_key((directory / "seal.key.pem").read_bytes(), password=None)
    certificate = pki.load_certificate(directory / "seal.cert.pem")
    chain = [
        pki.load_certificate(directory / "issuing.cert.pem"),
        pki.load_certificate(directory / "root.cert.pem"),
    ]
    return Credential(
        signer=CachedKeySigner(pyca_key=key, signing_cert=certificate, chain=chain),
        certificate=certificate,
        chain=chain,
        source="seal",
    )


def import_pkcs12(
    directory: Path, username: str, data: bytes, passphrase: str, *, replace: bool = False
) -> Path:
    """Store an external PKCS#12 (e.g. an NCA RSA key) as ``username``'s key after checking it opens and may sign."""
    credential = load_pkcs12(data, passphrase)
    _check_validity_and_usage(credential.certificate, dt.datetime.now(dt.UTC))
    path = pki.official_pkcs12_path(Path(directory), username)
    if path.exists() and not replace:
        raise CredentialError(
            _("%(username)s already has a key file; ask to replace it.") % {"username": username}
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    pki._write_private(path, data)
    return path


def open_pkcs11(
    library: str,
    *,
    token_label: str,
    pin: str,
    key_label: str,
    cert_label: str | None = None,
    ca_chain: Iterable[asn1_x509.Certificate] = (),
) -> Credential:
    """Open a PKCS#11 token (HSM, smart card, SoftHSM2) and return a credential; close() it when done."""
    from pkcs11 import exceptions as p11_errors
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as p11

    try:
        session = p11.open_pkcs11_session(
            library, token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except p11_errors.PinIncorrect as exc:
        raise WrongPassphrase(_("The PIN of token “%(token)s” is wrong.") % {"token": token_label}) from exc
    except Exception as exc:
        raise CredentialError(
            _("Cannot open token “%(token)s”: %(error)s") % {"token": token_label, "error": exc}
        ) from exc
    chain = list(ca_chain)
    try:
        signer = p11.PKCS11Signer(
            session, cert_label=cert_label or key_label, key_label=key_label, ca_chain=chain
        )
        certificate = signer.signing_cert
    except Exception as exc:
        session.close()
        raise CredentialError(
            _("Token “%(token)s” has no usable key/certificate “%(label)s”: %(error)s")
            % {"token": token_label, "label": key_label, "error": exc}
        ) from exc
    return Credential(signer=signer, certificate=certificate, chain=chain, source="pkcs11", session=session)


def _check_validity_and_usage(cert: asn1_x509.Certificate, at: dt.datetime) -> None:
    name = cert.subject.human_friendly
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if at > not_after:
        raise CredentialRefused(
            _("The certificate of %(name)s expired on %(date)s; it can no longer sign.")
            % {"name": name, "date": not_after.date().isoformat()}
        )
    if at < not_before:
        raise CredentialRefused(
            _("The certificate of %(name)s is not valid before %(date)s.")
            % {"name": name, "date": not_before.isoformat()}
        )
    usage = set(cert.key_usage_value.native) if cert.key_usage_value is not None else set()
    missing = REQUIRED_KEY_USAGE - usage
    if missing:
        raise CredentialRefused(
            _("The certificate of %(name)s lacks the key usage %(missing)s required to sign documents.")
            % {"name": name, "missing": ", ".join(sorted(missing))}
        )


def _revocation_in(cert: asn1_x509.Certificate, crls: Iterable[asn1_crl.CertificateList]) -> Any:
    for crl in crls:
        if crl.issuer != cert.issuer:
            continue
        for entry in crl["tbs_cert_list"]["revoked_certificates"]:
            if entry["user_certificate"].native == cert.serial_number:
                return entry["revocation_date"].native
    return None


def check_credential(
    credential: Credential,
    *,
    crls: Iterable[asn1_crl.CertificateList] = (),
    validation_context: ValidationContext | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Refuse, before signing, a credential that is expired, revoked, untrusted or lacks signing key usage."""
    cert = credential.certificate
    at = at or dt.datetime.now(dt.UTC)
    _check_validity_and_usage(cert, at)
    revoked_on = _revocation_in(cert, crls)
    if revoked_on is not None and revoked_on <= at:
        raise CredentialRefused(
            _("The certificate of %(name)s was revoked on %(date)s; it can no longer sign.")
            % {"name": cert.subject.human_friendly, "date": revoked_on.date().isoformat()}
        )
    if validation_context is None:
        return
    validator = CertificateValidator(
        cert, intermediate_certs=credential.chain, validation_context=validation_context
    )
    try:
        asyncio.run(validator.async_validate_usage(set(REQUIRED_KEY_USAGE)))
    except RevokedError as exc:
        raise CredentialRefused(
            _("The certificate of %(name)s is revoked; it can no longer sign.")
            % {"name": cert.subject.human_friendly}
        ) from exc
    except PathBuildingError as exc:
        raise CredentialRefused(
            _("The certificate of %(name)s does not chain to a trusted root.")
            % {"name": cert.subject.human_friendly}
        ) from exc
    except PathValidationError as exc:
        raise CredentialRefused(
            _("The certificate of %(name)s cannot be validated: %(error)s")
            % {"name": cert.subject.human_friendly, "error": exc}
        ) from exc

"""The embedded local PKI: root CA, issuing CA, TSA, organisation seal, officials' certificates and CRLs.

Everything lives in one directory (``settings.RECTORATE_PKI_DIR``)::

    root.key.pem  root.cert.pem  root.crl.der
    issuing.key.pem  issuing.cert.pem  issuing.crl.der
    tsa.key.pem  tsa.cert.pem  tsa-archive/tsa-<serial>.cert.pem   (certificates of rolled-over TSA keys)
    seal.key.pem  seal.cert.pem
    officials/<username>.p12  officials/<username>.cert.pem
    trust/extra-roots.pem  trust/intermediates.pem      (imported production trust)
    index.json                                          (issued and revoked serials)

Private keys are written with mode 0600. Officials' keys exist only inside their PKCS#12 files,
encrypted with the official's passphrase.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils.translation import gettext as _

from .errors import PkiAlreadyInitialised, PkiError

KeyType = rsa.RSAPrivateKey

ROOT_DAYS = 25 * 365
ISSUING_DAYS = 20 * 365
TSA_DAYS = 15 * 365
SEAL_DAYS = 5 * 365
OFFICIAL_DAYS = 3 * 365
CRL_DAYS = 30
CRL_REFRESH_MARGIN = dt.timedelta(days=2)

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{1,150}$")
REVOCATION_REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file with mode 0600, never leaving it world-readable even for an instant."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)


def _write_public(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _key_pem(key: KeyType) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_key(path: Path) -> KeyType:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise PkiError(_("Unsupported key type in %(path)s.") % {"path": path})
    return key


def _load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _name(common_name: str, organisation: str, title: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _new_key() -> KeyType:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_usage(*, signing: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _build_cert(
    *,
    subject: x509.Name,
    public_key: rsa.RSAPublicKey,
    issuer_cert: x509.Certificate | None,
    issuer_key: KeyType,
    not_before: dt.datetime,
    days: int,
    ca_path_len: int | None = None,
    is_ca: bool = False,
    key_usage: x509.KeyUsage,
    eku: list[x509.ObjectIdentifier] | None = None,
    crl_url: str | None = None,
) -> x509.Certificate:
    issuer_name = issuer_cert.subject if issuer_cert is not None else subject
    issuer_public = issuer_cert.public_key() if issuer_cert is not None else public_key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path_len), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if crl_url:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialise writers of one PKI directory across processes."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_index(directory: Path) -> dict[str, Any]:
    path = directory / "index.json"
    if not path.exists():
        raise PkiError(_("No local PKI in %(dir)s; run “manage.py pki init” first.") % {"dir": directory})
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _write_index(directory: Path, index: dict[str, Any]) -> None:
    _write_public(directory / "index.json", json.dumps(index, indent=2, sort_keys=True).encode())


def is_initialised(directory: Path) -> bool:
    """True when ``directory`` holds a complete local PKI."""
    return (Path(directory) / "index.json").exists()


def init_pki(
    directory: Path,
    *,
    organisation: str = "University",
    crl_base_url: str = "http://127.0.0.1:8000/pki/",
) -> bool:
    """Create the local PKI once; return False (changing nothing) when it already exists."""
    directory = Path(directory)
    with _locked(directory):
        if is_initialised(directory):
            return False
        leftovers = [p.name for p in directory.glob("*.pem")]
        if leftovers:
            raise PkiAlreadyInitialised(
                _("%(dir)s holds key material (%(files)s) but no complete PKI; refusing to overwrite it.")
                % {"dir": directory, "files": ", ".join(sorted(leftovers))}
            )
        now = _now() - dt.timedelta(minutes=5)
        root_key, issuing_key, tsa_key, seal_key = _new_key(), _new_key(), _new_key(), _new_key()
        root = _build_cert(
            subject=_name(f"{organisation} Root CA", organisation),
            public_key=root_key.public_key(),
            issuer_cert=None,
            issuer_key=root_key,
            not_before=now,
            days=ROOT_DAYS,
            is_ca=True,
            key_usage=_key_usage(ca=True),
        )
        issuing = _build_cert(
            subject=_name(f"{organisation} Issuing CA", organisation),
            public_key=issuing_key.public_key(),
            issuer_cert=root,
            issuer_key=root_key,
            not_before=now,
            days=ISSUING_DAYS,
            is_ca=True,
            ca_path_len=0,
            key_usage=_key_usage(ca=True),
            crl_url=crl_base_url + "root.crl",
        )
        leaf_args: dict[str, Any] = {
            "issuer_cert": issuing,
            "issuer_key": issuing_key,
            "not_before": now,
            "key_usage": _key_usage(signing=True),
            "crl_url": crl_base_url + "issuing.crl",
        }
        tsa = _build_cert(
            subject=_name(f"{organisation} Time-Stamping Authority", organisation),
            public_key=tsa_key.public_key(),
            days=TSA_DAYS,
            eku=[ExtendedKeyUsageOID.TIME_STAMPING],
            **leaf_args,
        )
        seal = _build_cert(
            subject=_name(f"{organisation} Seal", organisation, title="Organisation seal"),
            public_key=seal_key.public_key(),
            days=SEAL_DAYS,
            **leaf_args,
        )
        for label, key, cert in (
            ("root", root_key, root),
            ("issuing", issuing_key, issuing),
            ("tsa", tsa_key, tsa),
            ("seal", seal_key, seal),
        ):
            _write_private(directory / f"{label}.key.pem", _key_pem(key))
            _write_public(directory / f"{label}.cert.pem", cert.public_bytes(serialization.Encoding.PEM))
        (directory / "officials").mkdir(exist_ok=True)
        (directory / "trust").mkdir(exist_ok=True)
        index: dict[str, Any] = {
            "organisation": organisation,
            "crl_base_url": crl_base_url,
            "officials": {},
            "revoked": [],
        }
        _write_crls(directory, index)
        _write_index(directory, index)
    return True


def _write_crls(directory: Path, index: dict[str, Any]) -> None:
    now = _now() - dt.timedelta(minutes=5)
    for label, issuer_label in (("root", "root"), ("issuing", "issuing")):
        issuer_cert = _load_cert(directory / f"{issuer_label}.cert.pem")
        issuer_key = _load_key(directory / f"{issuer_label}.key.pem")
        number = int(index.get("crl_number", 0)) + 1
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer_cert.subject)
            .last_update(now)
            .next_update(now + dt.timedelta(days=CRL_DAYS))
            .add_extension(x509.CRLNumber(number), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
            )
        )
        for entry in index["revoked"]:
            if entry["issuer"] != label:
                continue
            revoked = (
                x509.RevokedCertificateBuilder()
                .serial_number(int(entry["serial"]))
                .revocation_date(dt.datetime.fromisoformat(entry["revoked_at"]))
                .add_extension(x509.CRLReason(REVOCATION_REASONS[entry["reason"]]), critical=False)
                .build()
            )
            builder = builder.add_revoked_certificate(revoked)
        crl = builder.sign(issuer_key, hashes.SHA256())
        _write_public(directory / f"{label}.crl.der", crl.public_bytes(serialization.Encoding.DER))
    index["crl_number"] = int(index.get("crl_number", 0)) + 1


def _check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise PkiError(
            _("“%(username)s” is not a valid username for a certificate.") % {"username": username}
        )


def official_pkcs12_path(directory: Path, username: str) -> Path:
    """Where the PKCS#12 of ``username`` lives (it may not exist)."""
    _check_username(username)
    return Path(directory) / "officials" / f"{username}.p12"


def issue_certificate(
    directory: Path,
    username: str,
    full_name: str,
    passphrase: str,
    role: str = "official",
    *,
    valid_days: int = OFFICIAL_DAYS,
    not_before: dt.datetime | None = None,
    replace: bool = False,
) -> Path:
    """Issue a signing certificate (digitalSignature + nonRepudiation) into a passphrase-protected PKCS#12."""
    directory = Path(directory)
    _check_username(username)
    if not full_name.strip():
        raise PkiError(_("A certificate needs the official's full name."))
    if len(passphrase) < 4:
        raise PkiError(_("The passphrase must have at least 4 characters."))
    with _locked(directory):
        index = _read_index(directory)
        existing = index["officials"].get(username)
        revoked_serials = {int(entry["serial"]) for entry in index["revoked"]}
        if existing and int(existing["serial"]) not in revoked_serials:
            if not replace:
                raise PkiError(
                    _("%(username)s already has a valid certificate; revoke it or ask to replace it.")
                    % {"username": username}
                )
            _add_revocation(index, int(existing["serial"]), "superseded", _now())
        issuing_cert = _load_cert(directory / "issuing.cert.pem")
        issuing_key = _load_key(directory / "issuing.key.pem")
        key = _new_key()
        start = not_before or (_now() - dt.timedelta(minutes=5))
        cert = _build_cert(
            subject=_name(full_name, index["organisation"], title=role),
            public_key=key.public_key(),
            issuer_cert=issuing_cert,
            issuer_key=issuing_key,
            not_before=start,
            days=valid_days,
            key_usage=_key_usage(signing=True),
            crl_url=index["crl_base_url"] + "issuing.crl",
        )
        root_cert = _load_cert(directory / "root.cert.pem")
        blob = pkcs12.serialize_key_and_certificates(
            name=username.encode(),
            key=key,
            cert=cert,
            cas=[issuing_cert, root_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        )
        path = official_pkcs12_path(directory, username)
        path.parent.mkdir(exist_ok=True)
        _write_private(path, blob)
        _write_public(path.with_suffix(".cert.pem"), cert.public_bytes(serialization.Encoding.PEM))
        index["officials"][username] = {
            "serial": str(cert.serial_number),
            "full_name": full_name,
            "role": role,
            "not_after": cert.not_valid_after_utc.isoformat(),
        }
        # Republish the CRLs after every issue (not only on a replacement): a CRL issued before a
        # certificate's notBefore is no revocation evidence for it, so EU DSS rejected the signatures of
        # officials certified after the last CRL (BBB_XCV_REVOC_AFTER_CERT_NOT_BEFORE_ANS, INDETERMINATE).
        _write_crls(directory, index)
        _write_index(directory, index)
    return path


def tsa_not_after(directory: Path) -> dt.datetime:
    """When the local TSA's certificate ends (its timestamps prove nothing after that)."""
    return _load_cert(Path(directory) / "tsa.cert.pem").not_valid_after_utc


def rollover_tsa(directory: Path) -> x509.Certificate:
    """Give the local TSA a new key and certificate, keep the old certificate, republish the CRLs.

    The new certificate lives TSA_DAYS, but never past the issuing CA. Timestamps made before stay
    valid evidence until their own certificate ends; ``signatures renew`` (archival re-timestamping)
    then adds a document timestamp of the new TSA to every registered document before that.
    """
    directory = Path(directory)
    with _locked(directory):
        index = _read_index(directory)
        issuing_cert = _load_cert(directory / "issuing.cert.pem")
        issuing_key = _load_key(directory / "issuing.key.pem")
        old = _load_cert(directory / "tsa.cert.pem")
        (directory / "tsa-archive").mkdir(exist_ok=True)
        _write_public(
            directory / "tsa-archive" / f"tsa-{old.serial_number:x}.cert.pem",
            old.public_bytes(serialization.Encoding.PEM),
        )
        start = _now() - dt.timedelta(minutes=5)
        days = min(TSA_DAYS, (issuing_cert.not_valid_after_utc - start).days)
        if days < 1:
            raise PkiError(_("The issuing CA has expired; the local TSA cannot be renewed under it."))
        key = _new_key()
        cert = _build_cert(
            subject=old.subject,
            public_key=key.public_key(),
            issuer_cert=issuing_cert,
            issuer_key=issuing_key,
            not_before=start,
            days=days,
            key_usage=_key_usage(signing=True),
            eku=[ExtendedKeyUsageOID.TIME_STAMPING],
            crl_url=index["crl_base_url"] + "issuing.crl",
        )
        _write_private(directory / "tsa.key.pem", _key_pem(key))
        _write_public(directory / "tsa.cert.pem", cert.public_bytes(serialization.Encoding.PEM))
        index.setdefault("tsa_rollovers", []).append(
            {"old_serial": str(old.serial_number), "serial": str(cert.serial_number), "at": start.isoformat()}
        )
        _write_crls(directory, index)  # after the new certificate, as for officials (see issue_certificate)
        _write_index(directory, index)
    return cert


def _add_revocation(index: dict[str, Any], serial: int, reason: str, at: dt.datetime) -> None:
    index["revoked"].append(
        {"serial": str(serial), "issuer": "issuing", "reason": reason, "revoked_at": at.isoformat()}
    )


def revoke_certificate(
    directory: Path, username: str, *, reason: str = "key_compromise", at: dt.datetime | None = None
) -> int:
    """Revoke the current certificate of ``username``, republish the CRLs and return its serial number."""
    directory = Path(directory)
    _check_username(username)
    if reason not in REVOCATION_REASONS:
        raise PkiError(
            _("Unknown revocation reason “%(reason)s”; use one of: %(choices)s.")
            % {"reason": reason, "choices": ", ".join(REVOCATION_REASONS)}
        )
    with _locked(directory):
        index = _read_index(directory)
        existing = index["officials"].get(username)
        if not existing:
            raise PkiError(_("%(username)s has no certificate to revoke.") % {"username": username})
        serial = int(existing["serial"])
        if serial in {int(entry["serial"]) for entry in index["revoked"]}:
            raise PkiError(_("The certificate of %(username)s is already revoked.") % {"username": username})
        _add_revocation(index, serial, reason, at or (_now() - dt.timedelta(seconds=1)))
        _write_crls(directory, index)
        _write_index(directory, index)
    return serial


def _pem_certs(path: Path) -> list[asn1_x509.Certificate]:
    if not path.exists():
        return []
    return [
        asn1_x509.Certificate.load(der) for _type, _headers, der in asn1_pem.unarmor(path.read_bytes(), True)
    ]


def load_certificate(path: Path) -> asn1_x509.Certificate:
    """Load one PEM certificate as an asn1crypto object (pyHanko's currency)."""
    certs = _pem_certs(Path(path))
    if not certs:
        raise PkiError(_("No certificate in %(path)s.") % {"path": path})
    return certs[0]


def trust_roots(directory: Path) -> list[asn1_x509.Certificate]:
    """The trust anchors: our root CA plus any imported production roots."""
    directory = Path(directory)
    _read_index(directory)
    return [
        load_certificate(directory / "root.cert.pem"),
        *_pem_certs(directory / "trust" / "extra-roots.pem"),
    ]


def intermediate_certificates(directory: Path) -> list[asn1_x509.Certificate]:
    """Intermediate certificates that help build chains (issuing CA, TSA, imported intermediates)."""
    directory = Path(directory)
    return [
        load_certificate(directory / "issuing.cert.pem"),
        load_certificate(directory / "tsa.cert.pem"),
        *_pem_certs(directory / "trust" / "intermediates.pem"),
    ]


def trust_roots_pem(directory: Path) -> str:
    """The trust anchors as PEM text, for external validators (Acrobat, pdfsig)."""
    return "".join(asn1_pem.armor("CERTIFICATE", cert.dump()).decode() for cert in trust_roots(directory))


def current_crls(directory: Path) -> list[asn1_crl.CertificateList]:
    """The CRLs of both CAs, re-published first when they are about to expire."""
    directory = Path(directory)
    index = _read_index(directory)
    crls = [
        asn1_crl.CertificateList.load((directory / f"{label}.crl.der").read_bytes())
        for label in ("root", "issuing")
    ]
    if any(c["tbs_cert_list"]["next_update"].native < _now() + CRL_REFRESH_MARGIN for c in crls):
        with _locked(directory):
            index = _read_index(directory)
            _write_crls(directory, index)
            _write_index(directory, index)
        crls = [
            asn1_crl.CertificateList.load((directory / f"{label}.crl.der").read_bytes())
            for label in ("root", "issuing")
        ]
    return crls


def add_trust(directory: Path, pem: bytes, *, intermediate: bool = False) -> int:
    """Import production trust roots (or intermediates) from PEM; return how many certificates were added."""
    directory = Path(directory)
    try:
        certs = [asn1_x509.Certificate.load(der) for _t, _h, der in asn1_pem.unarmor(pem, True)]
        for cert in certs:
            cert.native  # noqa: B018 - parse fully now, so garbage is refused before anything is written
    except Exception as exc:
        raise PkiError(_("The trust file is not PEM certificates: %(error)s") % {"error": exc}) from exc
    if not certs:
        raise PkiError(_("The trust file contains no certificate."))
    target = directory / "trust" / ("intermediates.pem" if intermediate else "extra-roots.pem")
    with _locked(directory):
        _read_index(directory)
        target.parent.mkdir(exist_ok=True)
        known = {c.sha256 for c in _pem_certs(target)}
        fresh = [c for c in certs if c.sha256 not in known]
        existing = target.read_bytes() if target.exists() else b""
        _write_public(target, existing + b"".join(asn1_pem.armor("CERTIFICATE", c.dump()) for c in fresh))
    return len(fresh)


def revoked_serials(directory: Path) -> set[int]:
    """Serial numbers revoked by the local issuing CA."""
    return {int(entry["serial"]) for entry in _read_index(Path(directory))["revoked"]}


def officials(directory: Path) -> dict[str, dict[str, Any]]:
    """Issued officials' certificates by username (serial, full name, role, expiry)."""
    result: dict[str, dict[str, Any]] = _read_index(Path(directory))["officials"]
    return result

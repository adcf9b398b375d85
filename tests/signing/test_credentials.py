"""Credentials are refused before signing when the passphrase is wrong or the certificate may not sign."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from signing import pades, pki
from signing.credentials import check_credential, import_pkcs12, load_official, load_pkcs12, seal_credential
from signing.errors import CredentialError, CredentialRefused, SigningFailed, WrongPassphrase

from .conftest import NAMES, PASSPHRASES, prepared_pdf


def _sign(local_pki, credential):
    return pades.sign_pdf(
        prepared_pdf(),
        credential=credential,
        field_name="Dean",
        certify=True,
        signer_name="X",
        role_label="Y",
        final=False,
        tsa=None,
        validation_context=local_pki.vc(),
    )


def test_wrong_passphrase_is_refused_with_a_clear_message(local_pki):
    with pytest.raises(WrongPassphrase, match="passphrase is wrong"):
        load_official(local_pki.directory, "dean", "not-the-passphrase")


def test_a_file_that_is_not_pkcs12_is_not_blamed_on_the_passphrase():
    with pytest.raises(CredentialError, match="not a PKCS#12") as excinfo:
        load_pkcs12(b"%PDF-1.7 certainly not a key", "x")
    assert not isinstance(excinfo.value, WrongPassphrase)


def test_missing_key_file_is_explained(local_pki):
    with pytest.raises(CredentialError, match="No key file"):
        load_official(local_pki.directory, "nobody", "x")


def test_revoked_certificate_is_refused_before_signing(local_pki):
    credential = local_pki.credential("revoked")
    with pytest.raises(CredentialRefused, match="revoked"):
        check_credential(credential, crls=pki.current_crls(local_pki.directory))
    with pytest.raises(CredentialRefused, match="revoked"):
        _sign(local_pki, credential)


def test_expired_certificate_is_refused_before_signing(local_pki):
    credential = local_pki.credential("expired")
    with pytest.raises(CredentialRefused, match="expired on"):
        _sign(local_pki, credential)


def test_certificate_without_non_repudiation_is_refused(local_pki, tmp_path):
    d = local_pki.directory
    key = pki._new_key()
    usage = pki._key_usage(signing=True)
    usage = type(usage)(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = pki._build_cert(
        subject=pki._name("Auth Only", "Test University"),
        public_key=key.public_key(),
        issuer_cert=pki._load_cert(d / "issuing.cert.pem"),
        issuer_key=pki._load_key(d / "issuing.key.pem"),
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
        days=10,
        key_usage=usage,
    )
    blob = pkcs12.serialize_key_and_certificates(
        b"auth", key, cert, None, serialization.BestAvailableEncryption(b"pw12")
    )
    credential = load_pkcs12(blob, "pw12")
    with pytest.raises(CredentialRefused, match="non_repudiation"):
        _sign(local_pki, credential)
    with pytest.raises(CredentialRefused, match="non_repudiation"):
        import_pkcs12(tmp_path, "auth", blob, "pw12")
    assert not (tmp_path / "officials").exists()


def test_certificate_from_an_unknown_ca_is_refused(local_pki, tmp_path):
    other = tmp_path / "other-pki"
    pki.init_pki(other, organisation="Other University")
    pki.issue_certificate(other, "stranger", "Stranger", "stranger-pass")
    credential = load_official(other, "stranger", "stranger-pass")
    with pytest.raises(CredentialRefused, match="does not chain to a trusted root"):
        _sign(local_pki, credential)


def test_import_external_pkcs12_and_sign_with_it(local_pki, tmp_path):
    source = pki.official_pkcs12_path(local_pki.directory, "dean").read_bytes()
    with pytest.raises(WrongPassphrase):
        import_pkcs12(tmp_path, "dean", source, "wrong")
    path = import_pkcs12(tmp_path, "dean", source, PASSPHRASES["dean"])
    assert path.read_bytes() == source
    with pytest.raises(CredentialError, match="already has a key file"):
        import_pkcs12(tmp_path, "dean", source, PASSPHRASES["dean"])
    credential = load_official(tmp_path, "dean", PASSPHRASES["dean"])
    assert credential.subject_name == NAMES["dean"]
    assert _sign(local_pki, credential).certificate_sha256 == credential.certificate_sha256


def test_organisation_seal_signs_without_a_passphrase(local_pki):
    seal = seal_credential(local_pki.directory)
    assert seal.subject_name == "Test University Seal"
    result = _sign(local_pki, seal)
    assert result.pades_level == "B-B"  # no TSA given: a bare PAdES baseline signature


def test_signing_into_a_missing_field_changes_nothing(local_pki):
    source = prepared_pdf()
    with pytest.raises(SigningFailed, match="no signature field “Bursar”"):
        pades.sign_pdf(
            source,
            credential=local_pki.credential("dean"),
            field_name="Bursar",
            certify=True,
            signer_name="X",
            role_label="Y",
            final=False,
            tsa=None,
            validation_context=local_pki.vc(),
        )

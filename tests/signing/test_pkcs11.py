"""PKCS#11 signing with a real SoftHSM2 token holding an official's key and certificate."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import Attribute, CertificateType, ObjectClass
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from signing import pades, pki
from signing.credentials import open_pkcs11
from signing.errors import WrongPassphrase
from signing.verification import verify_pdf

from .conftest import NAMES, PASSPHRASES, prepared_pdf

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN, SO_PIN = "univ-officials", "1234", "5678"


@pytest.fixture(scope="module")
def softhsm_token(local_pki, tmp_path_factory: pytest.TempPathFactory):
    """A SoftHSM2 token (own config in a temp dir) with the dean's key and certificate imported."""
    assert Path(SOFTHSM).exists(), "SoftHSM2 is required (apt install softhsm2)"
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    config = base / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
    )
    key, cert, _chain = pkcs12.load_key_and_certificates(
        pki.official_pkcs12_path(local_pki.directory, "dean").read_bytes(), PASSPHRASES["dean"].encode()
    )
    key_pem = base / "dean.key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [*util, "--import", str(key_pem), "--token", TOKEN, "--label", "dean", "--id", "01", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    key_pem.unlink()
    token = pkcs11.lib(SOFTHSM).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "dean",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    yield
    monkeypatch.undo()


def test_pkcs11_signature_validates(local_pki, softhsm_token):
    chain = pki.intermediate_certificates(local_pki.directory)[:1] + pki.trust_roots(local_pki.directory)
    with open_pkcs11(SOFTHSM, token_label=TOKEN, pin=PIN, key_label="dean", ca_chain=chain) as credential:
        assert credential.subject_name == NAMES["dean"]
        result = pades.sign_pdf(
            prepared_pdf(),
            credential=credential,
            field_name="Dean",
            certify=True,
            signer_name=NAMES["dean"],
            role_label="Dean",
            final=False,
            tsa=pades.local_timestamper(local_pki.directory),
            validation_context=local_pki.vc(),
        )
    [signature] = PdfFileReader(io.BytesIO(result.pdf)).embedded_regular_signatures
    status = validate_pdf_signature(signature, local_pki.vc())
    assert status.intact and status.valid and status.trusted and status.bottom_line, status.summary()
    report = verify_pdf(result.pdf, trust_roots=pki.trust_roots(local_pki.directory))
    assert report.ok, report.problems
    assert report.signatures[0].certificate_sha256 == local_pki.credential("dean").certificate_sha256


def test_pkcs11_wrong_pin_is_refused(softhsm_token):
    with pytest.raises(WrongPassphrase, match="PIN"):
        open_pkcs11(SOFTHSM, token_label=TOKEN, pin="0000", key_label="dean")

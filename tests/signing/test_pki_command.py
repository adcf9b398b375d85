"""``manage.py pki`` end to end through call_command, over settings.RECTORATE_PKI_DIR."""

from __future__ import annotations

import io

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command

from signing import pki
from signing.credentials import load_official


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("pki", *args, stdout=out)
    return out.getvalue()


def test_pki_command_end_to_end(tmp_path, settings):
    settings.RECTORATE_PKI_DIR = tmp_path / "pki"
    assert "created" in _run("init", "--organisation", "Command University")
    root_before = (tmp_path / "pki" / "root.cert.pem").read_bytes()
    assert "already exists" in _run("init")
    assert (tmp_path / "pki" / "root.cert.pem").read_bytes() == root_before

    assert "Certificate issued" in _run(
        "issue", "registrar", "--name", "Гүлнар Төлеуова", "--passphrase", "reg-pass"
    )
    credential = load_official(tmp_path / "pki", "registrar", "reg-pass")
    assert credential.subject_name == "Гүлнар Төлеуова"

    [root] = x509.load_pem_x509_certificates(_run("roots").encode())
    assert root.subject.rfc4514_string() == "CN=Command University Root CA,O=Command University,C=KZ"

    assert "revoked" in _run("revoke", "registrar")
    assert credential.certificate.serial_number in pki.revoked_serials(tmp_path / "pki")


def test_pki_command_errors_are_command_errors(tmp_path, settings):
    settings.RECTORATE_PKI_DIR = tmp_path / "none"
    with pytest.raises(CommandError, match="pki init"):
        _run("issue", "dean", "--passphrase", "secret")
    _run("init")
    with pytest.raises(CommandError, match="no certificate to revoke"):
        _run("revoke", "ghost")


def test_pki_command_imports_trust_and_external_keys(tmp_path, settings):
    external = tmp_path / "nca"
    pki.init_pki(external, organisation="National CA")
    pki.issue_certificate(external, "dean", "External Dean", "ext-pass")
    roots_file = tmp_path / "nca-roots.pem"
    roots_file.write_text(pki.trust_roots_pem(external))
    settings.RECTORATE_PKI_DIR = tmp_path / "pki"
    _run("init")
    assert "1 certificate(s) added" in _run("trust", str(roots_file))
    p12 = pki.official_pkcs12_path(external, "dean")
    with pytest.raises(CommandError, match="passphrase is wrong"):
        _run("import", "dean", str(p12), "--passphrase", "nope")
    assert "Key file imported" in _run("import", "dean", str(p12), "--passphrase", "ext-pass")
    assert load_official(tmp_path / "pki", "dean", "ext-pass").subject_name == "External Dean"
    with pytest.raises(CommandError, match="Cannot read"):
        _run("trust", str(tmp_path / "missing.pem"))

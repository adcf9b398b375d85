"""The local PKI: created once, keys private, the right certificate profiles, revocation in the CRL."""

from __future__ import annotations

import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from signing import pki
from signing.errors import PkiAlreadyInitialised, PkiError

from .conftest import NAMES


def _cert(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_init_is_idempotent_and_never_overwrites(local_pki):
    before = {p.name: p.read_bytes() for p in local_pki.directory.glob("*.pem")}
    assert pki.init_pki(local_pki.directory) is False
    after = {p.name: p.read_bytes() for p in local_pki.directory.glob("*.pem")}
    assert before == after


def test_init_refuses_a_directory_with_stray_key_material(tmp_path):
    (tmp_path / "root.key.pem").write_text("not ours")
    with pytest.raises(PkiAlreadyInitialised, match="refusing to overwrite"):
        pki.init_pki(tmp_path)
    assert (tmp_path / "root.key.pem").read_text() == "not ours"


def test_private_keys_are_readable_by_owner_only(local_pki):
    keys = [*local_pki.directory.glob("*.key.pem"), *local_pki.directory.glob("officials/*.p12")]
    assert len(keys) >= 8
    for path in keys:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_certificate_profiles(local_pki):
    d = local_pki.directory
    root, issuing, tsa, seal = (_cert(d / f"{n}.cert.pem") for n in ("root", "issuing", "tsa", "seal"))
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert issuing.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    assert issuing.issuer == root.subject
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    for leaf in (seal, _cert(d / "officials" / "dean.cert.pem")):
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment
        assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    dean = _cert(d / "officials" / "dean.cert.pem")
    assert dean.subject.rfc4514_string().startswith("CN=" + NAMES["dean"])


def test_revocation_is_published_in_the_crl(local_pki):
    revoked_serial = int(pki.officials(local_pki.directory)["revoked"]["serial"])
    issuing_crl = next(
        c for c in pki.current_crls(local_pki.directory) if "Issuing" in c.issuer.human_friendly
    )
    serials = {e["user_certificate"].native for e in issuing_crl["tbs_cert_list"]["revoked_certificates"]}
    assert serials == {revoked_serial}
    with pytest.raises(PkiError, match="already revoked"):
        pki.revoke_certificate(local_pki.directory, "revoked")


def test_issue_refuses_a_second_valid_certificate_and_bad_usernames(local_pki):
    with pytest.raises(PkiError, match="already has a valid certificate"):
        pki.issue_certificate(local_pki.directory, "dean", "Dean", "whatever")
    with pytest.raises(PkiError, match="not a valid username"):
        pki.issue_certificate(local_pki.directory, "../etc/passwd", "X", "whatever")


def test_replace_supersedes_the_old_certificate(tmp_path):
    assert pki.init_pki(tmp_path)
    pki.issue_certificate(tmp_path, "clerk", "Clerk One", "pass1")
    old = int(pki.officials(tmp_path)["clerk"]["serial"])
    pki.issue_certificate(tmp_path, "clerk", "Clerk One", "pass2", replace=True)
    assert int(pki.officials(tmp_path)["clerk"]["serial"]) != old
    assert old in pki.revoked_serials(tmp_path)


def test_trust_roots_pem_holds_the_root_only(local_pki):
    pem = pki.trust_roots_pem(local_pki.directory)
    certs = x509.load_pem_x509_certificates(pem.encode())
    assert [c.subject for c in certs] == [_cert(local_pki.directory / "root.cert.pem").subject]


def test_no_pki_gives_a_clear_error(tmp_path):
    with pytest.raises(PkiError, match="pki init"):
        pki.issue_certificate(tmp_path / "none", "dean", "Dean", "pass")


def test_imported_trust_roots_are_trusted_and_garbage_is_refused(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    pki.init_pki(ours, organisation="Ours")
    pki.init_pki(theirs, organisation="Theirs")
    with pytest.raises(PkiError, match="not PEM certificates"):
        pki.add_trust(ours, b"garbage")
    assert pki.add_trust(ours, pki.trust_roots_pem(theirs).encode()) == 1
    assert pki.add_trust(ours, pki.trust_roots_pem(theirs).encode()) == 0  # already known
    assert [c.subject.native["common_name"] for c in pki.trust_roots(ours)] == [
        "Ours Root CA",
        "Theirs Root CA",
    ]


def test_crls_are_republished_before_they_expire(tmp_path, monkeypatch):
    pki.init_pki(tmp_path)
    first = pki.current_crls(tmp_path)[1]["tbs_cert_list"]["crl_extensions"][0]["extn_value"].native
    monkeypatch.setattr(pki, "CRL_REFRESH_MARGIN", pki.dt.timedelta(days=pki.CRL_DAYS + 1))
    second = pki.current_crls(tmp_path)[1]["tbs_cert_list"]["crl_extensions"][0]["extn_value"].native
    assert second == first + 1

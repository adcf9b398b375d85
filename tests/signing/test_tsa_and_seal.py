"""The local TSA rolls over to a new key and certificate before its own ends; any RFC 3161 TSA
reached over HTTP (RECTORATE_TSA_URL) timestamps instead of the in-process one; and the organisation
seal can come from its own PKCS#12 (RECTORATE_SEAL_PKCS12), so the seal key and the TSA key need not
sit in one directory of one machine.

Before: the local TSA's certificate lived 15 years with no way to renew it, so every archive
timestamp of the embedded default stopped proving anything in 2041 (EU DSS at 2046:
INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED). tests/records/validators/test_dss.py shows the whole
renewal passing DSS at 2046.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from asn1crypto import tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from signing import api, pades, pki
from signing.errors import SigningCapabilityError, WrongPassphrase

from .conftest import prepared_pdf

RENEWAL_DAY = dt.datetime(2040, 6, 1, 9, 0, tzinfo=dt.UTC)


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


@pytest.fixture
def configured_pki(tmp_path: Path, settings: Any) -> Path:
    settings.RECTORATE_PKI_DIR = tmp_path / "pki"
    settings.RECTORATE_TSA_URL = ""
    pki.init_pki(settings.RECTORATE_PKI_DIR, organisation="Roll-over University")
    pki.issue_certificate(settings.RECTORATE_PKI_DIR, "rector", "Rector Roll", "rector-pass", role="rector")
    return Path(settings.RECTORATE_PKI_DIR)


def test_the_roll_over_gives_the_tsa_a_new_key_and_certificate_under_the_issuing_ca(
    configured_pki: Path,
) -> None:
    old = _cert(configured_pki / "tsa.cert.pem")
    issuing = _cert(configured_pki / "issuing.cert.pem")
    with time_machine.travel(RENEWAL_DAY, tick=True):
        new = pki.rollover_tsa(configured_pki)
    assert _cert(configured_pki / "tsa.cert.pem") == new
    assert new.serial_number != old.serial_number and new.public_key() != old.public_key()
    assert new.subject == old.subject and new.issuer == issuing.subject
    assert new.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.TIME_STAMPING]
    )
    assert new.not_valid_before_utc.year == 2040
    assert old.not_valid_after_utc < new.not_valid_after_utc <= issuing.not_valid_after_utc
    archived = configured_pki / "tsa-archive" / f"tsa-{old.serial_number:x}.cert.pem"
    assert _cert(archived) == old  # timestamps made before still name it
    crl = x509.load_der_x509_crl((configured_pki / "issuing.crl.der").read_bytes())
    assert crl.last_update_utc >= new.not_valid_before_utc  # revocation evidence for the new certificate


def test_signing_after_the_roll_over_is_timestamped_by_the_new_certificate(configured_pki: Path) -> None:
    with time_machine.travel(RENEWAL_DAY, tick=True):
        new = pki.rollover_tsa(configured_pki)
        pki.issue_certificate(configured_pki, "rector2040", "Rector 2040", "rector-pass", role="rector")
        result = api.sign(
            prepared_pdf(),
            username="rector2040",
            passphrase="rector-pass",
            field_name="Rector",
            certify=True,
            signer_name="Rector 2040",
            role_label="Rector",
            final=True,
        )
        report = api.verify(result.pdf)
    assert result.pades_level == "B-LTA"
    assert [t.tsa_certificate_expires for t in report.document_timestamps] == [
        new.not_valid_after_utc.isoformat()
    ]


def test_the_roll_over_happens_only_within_the_margin_and_never_for_an_external_tsa(
    configured_pki: Path, settings: Any
) -> None:
    before = _cert(configured_pki / "tsa.cert.pem")
    assert api.local_tsa_rollover(margin_days=730) is None  # 15 years left
    assert _cert(configured_pki / "tsa.cert.pem") == before
    settings.RECTORATE_TSA_URL = "http://127.0.0.1:9/"
    assert api.local_tsa_rollover(margin_days=100_000) is None  # an external TSA renews itself
    assert _cert(configured_pki / "tsa.cert.pem") == before
    settings.RECTORATE_TSA_URL = ""
    with time_machine.travel(RENEWAL_DAY, tick=True):
        until = api.local_tsa_rollover(margin_days=730)  # 18 months left: renewed
    assert until is not None and until == _cert(configured_pki / "tsa.cert.pem").not_valid_after_utc
    assert until > before.not_valid_after_utc


class _AuthorityHandler(http.server.BaseHTTPRequestHandler):
    """An RFC 3161 TSA over HTTP (POST application/timestamp-query → application/timestamp-reply),
    and the CRLs of the PKIs it knows (GET /<pki>/<name>.crl), as a real authority publishes them."""

    timestamper: Any = None
    directories: dict[str, Path] = {}
    served: list[str] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        assert self.headers["Content-Type"] == "application/timestamp-query"
        response = asyncio.run(self.timestamper.async_request_tsa_response(tsp.TimeStampReq.load(body)))
        self.served.append(f"POST {self.path}")
        self._answer(response.dump(), "application/timestamp-reply")

    def do_GET(self) -> None:
        _empty, directory, name = self.path.split("/", 2)
        crl = self.directories[directory] / name.replace(".crl", ".crl.der")
        self.served.append(f"GET {self.path}")
        self._answer(crl.read_bytes(), "application/pkix-crl")

    def _answer(self, payload: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def authority_over_http(tmp_path: Path, settings: Any) -> Iterator[tuple[str, list[str], Path]]:
    """Another PKI's TSA (the external "authority") behind HTTP on 127.0.0.1, which also publishes the
    CRLs of that PKI and of this university's (whose CRL addresses point at it)."""
    handler: Any = type("Handler", (_AuthorityHandler,), {"served": [], "directories": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    authority, local = tmp_path / "tsa-authority", tmp_path / "university"
    pki.init_pki(
        authority, organisation="External Time-Stamping Authority", crl_base_url=f"{base}/authority/"
    )
    pki.init_pki(local, organisation="University", crl_base_url=f"{base}/university/")
    pki.issue_certificate(local, "rector", "Rector Roll", "rector-pass", role="rector")
    handler.directories.update({"authority": authority, "university": local})
    handler.timestamper = pades.local_timestamper(authority)
    settings.RECTORATE_PKI_DIR = local
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/tsa", handler.served, authority
    finally:
        server.shutdown()
        server.server_close()


def test_an_external_tsa_over_http_timestamps_the_signatures(
    settings: Any, authority_over_http: tuple[str, list[str], Path]
) -> None:
    """With RECTORATE_TSA_URL set, the signature timestamp and the archive timestamp come from that
    authority (here another PKI's TSA behind HTTP), not from the TSA key beside the seal; with
    RECTORATE_REVOCATION_FETCHING the B-LTA revocation data of its chain is downloaded."""
    url, served, authority = authority_over_http
    settings.RECTORATE_TSA_URL = url
    settings.RECTORATE_REVOCATION_FETCHING = True
    pki.add_trust(Path(settings.RECTORATE_PKI_DIR), (authority / "root.cert.pem").read_bytes())
    result = api.sign(
        prepared_pdf(),
        username="rector",
        passphrase="rector-pass",
        field_name="Rector",
        certify=True,
        signer_name="Rector Roll",
        role_label="Rector",
        final=True,
    )
    assert result.pades_level == "B-LTA"
    # The signature timestamp and the document timestamp (plus pyHanko's one size probe of a new TSA).
    assert len([entry for entry in served if entry == "POST /tsa"]) >= 2
    assert "GET /authority/issuing.crl" in served  # the external chain's revocation data, downloaded
    report = api.verify(result.pdf)
    external = _cert(authority / "tsa.cert.pem").not_valid_after_utc.isoformat()
    assert [t.tsa_certificate_expires for t in report.document_timestamps] == [external]
    assert [t.tsa_name for t in report.document_timestamps] == [
        "External Time-Stamping Authority Time-Stamping Authority"
    ]
    assert report.ok, report.problems


def test_without_revocation_data_for_the_external_tsa_a_final_signature_is_refused_clearly(
    settings: Any, authority_over_http: tuple[str, list[str], Path]
) -> None:
    """Offline (the default), nothing vouches for the external TSA's chain: the B-LTA signature is
    refused with pyHanko's reason instead of producing a document that cannot be validated later."""
    url, _served, authority = authority_over_http
    settings.RECTORATE_TSA_URL = url
    pki.add_trust(Path(settings.RECTORATE_PKI_DIR), (authority / "root.cert.pem").read_bytes())
    with pytest.raises(SigningCapabilityError) as refused:
        api.sign(
            prepared_pdf(),
            username="rector",
            passphrase="rector-pass",
            field_name="Rector",
            certify=True,
            signer_name="Rector Roll",
            role_label="Rector",
            final=True,
        )
    assert "revocation" in str(refused.value)


def test_the_seal_can_come_from_its_own_pkcs12_away_from_the_tsa_key(
    settings: Any, authority_over_http: tuple[str, list[str], Path]
) -> None:
    """RECTORATE_SEAL_PKCS12: the organisation seal signs with that key (here issued by another CA,
    whose CRLs are downloaded), not with seal.key.pem beside the local TSA's key; a wrong passphrase
    is a clear refusal."""
    _url, served, authority = authority_over_http
    local = Path(settings.RECTORATE_PKI_DIR)
    p12 = pki.issue_certificate(
        authority, "university", "University Organisation Seal", "seal-pass", role="seal"
    )
    pki.add_trust(local, (authority / "root.cert.pem").read_bytes())
    settings.RECTORATE_SEAL_PKCS12 = str(p12)
    settings.RECTORATE_SEAL_PASSPHRASE = "seal-pass"
    settings.RECTORATE_REVOCATION_FETCHING = True
    result = api.seal(
        prepared_pdf(), field_name="Rector", certify=True, signer_name="Seal", role_label="Seal", final=True
    )
    external = pki.load_certificate(p12.with_suffix(".cert.pem"))
    assert result.certificate_sha256 == external.sha256.hex()
    assert result.certificate_sha256 != pki.load_certificate(local / "seal.cert.pem").sha256.hex()
    assert "GET /authority/issuing.crl" in served
    assert "University Organisation Seal" in api.seal_subject()
    report = api.verify(result.pdf)
    assert report.ok, report.problems
    settings.RECTORATE_SEAL_PASSPHRASE = "wrong"
    with pytest.raises(WrongPassphrase):
        api.seal(
            prepared_pdf(), field_name="Rector", certify=True, signer_name="S", role_label="S", final=False
        )

"""The facade the domain calls works end to end from settings alone."""

from __future__ import annotations

import pytest

from signing import api, pki
from signing.errors import CredentialRefused, WrongPassphrase

from .conftest import prepared_pdf


@pytest.fixture
def configured_pki(tmp_path, settings):
    settings.RECTORATE_PKI_DIR = tmp_path / "pki"
    settings.RECTORATE_TSA_URL = ""
    pki.init_pki(settings.RECTORATE_PKI_DIR, organisation="Facade University")
    pki.issue_certificate(settings.RECTORATE_PKI_DIR, "dean", "Dean Facade", "dean-pass", role="dean")
    pki.issue_certificate(settings.RECTORATE_PKI_DIR, "rector", "Rector Facade", "rector-pass", role="rector")
    return settings.RECTORATE_PKI_DIR


def test_route_through_the_facade(configured_pki):
    common = {"certify": False, "role_label": "R", "final": False}
    with pytest.raises(WrongPassphrase):
        api.sign(
            prepared_pdf(), username="dean", passphrase="nope", field_name="Dean", signer_name="D", **common
        )
    dean = api.sign(
        prepared_pdf(),
        username="dean",
        passphrase="dean-pass",
        field_name="Dean",
        certify=True,
        signer_name="Dean Facade",
        role_label="Dean",
        final=False,
    )
    rector = api.sign(
        dean.pdf,
        username="rector",
        passphrase="rector-pass",
        field_name="Rector",
        certify=False,
        signer_name="Rector Facade",
        role_label="Rector",
        final=True,
    )
    report = api.verify(rector.pdf)
    assert report.ok, report.problems
    assert [s.signer_name for s in report.signatures] == ["Dean Facade", "Rector Facade"]
    assert b"ValidationReport" in api.etsi_report(rector.pdf, field_name="Dean")
    assert api.trust_roots_pem().startswith("-----BEGIN CERTIFICATE-----")


def test_seal_and_batch_through_the_facade(configured_pki):
    sealed = api.seal(
        prepared_pdf(),
        field_name="Dean",
        certify=True,
        signer_name="Facade University",
        role_label="Seal",
        final=True,
    )
    assert sealed.pades_level == "B-LTA" and api.verify(sealed.pdf).ok
    seen: list[int] = []
    outcomes = list(
        api.sign_many(
            [prepared_pdf(b"A"), prepared_pdf(b"B")],
            username="dean",
            passphrase="dean-pass",
            field_name="Dean",
            certify=True,
            signer_name="Dean Facade",
            role_label="Dean",
            final=False,
            progress=lambda done, _total: seen.append(done),
        )
    )
    assert seen == [1, 2] and all(o.result is not None for o in outcomes)


def test_revoked_official_is_refused_through_the_facade(configured_pki):
    pki.revoke_certificate(configured_pki, "dean")
    with pytest.raises(CredentialRefused, match="revoked"):
        api.sign(
            prepared_pdf(),
            username="dean",
            passphrase="dean-pass",
            field_name="Dean",
            certify=True,
            signer_name="D",
            role_label="D",
            final=False,
        )

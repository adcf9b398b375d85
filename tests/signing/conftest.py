"""Fixtures of the signing tests: one real local PKI per session, simple PDFs with prepared fields."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from signing import pades, pki
from signing.credentials import load_official

PASSPHRASES = {
    "dean": "dean-pass",
    "rector": "rector-pass",
    "revoked": "revoked-pass",
    "expired": "expired-pass",
}
NAMES = {
    "dean": "Әлия Нұрланқызы Сәрсенова",
    "rector": "Ректор Иванов",
    "revoked": "Revoked Official",
    "expired": "Expired Official",
}
FIELDS = [("Dean", 0, (60, 80, 290, 170)), ("Rector", 0, (310, 80, 540, 170))]


@dataclass
class LocalPki:
    """A real local PKI created in a temporary directory."""

    directory: Path

    def credential(self, username: str):
        """Open the PKCS#12 of ``username`` with the right passphrase."""
        return load_official(self.directory, username, PASSPHRASES[username])

    def vc(self, at: dt.datetime | None = None):
        """A fresh validation context (they keep state, so one per operation)."""
        return pades.local_validation_context(self.directory, at=at)


def simple_pdf(text: bytes = b"Hello") -> bytes:
    """A one-page PDF made with pyHanko's writer (no LibreOffice)."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): font})}
    )
    content = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")
    )
    page = PageObject(
        contents=content,
        media_box=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        resources=resources,
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def prepared_pdf(text: bytes = b"Hello") -> bytes:
    """A simple PDF with the dean's and the rector's visible signature fields prepared."""
    return pades.prepare_signature_fields(simple_pdf(text), FIELDS)


@pytest.fixture(scope="session")
def local_pki(tmp_path_factory: pytest.TempPathFactory) -> LocalPki:
    """Root, issuing CA, TSA, seal, and four officials: dean, rector, revoked (revoked), expired (expired)."""
    directory = tmp_path_factory.mktemp("pki")
    assert pki.init_pki(directory, organisation="Test University")
    for username in ("dean", "rector", "revoked"):
        pki.issue_certificate(directory, username, NAMES[username], PASSPHRASES[username], role=username)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    pki.issue_certificate(
        directory, "expired", NAMES["expired"], PASSPHRASES["expired"], valid_days=30, not_before=past
    )
    pki.revoke_certificate(directory, "revoked")
    return LocalPki(directory)


@pytest.fixture(scope="session")
def two_step_pdf(local_pki: LocalPki) -> tuple[bytes, pades.SignResult, pades.SignResult]:
    """The route of the tests: the dean certifies (B-LT), the rector approves as final signer (B-LTA)."""
    tsa = pades.local_timestamper(local_pki.directory)
    dean = pades.sign_pdf(
        prepared_pdf(),
        credential=local_pki.credential("dean"),
        field_name="Dean",
        certify=True,
        signer_name=NAMES["dean"],
        role_label="Декан / Dean",
        final=False,
        tsa=tsa,
        validation_context=local_pki.vc(),
    )
    rector = pades.sign_pdf(
        dean.pdf,
        credential=local_pki.credential("rector"),
        field_name="Rector",
        certify=False,
        signer_name=NAMES["rector"],
        role_label="Ректор",
        final=True,
        tsa=tsa,
        validation_context=local_pki.vc(),
    )
    return rector.pdf, dean, rector

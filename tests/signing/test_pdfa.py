"""Signing a LibreOffice PDF/A-2b keeps its PDF/A identification and validates."""

from __future__ import annotations

import io
import re
import subprocess

import docx
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing import pades, pki
from signing.verification import verify_pdf

from .conftest import FIELDS, NAMES

PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def _pdfa_identification(pdf: bytes) -> tuple[str, str]:
    xmp = PdfFileReader(io.BytesIO(pdf)).root["/Metadata"].get_object().data.decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    assert part and conformance, xmp[:500]
    return part.group(1), conformance.group(1)


@pytest.mark.libreoffice
def test_libreoffice_pdfa_survives_signing(local_pki, tmp_path):
    source = tmp_path / "diploma.docx"
    document = docx.Document()
    document.add_paragraph("Диплом — Қазақ ұлттық университеті. Diploma.")
    document.save(str(source))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            PDFA_FILTER,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "diploma.pdf").read_bytes()
    assert _pdfa_identification(pdf) == ("2", "B")

    signed = pades.sign_pdf(
        pades.prepare_signature_fields(pdf, FIELDS),
        credential=local_pki.credential("rector"),
        field_name="Rector",
        certify=True,
        signer_name=NAMES["rector"],
        role_label="Ректор",
        final=True,
        tsa=pades.local_timestamper(local_pki.directory),
        validation_context=local_pki.vc(),
    )
    assert signed.pades_level == "B-LTA"
    assert _pdfa_identification(signed.pdf) == ("2", "B")
    report = verify_pdf(signed.pdf, trust_roots=pki.trust_roots(local_pki.directory))
    assert report.ok, report.problems

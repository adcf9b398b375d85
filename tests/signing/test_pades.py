"""PAdES route signing: dean certifies, rector approves as final signer (B-LTA), batches, refusals."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore

from signing import pades, pki
from signing.errors import SigningFailed
from signing.verification import verify_pdf

from .conftest import NAMES, prepared_pdf


def _dss_context(local_pki, reader):
    """What an offline auditor has: our root and the revocation data embedded in the document."""
    return DocumentSecurityStore.read_dss(reader).as_validation_context(
        {
            "trust_roots": pki.trust_roots(local_pki.directory),
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )


def test_two_step_route_validates_offline_with_pyhanko(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    reader = PdfFileReader(io.BytesIO(pdf))
    signatures = {s.field_name: s for s in reader.embedded_regular_signatures}
    assert set(signatures) == {"Dean", "Rector"}
    dean_status = validate_pdf_signature(signatures["Dean"], _dss_context(local_pki, reader))
    rector_status = validate_pdf_signature(signatures["Rector"], _dss_context(local_pki, reader))
    for status in (dean_status, rector_status):
        assert status.intact and status.valid and status.trusted and status.bottom_line, status.summary()
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert signatures["Dean"].docmdp_level == MDPPerm.FILL_FORMS
    assert signatures["Rector"].docmdp_level is None
    assert dean_status.modification_level == ModificationLevel.FORM_FILLING
    assert rector_status.modification_level == ModificationLevel.LTA_UPDATES
    [doc_ts] = reader.embedded_timestamp_signatures
    ts_status = validate_pdf_timestamp(doc_ts, validation_context=_dss_context(local_pki, reader))
    assert ts_status.intact and ts_status.valid and ts_status.trusted
    assert doc_ts.signed_revision > signatures["Rector"].signed_revision


def test_sign_results_describe_the_revision_they_produced(local_pki, two_step_pdf):
    pdf, dean, rector = two_step_pdf
    reader = PdfFileReader(io.BytesIO(pdf))
    signatures = {s.field_name: s for s in reader.embedded_regular_signatures}
    assert (dean.pades_level, rector.pades_level) == ("B-LT", "B-LTA")
    assert dean.revision == signatures["Dean"].signed_revision
    assert rector.revision == signatures["Rector"].signed_revision > dean.revision
    assert dean.certificate_sha256 == signatures["Dean"].signer_cert.sha256.hex()
    assert rector.certificate_sha256 == local_pki.credential("rector").certificate_sha256
    assert dean.signing_time < rector.signing_time
    assert dean.timestamped and rector.timestamped
    assert pdf.startswith(dean.pdf[:-10].split(b"%%EOF")[0][:100])
    assert pdf[: len(dean.pdf)] == dean.pdf  # incremental: the dean's revision is untouched


def test_verify_report_of_the_route(local_pki, two_step_pdf):
    pdf, dean, _rector = two_step_pdf
    report = verify_pdf(
        pdf, trust_roots=pki.trust_roots(local_pki.directory), crls=pki.current_crls(local_pki.directory)
    )
    assert report.ok, report.problems
    assert report.certified and report.docmdp_permission == "FILL_FORMS"
    by_field = {s.field_name: s for s in report.signatures}
    assert by_field["Dean"].signer_name == NAMES["dean"]
    assert by_field["Dean"].certificate_sha256 == dean.certificate_sha256
    assert by_field["Dean"].signing_time == dean.signing_time.isoformat()
    assert by_field["Dean"].modification_level == "FORM_FILLING"
    assert by_field["Dean"].changed_after and not by_field["Dean"].disallowed_changes
    assert by_field["Rector"].modification_level == "LTA_UPDATES" and not by_field["Rector"].changed_after
    assert {s.pades_level for s in report.signatures} == {"B-LTA"}
    assert all(s.intact and s.valid and s.trusted and not s.revoked for s in report.signatures)
    assert len(report.document_timestamps) == 1 and report.document_timestamps[0].trusted


def _appearance_fonts(pdf: bytes, field_name: str):
    reader = PdfFileReader(io.BytesIO(pdf))
    for field_ref in reader.root["/AcroForm"]["/Fields"]:
        field = field_ref.get_object()
        if field["/T"] == field_name:
            appearance = field["/AP"]["/N"]
            fonts = [f.get_object() for f in appearance["/Resources"]["/Font"].values()]
            nested = []
            for xobject in appearance["/Resources"].get("/XObject", {}).values():
                resources = xobject.get_object().get("/Resources", {})
                nested += [f.get_object() for f in resources.get("/Font", {}).values()]
            return fonts + nested
    raise AssertionError(field_name)


def _to_unicode_text(cmap: str) -> set[str]:
    """The characters a ToUnicode CMap maps to (bfchar and both forms of bfrange)."""
    chars: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for _cid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            chars.add(chr(int(uni, 16)))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            start, end, rest = re.match(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(.*)", line.strip()).groups()
            if rest.startswith("["):
                chars.update(chr(int(u, 16)) for u in re.findall(r"<([0-9a-fA-F]+)>", rest))
            else:
                first = int(rest.strip("<>"), 16)
                chars.update(chr(first + i) for i in range(int(end, 16) - int(start, 16) + 1))
    return chars


def test_appearance_embeds_a_font_with_the_kazakh_letters(two_step_pdf, tmp_path):
    pdf, _dean, _rector = two_step_pdf
    fonts = _appearance_fonts(pdf, "Dean")
    assert fonts, "the stamp has no font"
    [font] = [f for f in fonts if "NotoSans" in str(f["/BaseFont"])]
    descendant = font["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in descendant["/FontDescriptor"]
    mapped = _to_unicode_text(font["/ToUnicode"].get_object().data.decode("ascii"))
    for letter in "ӘәұқӨөҢңҮүІі"[:4]:  # Kazakh-only letters of the dean's name: Ә ә ұ қ
        assert letter in mapped, letter
    assert set(NAMES["dean"].replace(" ", "")) <= mapped
    path = tmp_path / "route.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = [row for row in listing.splitlines() if "NotoSans" in row]
    assert len(rows) == 2 and all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows), listing


def test_batch_signing_reports_progress_and_isolates_bad_documents(local_pki):
    calls: list[tuple[int, int | None]] = []
    pdfs = [prepared_pdf(b"One"), b"this is not a pdf", prepared_pdf(b"Three")]
    outcomes = list(
        pades.sign_batch(
            pdfs,
            credential=local_pki.credential("dean"),
            field_name="Dean",
            certify=True,
            signer_name=NAMES["dean"],
            role_label="Dean",
            final=False,
            tsa=pades.local_timestamper(local_pki.directory),
            validation_context=local_pki.vc(),
            progress=lambda done, total: calls.append((done, total)),
        )
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [o.index for o in outcomes] == [0, 1, 2]
    assert outcomes[1].result is None and "not a readable PDF" in (outcomes[1].error or "")
    for outcome in (outcomes[0], outcomes[2]):
        assert outcome.result is not None and outcome.error is None
        report = verify_pdf(outcome.result.pdf, trust_roots=pki.trust_roots(local_pki.directory))
        assert report.ok, report.problems


def test_only_the_first_signature_may_certify(local_pki, two_step_pdf):
    _pdf, dean, _rector = two_step_pdf
    with pytest.raises(SigningFailed, match="Only the first signature may certify"):
        pades.sign_pdf(
            dean.pdf,
            credential=local_pki.credential("rector"),
            field_name="Rector",
            certify=True,
            signer_name="R",
            role_label="R",
            final=False,
            tsa=None,
            validation_context=local_pki.vc(),
        )


def test_a_signed_field_cannot_be_signed_again(local_pki, two_step_pdf):
    _pdf, dean, _rector = two_step_pdf
    with pytest.raises(SigningFailed, match="already signed"):
        pades.sign_pdf(
            dean.pdf,
            credential=local_pki.credential("rector"),
            field_name="Dean",
            certify=False,
            signer_name="R",
            role_label="R",
            final=False,
            tsa=None,
            validation_context=local_pki.vc(),
        )


def test_final_signature_needs_a_timestamp_authority(local_pki):
    with pytest.raises(SigningFailed, match="time-stamping authority"):
        pades.sign_pdf(
            prepared_pdf(),
            credential=local_pki.credential("dean"),
            field_name="Dean",
            certify=True,
            signer_name="D",
            role_label="D",
            final=True,
            tsa=None,
            validation_context=local_pki.vc(),
        )


def test_archive_timestamp_renewal_keeps_every_signature_valid(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    renewed = pades.renew_archive_timestamp(
        pdf, tsa=pades.local_timestamper(local_pki.directory), validation_context=local_pki.vc()
    )
    assert renewed[: len(pdf)] == pdf
    report = verify_pdf(renewed, trust_roots=pki.trust_roots(local_pki.directory))
    assert report.ok, report.problems
    assert len(report.document_timestamps) == 2
    assert report.archive_timestamp_expires is not None
    with pytest.raises(SigningFailed, match="no archive timestamp"):
        pades.renew_archive_timestamp(
            prepared_pdf(),
            tsa=pades.local_timestamper(local_pki.directory),
            validation_context=local_pki.vc(),
        )


def test_too_small_size_reservation_falls_back_to_estimation(local_pki, monkeypatch):
    credential = local_pki.credential("rector")
    monkeypatch.setitem(pades._measured_cms_sizes, (credential.certificate_sha256, False), 64)
    result = pades.sign_pdf(
        prepared_pdf(),
        credential=credential,
        field_name="Rector",
        certify=True,
        signer_name="R",
        role_label="R",
        final=False,
        tsa=None,
        validation_context=None,
    )
    assert verify_pdf(result.pdf, trust_roots=pki.trust_roots(local_pki.directory)).ok
    assert pades._measured_cms_sizes[(credential.certificate_sha256, False)] > 1000


def test_poppler_pdfsig_finds_both_signatures_valid(two_step_pdf, tmp_path):
    """Interoperability: an independent validator (poppler) checks the signature values."""
    pdf, _dean, _rector = two_step_pdf
    path = tmp_path / "route.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, check=False, text=True)
    assert "Signature Field Name: Dean" in result.stdout and "Signature Field Name: Rector" in result.stdout
    assert result.stdout.count("Signature Validation: Signature is Valid.") == 2, result.stdout
    assert result.stdout.count("Signature Type: ETSI.CAdES.detached") == 2


def test_poppler_pdfsig_trusts_the_signatures_once_our_root_is_trusted(two_step_pdf, local_pki, tmp_path):
    """Interoperability: with the university root in an NSS database, pdfsig says valid AND trusted."""
    pdf, _dean, _rector = two_step_pdf
    path = tmp_path / "route.pdf"
    path.write_bytes(pdf)
    nss = tmp_path / "nss"
    nss.mkdir()
    root = tmp_path / "root.pem"
    root.write_text(pki.trust_roots_pem(local_pki.directory))
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "university-root", "-t", "CT,C,C", "-i", str(root)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, check=False, text=True
    )
    assert result.stdout.count("Signature Validation: Signature is Valid.") == 2, result.stdout
    assert result.stdout.count("Certificate Validation: Certificate is Trusted.") == 2, result.stdout

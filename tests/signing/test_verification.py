"""Verification gives a precise verdict for every tampering and every unreadable input, never a traceback."""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import re

import pytest
from asn1crypto import cms
from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter

from signing import pades, pki
from signing.errors import UnreadablePdf
from signing.verification import ades_indication, etsi_report_xml, verify_pdf

from .conftest import simple_pdf


def _verify(local_pki, pdf):
    return verify_pdf(
        pdf, trust_roots=pki.trust_roots(local_pki.directory), crls=pki.current_crls(local_pki.directory)
    )


def _incremental(pdf: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_byte_changed_inside_a_signed_revision_is_reported(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    assert pdf.count(b"(Hello) Tj") == 1
    doctored = pdf.replace(b"(Hello) Tj", b"(Jello) Tj")
    report = _verify(local_pki, doctored)
    assert not report.ok
    assert all(not s.intact and not s.ok for s in report.signatures)
    assert any("altered" in p for p in report.problems)


def test_page_content_replaced_after_signing_is_reported(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf

    def replace_content(writer):
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        page["/Contents"] = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (Forged) Tj ET")
        )
        writer.update_container(page)

    report = _verify(local_pki, _incremental(pdf, replace_content))
    assert not report.ok
    for signature in report.signatures:
        assert signature.intact and signature.valid and signature.trusted  # the signed bytes are untouched...
        assert (
            signature.changed_after and signature.disallowed_changes and not signature.ok
        )  # ...the page is not
        assert signature.modification_level == "OTHER"
    assert any("changed after signing" in p for p in report.problems)


def test_annotation_added_after_signing_is_reported(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf

    def annotate(writer):
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        note = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in (10, 10, 30, 30)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("void"),
            }
        )
        annots = page.get("/Annots", generic.ArrayObject())
        annots.append(writer.add_object(note))
        page["/Annots"] = annots
        writer.update_container(page)

    report = _verify(local_pki, _incremental(pdf, annotate))
    assert not report.ok
    assert all(s.disallowed_changes for s in report.signatures)


def test_signature_from_an_unknown_ca_is_not_trusted(tmp_path, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    other = tmp_path / "other"
    pki.init_pki(other, organisation="Elsewhere")
    report = verify_pdf(pdf, trust_roots=pki.trust_roots(other))
    assert not report.ok
    assert all(s.intact and s.valid and not s.trusted for s in report.signatures)
    assert any("not trusted" in p for p in report.problems)


def test_a_pdf_without_signatures_is_not_ok(local_pki):
    report = _verify(local_pki, simple_pdf())
    assert not report.ok and report.signatures == []
    assert report.problems == ["The document carries no signature."]


def test_signature_copied_into_another_document_is_broken(local_pki):
    from .conftest import prepared_pdf

    def dean_signs(text: bytes) -> bytes:
        return pades.sign_pdf(
            prepared_pdf(text),
            credential=local_pki.credential("dean"),
            field_name="Dean",
            certify=True,
            signer_name="Dean",
            role_label="Dean",
            final=False,
            tsa=None,
            validation_context=None,
        ).pdf

    original, other = dean_signs(b"Grade A"), dean_signs(b"Grade F")
    contents = re.compile(rb"/Contents <([0-9a-fA-F]+)>")
    copied_der = cms.ContentInfo.load(
        bytes.fromhex(contents.search(original).group(1).decode()), strict=False
    ).dump()
    slot = contents.search(other)
    copied_hex = copied_der.hex().encode().ljust(len(slot.group(1)), b"0")
    forged = other[: slot.start(1)] + copied_hex + other[slot.end(1) :]
    assert len(forged) == len(other) and forged != other
    report = _verify(local_pki, forged)
    assert not report.ok
    assert not report.signatures[0].intact
    assert any("altered" in p for p in report.problems)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a definitely not a pdf", "not a readable PDF"),
        (b"", "not a readable PDF"),
    ],
)
def test_unreadable_input_raises_unreadable_pdf(local_pki, data, message):
    with pytest.raises(UnreadablePdf, match=message):
        _verify(local_pki, data)


def test_truncated_pdf_raises_unreadable_pdf(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    with pytest.raises(UnreadablePdf):
        _verify(local_pki, pdf[: len(pdf) // 3])


def test_encrypted_pdf_raises_unreadable_pdf(local_pki):
    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in (0, 0, 10, 10)]
                ),
            }
        )
    )
    writer.encrypt("owner-secret", "user-secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadablePdf, match="encrypted"):
        _verify(local_pki, out.getvalue())


def _plain(value):
    """Whether the value is made of exact builtin types only (no subclass carrying other state)."""
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if type(value) is list:
        return all(_plain(v) for v in value)
    if dataclasses.is_dataclass(value):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return value is None or type(value) in (str, int, bool, float)


def test_the_report_holds_plain_values_and_stays_small(local_pki, two_step_pdf):
    """No pyHanko object in the report: its field names once kept the whole parsed PDF alive, so
    each cached report was megabytes and `to_dict` deep-copied it for seconds."""
    pdf, _dean, _rector = two_step_pdf
    report = _verify(local_pki, pdf)
    assert _plain(report) and _plain(report.to_dict())
    assert len(pickle.dumps(report)) < 20 * 1024


def test_report_is_json_safe(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    data = json.loads(json.dumps(_verify(local_pki, pdf).to_dict()))
    assert data["ok"] is True
    assert [s["field_name"] for s in data["signatures"]] == ["Dean", "Rector"]
    assert set(data["signatures"][0]) >= {
        "signer_name",
        "certificate_sha256",
        "signing_time",
        "intact",
        "valid",
        "trusted",
        "revoked",
        "coverage",
        "modification_level",
        "docmdp_permission",
        "pades_level",
        "problems",
    }
    assert data["document_timestamps"][0]["tsa_name"] == "Test University Time-Stamping Authority"


def test_etsi_validation_report(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    xml = etsi_report_xml(pdf, trust_roots=pki.trust_roots(local_pki.directory), field_name="Dean")
    root = etree.fromstring(xml)
    assert etree.QName(root).localname == "ValidationReport"
    assert (
        ades_indication(pdf, trust_roots=pki.trust_roots(local_pki.directory), field_name="Rector")
        == "total-passed"
    )


def test_signature_of_a_later_revoked_certificate(local_pki, tmp_path):
    """A certificate revoked after signing shows as revoked when checked against the newer CRL."""
    directory = tmp_path / "pki"
    pki.init_pki(directory)
    pki.issue_certificate(directory, "clerk", "Clerk", "clerk-pass")
    from signing.credentials import load_official

    from .conftest import prepared_pdf

    signed = pades.sign_pdf(
        prepared_pdf(),
        credential=load_official(directory, "clerk", "clerk-pass"),
        field_name="Dean",
        certify=True,
        signer_name="Clerk",
        role_label="Clerk",
        final=False,
        tsa=None,
        validation_context=None,
    )
    pki.revoke_certificate(directory, "clerk")
    report = verify_pdf(signed.pdf, trust_roots=pki.trust_roots(directory), crls=pki.current_crls(directory))
    assert not report.ok
    assert report.signatures[0].revoked
    assert any("revoked" in p for p in report.problems)


def test_malformed_signature_data_is_a_precise_unreadable_verdict(local_pki, two_step_pdf):
    pdf, _dean, _rector = two_step_pdf
    match = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", pdf)
    broken = pdf[: match.start(1)] + b"F" * 40 + pdf[match.start(1) + 40 :]
    with pytest.raises(UnreadablePdf, match="malformed signature data"):
        _verify(local_pki, broken)

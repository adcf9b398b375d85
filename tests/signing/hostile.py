"""Hostile PDFs for the signature checker: cheap to make, expensive to verify without limits."""

from __future__ import annotations

import io
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def many_signatures_pdf(signed_pdf: bytes, *, copies: int) -> bytes:
    """``signed_pdf`` with ``copies`` more signature fields, all pointing at its first real signature:
    each is a full CMS and certificate-path validation for the checker, for a few bytes per field."""
    with pikepdf.open(io.BytesIO(signed_pdf)) as pdf:
        acroform = pdf.Root.AcroForm
        signature = next(
            field.V for field in acroform.Fields if "/V" in field and field.get("/FT") == Name.Sig
        )
        page = pdf.pages[0].obj
        annots = page.get("/Annots", Array())
        for index in range(copies):
            field = pdf.make_indirect(
                Dictionary(
                    FT=Name.Sig,
                    T=String(f"copy{index}"),
                    V=signature,
                    Type=Name.Annot,
                    Subtype=Name.Widget,
                    Rect=Array([0, 0, 0, 0]),
                    P=page,
                )
            )
            acroform.Fields.append(field)
            annots.append(field)
        page.Annots = annots
        output = io.BytesIO()
        pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()


def huge_xref_pdf(*, entries: int) -> bytes:
    """A one-page PDF whose cross-reference stream declares ``entries`` objects (a few KB compressed)."""
    body = b"%PDF-1.7\n"
    offsets: list[int] = []
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_offset = len(body)
    rows = bytearray(b"\x00\x00\x00\x00\xff\xff")
    for offset in offsets:
        rows += b"\x01" + offset.to_bytes(4, "big") + b"\x00"
    rows += b"\x02\x00\x00\x00\x04\x00" * (entries - len(offsets) - 2)  # "in object stream 4": never there
    rows += b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00"
    stream = zlib.compress(bytes(rows), 9)
    size = entries
    body += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % (size - 1, size, len(stream))
        + stream
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return body


def deeply_nested_pdf(*, depth: int) -> bytes:
    """A PDF whose signature field's value is an array nested ``depth`` levels deep."""
    nested = b"[" * depth + b"]" * depth
    body = b"%PDF-1.7\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>",
        b"<< /FT /Sig /T (deep) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 0 0 0] "
        b"/Contents <00> /Reference " + nested + b" >>",
    ]
    offsets: list[int] = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_offset = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_offset)
    return body

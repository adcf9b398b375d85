"""DOCX files built in the tests, including hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

from docx import Document
from docx.shared import Mm

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"


def make_docx(*paragraphs: str, image: bytes | None = None, header: str | None = None) -> bytes:
    """A DOCX whose body has one paragraph per argument (and optionally an image and a header)."""
    document = Document()
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if image is not None:
        document.add_picture(io.BytesIO(image), width=Mm(20))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def png_header(width: int, height: int, payload: bytes = b"") -> bytes:
    """A PNG whose header declares width × height pixels, followed by ``payload`` as its image data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", payload) + chunk(b"IEND", b"")


def with_extra_entry(docx: bytes, name: str, data: bytes, *, level: int = 9) -> bytes:
    """``docx`` with one more zip entry (deflated at ``level``)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=level)
    return output.getvalue()


def hostile_pdf(*, pages: int, operators: int, form_calls: int = 0, first_line: str = "") -> bytes:
    """A small PDF whose pages all repeat one Flate-compressed content stream of ``operators`` text
    operators (issue 11: 2 KB that cost 16 s of text extraction). With ``form_calls`` the page
    instead calls a form XObject holding those operators that many times. ``first_line`` is shown
    at the top of the first page."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    resources = Dictionary(Font=Dictionary(F1=font))
    operators_stream = b"BT /F1 1 Tf " + b"(x) Tj " * operators + b"ET"
    if form_calls:
        form = pikepdf.Stream(pdf, zlib.compress(operators_stream, 9), Filter=Name.FlateDecode)
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 612, 792])
        form.Resources = resources
        resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(X0=pdf.make_indirect(form)))
        operators_stream = b"/X0 Do " * form_calls
    shared = pdf.make_indirect(
        pikepdf.Stream(pdf, zlib.compress(operators_stream, 9), Filter=Name.FlateDecode)
    )
    for index in range(pages):
        contents: Any = shared
        if index == 0 and first_line:
            line = b"BT /F1 10 Tf 20 760 Td (" + first_line.encode("latin-1") + b") Tj ET "
            contents = Array([pdf.make_indirect(pikepdf.Stream(pdf, line)), shared])
        page = Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Contents=contents, Resources=resources
        )
        pdf.pages.append(pikepdf.Page(page))
    output = io.BytesIO()
    pdf.save(output, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()

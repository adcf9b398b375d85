"""DOCX files built in the tests, including hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

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

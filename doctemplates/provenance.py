"""What produced a rendering: template hash, docxtpl and LibreOffice versions, fonts, PDF text."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import subprocess
from importlib import metadata
from typing import Any

import pikepdf
from pypdf import PdfReader

from doctemplates.conversion import soffice_executable

_MARKER = re.compile(r"\[\[sig:[A-Za-z0-9_-]+(?::[0-9a-f]*)?\]\]")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def docxtpl_version() -> str:
    """The installed docxtpl version."""
    return metadata.version("docxtpl")


@functools.cache
def libreoffice_version() -> str:
    """``soffice --version`` (e.g. "LibreOffice 7.4.7.2 40(Build:2)"), computed once per process."""
    completed = subprocess.run(
        [soffice_executable(), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    return completed.stdout.strip() or "unknown"


def _font_descriptor(font: Any) -> Any:
    if font.get("/Subtype") == "/Type0" and "/DescendantFonts" in font:
        return font.DescendantFonts[0].get("/FontDescriptor")
    return font.get("/FontDescriptor")


def _fonts_of(document: pikepdf.Pdf) -> list[dict[str, Any]]:
    fonts: dict[str, bool] = {}
    for page in document.pages:
        resources = page.obj.get("/Resources")
        font_dict = resources.get("/Font") if resources is not None else None
        if font_dict is None:
            continue
        for _key, font in font_dict.items():
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
            descriptor = _font_descriptor(font)
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[name] = fonts.get(name, True) and embedded
    return [{"name": name, "embedded": embedded} for name, embedded in sorted(fonts.items())]


def pdf_fonts(pdf: bytes) -> list[dict[str, Any]]:
    """Every font the PDF's pages use: name (subset prefix removed) and whether it is embedded."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return _fonts_of(document)


def pdfa_status(pdf: bytes) -> str:
    """The PDF/A part and conformance the PDF declares in its XMP ("2B"), or "" if none."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return str(document.open_metadata().pdfa_status or "")


def pdf_text(pdf: bytes) -> str:
    """The text of every page (pages separated by form feeds), without signature markers."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [_MARKER.sub("", page.extract_text() or "") for page in reader.pages]
    return "\f".join(pages)


def rendering_provenance(template_docx: bytes, pdf: bytes, *, converter: str) -> dict[str, Any]:
    """The provenance record of one rendering, as JSON-ready values."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pdfa = str(document.open_metadata().pdfa_status or "")
        fonts = _fonts_of(document)
    return {
        "template_sha256": sha256_hex(template_docx),
        "pdf_sha256": sha256_hex(pdf),
        "docxtpl_version": docxtpl_version(),
        "libreoffice_version": libreoffice_version(),
        "converter": converter,
        "pdfa": pdfa,
        "fonts": fonts,
    }

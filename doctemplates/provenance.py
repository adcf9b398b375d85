"""What produced a rendering: template hash, docxtpl and LibreOffice versions, fonts, PDF text."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pikepdf
from pypdf import PdfReader

from doctemplates.conversion import soffice_executable
from doctemplates.limits import LimitHit, Limits, run_limited

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


@dataclass(frozen=True)
class BoundedText:
    """The text read from an untrusted PDF, and why reading stopped early ("" when it did not).

    ``cut`` is "pages" (more pages than allowed), "content" (more content-stream bytes than
    allowed), "cpu", "memory" or "time" (a limit of the child doing the work), or "unreadable".
    """

    text: str
    cut: str = ""
    pages_read: int = 0


# Reading an untrusted PDF's text may cost at most this: 2 s of CPU (the child's count includes the
# copy-on-write faults of a large parent process, so 1 s cut honest 3,000-page files when the server
# was big and busy), killed at 30 s of wall time if a library swallows the signal (pypdf catches errors
# inside form XObjects). A page of 100,000 text operators costs ~2 s; the content budget cuts it first.
TEXT_LIMITS = Limits(cpu_seconds=2, memory_bytes=512 * 1024 * 1024, wall_seconds=30)


@dataclass(frozen=True)
class TextBounds:
    """How much of an untrusted PDF :func:`pdf_text_bounded` reads."""

    max_pages: int = 30
    max_content_bytes: int = 512 * 1024  # decompressed content streams, over all pages read
    limits: Limits = TEXT_LIMITS


def _page_order(count: int) -> list[int]:
    # First and last page first: that is where documents print their number and verification link.
    return list(dict.fromkeys(i for i in [0, count - 1, *range(1, count - 1)] if 0 <= i < count))


def _read_text(pdf: bytes, bounds: TextBounds, stop_at: re.Pattern[str] | None) -> BoundedText:
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    parts: list[str] = []
    budget = bounds.max_content_bytes
    for read, index in enumerate(_page_order(len(pages))):
        if read >= bounds.max_pages:
            return BoundedText("\f".join(parts), "pages", read)
        page = pages[index]
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        if size > budget:
            return BoundedText("\f".join(parts), "content", read)
        budget -= size
        parts.append(_MARKER.sub("", page.extract_text() or ""))
        if stop_at is not None and stop_at.search(parts[-1]):
            return BoundedText("\f".join(parts), "", read + 1)
    return BoundedText("\f".join(parts), "", len(parts))


def pdf_text_bounded(
    pdf: bytes, *, bounds: TextBounds | None = None, stop_at: re.Pattern[str] | None = None
) -> BoundedText:
    """Text of an untrusted PDF, read in a limited child and cut where ``bounds`` say; never raises.

    Pages are read first, last, then in order, until ``stop_at`` matches a page's text.
    """
    bounds = bounds or TextBounds()
    try:
        return run_limited(_read_text, pdf, bounds, stop_at, limits=bounds.limits)
    except LimitHit as exc:
        return BoundedText("", exc.limit)
    except Exception:  # an unreadable or malformed file: no text, the caller goes on without it
        return BoundedText("", "unreadable")


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

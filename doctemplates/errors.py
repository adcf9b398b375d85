"""Exceptions raised by the doctemplates capability."""

from __future__ import annotations


class DocTemplateError(Exception):
    """Base class of every error raised by doctemplates."""


class TemplateRenderError(DocTemplateError):
    """A template could not be rendered; ``location`` says where, when known."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message if not location else f"{message} ({location})")
        self.message = message
        self.location = location

    def __reduce__(self) -> tuple[type[TemplateRenderError], tuple[str, str | None]]:
        # Rebuilt with both parts when it comes back from a limited child (doctemplates.limits).
        return (type(self), (self.message, self.location))


class ConverterUnavailable(DocTemplateError):
    """No DOCX → PDF converter can run on this machine (LibreOffice or unoserver missing)."""


class ConversionFailed(DocTemplateError):
    """A conversion failed, even after a retry on a fresh converter."""


class SignatureFieldError(DocTemplateError):
    """A signature field could not be placed (marker missing, duplicate or bad name)."""

"""The whole rendering: template + context → DOCX → PDF/A-2b with QR code and signature fields."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from doctemplates.conversion import Converter, get_converter
from doctemplates.provenance import rendering_provenance
from doctemplates.rendering import render_docx
from doctemplates.signature_fields import add_signature_fields


@dataclass(frozen=True)
class RenderResult:
    """The rendered DOCX, the archival PDF and what produced them."""

    docx: bytes
    pdf: bytes
    provenance: dict[str, Any] = field(default_factory=dict)


def render_document(
    template_docx: bytes,
    context: Mapping[str, Any],
    *,
    signature_fields: Sequence[str] = (),
    verification_url: str | None = None,
    converter: Converter | None = None,
) -> RenderResult:
    """Render, convert to PDF/A-2b and add the empty signature fields, or raise; never half a result.

    Raises TemplateRenderError, ConverterUnavailable, ConversionFailed or SignatureFieldError.
    """
    nonce = secrets.token_hex(4)
    docx = render_docx(
        template_docx,
        context,
        signature_fields=list(signature_fields),
        verification_url=verification_url,
        marker_nonce=nonce,
    )
    engine = converter or get_converter()
    pdf = add_signature_fields(engine.convert_docx_to_pdf(docx), list(signature_fields), marker_nonce=nonce)
    provenance = rendering_provenance(template_docx, pdf, converter=type(engine).__name__)
    provenance["signature_fields"] = list(signature_fields)
    return RenderResult(docx=docx, pdf=pdf, provenance=provenance)

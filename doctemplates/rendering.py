"""Rendering DOCX templates with docxtpl in a sandboxed Jinja environment.

Templates are uploaded by staff, so they are untrusted code: they run in an
``ImmutableSandboxedEnvironment`` with autoescape on (docxtpl's default of off silently drops
text around ``&`` and ``<``) and ``StrictUndefined`` (a missing variable is an error, never an
empty string in an archival document).

Rendering runs in a forked child with CPU, memory and time limits (:mod:`doctemplates.limits`),
and the environment refuses powers and repetitions whose result would be huge before computing
them, so ``{{ 10 ** 5000 }}`` or ``{{ 'x' * 10000000 }}`` is a clear error naming the tag, not a
stalled server.

Besides the caller's context, a template can use three names the renderer provides:
``qr_code`` (the QR image of the verification URL), ``verification_url`` and
``signature_field(name)`` (an invisible marker where a visible signature field is created after
conversion, see :mod:`doctemplates.signature_fields`). A context value that is a
:class:`ContextImage` (an emblem, a logo) becomes an inline picture of its width.
"""

from __future__ import annotations

import io
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from doctemplates.errors import TemplateRenderError
from doctemplates.filters import FILTERS
from doctemplates.limits import ChildFailed, LimitHit, Limits, run_limited
from doctemplates.qr import qr_png

# Names the renderer adds to every context; a kind's schema never needs to declare them.
RENDERER_NAMES = frozenset({"qr_code", "verification_url", "signature_field"})
SIGNATURE_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
QR_SIZE_MM = 25


# The largest results a template may compute with ** and * (an archival document needs neither).
MAX_POWER_BITS = 4096  # about 1,200 decimal digits
MAX_REPEAT = 100_000  # characters or items made by one repetition


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, refusing ``**`` and ``*`` whose result would be huge before computing it.

    Intercepting these operators also stops Jinja from folding them at compile time, where
    ``'x' * 10000000`` used to be computed while the template was merely being checked.
    """

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        refusal = binop_refusal(operator, left, right)
        if refusal:
            raise TemplateRenderError(refusal)
        return super().call_binop(context, operator, left, right)


def binop_refusal(operator: str, left: Any, right: Any) -> str | None:
    """Why ``left <operator> right`` is refused (its result would be huge), or None."""
    if operator == "**" and _huge_power(left, right):
        return gettext(
            "The template computes a power too large for a document (more than %(digits)s digits)."
        ) % {"digits": MAX_POWER_BITS * 3 // 10}
    if operator == "*" and _huge_repeat(left, right):
        return gettext("The template repeats text or a list to more than %(limit)s characters or items.") % {
            "limit": MAX_REPEAT
        }
    return None


def _huge_power(base: Any, exponent: Any) -> bool:
    if isinstance(base, bool) or not isinstance(base, int) or not isinstance(exponent, int):
        return False
    return exponent > 0 and abs(base) > 1 and abs(base).bit_length() * exponent > MAX_POWER_BITS


def _huge_repeat(left: Any, right: Any) -> bool:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
            return len(sequence) * count > MAX_REPEAT
    return False


@dataclass(frozen=True)
class ContextImage:
    """A picture the caller puts in the context (PNG or JPEG bytes), shown ``width_mm`` wide."""

    content: bytes
    width_mm: float

    def __bool__(self) -> bool:
        return bool(self.content)


def _with_images(tpl: DocxTemplate, context: Mapping[str, Any]) -> dict[str, Any]:
    """The context with every top-level ContextImage turned into docxtpl's InlineImage."""
    return {
        name: InlineImage(tpl, io.BytesIO(value.content), width=Mm(value.width_mm))
        if isinstance(value, ContextImage) and value.content
        else value
        for name, value in context.items()
    }


def make_environment() -> ImmutableSandboxedEnvironment:
    """The sandboxed Jinja environment every template is parsed and rendered in."""
    env = TemplateEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def signature_marker(name: str, nonce: str = "") -> str:
    """The text that marks where the signature field ``name`` goes.

    A per-rendering ``nonce`` (hex) keeps marker-like text typed into the data from being taken
    for the template's marker.
    """
    return f"[[sig:{name}:{nonce}]]" if nonce else f"[[sig:{name}]]"


def _marker_run(name: str, nonce: str) -> Markup:
    # Closes the template's run and writes the marker in its own run: white, 1 pt, so it does not
    # show on the page but stays in the PDF's text, where signature_fields finds its position.
    return Markup(  # noqa: S704 - name matched SIGNATURE_FIELD_NAME, the rest is constant
        '</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/><w:sz w:val="2"/><w:szCs w:val="2"/>'
        '</w:rPr><w:t xml:space="preserve">'
        + signature_marker(name, nonce)
        + '</w:t></w:r><w:r><w:t xml:space="preserve">'
    )


class _SignatureFieldTag:
    """The ``signature_field(name)`` callable a template uses; records what it placed."""

    def __init__(self, allowed: Sequence[str] | None, nonce: str) -> None:
        self.allowed = None if allowed is None else set(allowed)
        self.nonce = nonce
        self.placed: list[str] = []

    def __call__(self, name: Any) -> Markup:
        name = str(name)
        if not SIGNATURE_FIELD_NAME.match(name):
            raise TemplateRenderError(
                gettext("Bad signature field name %(name)r: use letters, digits, '_' and '-'.")
                % {"name": name}
            )
        if self.allowed is not None and name not in self.allowed:
            raise TemplateRenderError(
                gettext(
                    "The template places signature field %(name)s, which the signing route does not have "
                    "(it has: %(allowed)s)."
                )
                % {"name": name, "allowed": ", ".join(sorted(self.allowed)) or "—"}
            )
        if name in self.placed:
            raise TemplateRenderError(
                gettext("The template places signature field %(name)s twice.") % {"name": name}
            )
        self.placed.append(name)
        return _marker_run(name, self.nonce)


def with_paragraph_lines(xml: str) -> str:
    """A part's XML with a line break before every paragraph, as docxtpl gives it to Jinja."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def paragraph_lines(xml: str) -> list[str]:
    """The lines Jinja numbers in a part's XML (one paragraph per line)."""
    return with_paragraph_lines(xml).split("\n")


def line_text(line: str, limit: int = 120) -> str:
    """The visible text of one XML line (tags removed), shortened to ``limit`` characters."""
    text = re.sub(r"<[^>]+>", "", line).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _template_lineno(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    tb: types.TracebackType | None = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _locate(tpl: DocxTemplate, exc: BaseException) -> str | None:
    part = getattr(tpl, "current_rendering_part", None)
    lineno = _template_lineno(exc)
    if part is None:
        return None
    part_name = str(getattr(part, "partname", "document"))
    if lineno is None:
        return part_name
    try:
        xml = tpl.get_xml() if part is tpl.docx._part else tpl.get_part_xml(part)
        lines = paragraph_lines(tpl.patch_xml(xml))
        text = line_text(lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    except Exception:  # the location is a courtesy; never hide the real error behind it
        return part_name
    return f"{part_name}: «{text}»" if text else part_name


def render_limits() -> Limits:
    """CPU, memory and time one template rendering may use (settings RECTORATE_TEMPLATE_*)."""
    return Limits(
        cpu_seconds=int(getattr(settings, "RECTORATE_TEMPLATE_CPU_SECONDS", 10)),
        memory_bytes=int(getattr(settings, "RECTORATE_TEMPLATE_MEMORY_MB", 512)) * 1024 * 1024,
        wall_seconds=float(getattr(settings, "RECTORATE_TEMPLATE_WALL_SECONDS", 30)),
    )


def limit_message(exc: LimitHit) -> str:
    """What a user is told when a template rendering hit a limit."""
    if exc.limit == "memory":
        return gettext("The template needs more than %(mb)s MB of memory to render; it was stopped.") % {
            "mb": int(exc.value) // (1024 * 1024)
        }
    if exc.limit == "cpu":
        return gettext(
            "The template took more than %(seconds)s s of processor time to render; it was stopped."
        ) % {"seconds": exc.value}
    return gettext("The template did not finish rendering within %(seconds)s s; it was stopped.") % {
        "seconds": exc.value
    }


def _message(exc: BaseException) -> str:
    if isinstance(exc, LimitHit):
        return limit_message(exc)
    if isinstance(exc, MemoryError):
        return limit_message(LimitHit("memory", render_limits().memory_bytes))
    if isinstance(exc, SecurityError):
        return gettext("The template tries to reach Python internals: %(detail)s") % {"detail": exc}
    if isinstance(exc, UndefinedError):
        return gettext("The template uses a variable the data does not provide: %(detail)s") % {"detail": exc}
    if isinstance(exc, TemplateSyntaxError):
        return gettext("Template syntax error: %(detail)s") % {"detail": exc.message or exc}
    if isinstance(exc, TemplateError):
        return gettext("Template error: %(detail)s") % {"detail": exc}
    return gettext("The template could not be rendered: %(detail)s") % {"detail": exc}


def render_docx(
    template_docx: bytes,
    context: Mapping[str, Any],
    *,
    signature_fields: Sequence[str] | None = None,
    verification_url: str | None = None,
    marker_nonce: str = "",
    limits: Limits | None = None,
) -> bytes:
    """Render a DOCX template with ``context`` in a limited child; return the rendered DOCX bytes.

    ``limits`` defaults to :func:`render_limits`; a rendering that reaches one raises
    :class:`TemplateRenderError` saying which limit and, when it can, at which tag.
    ``signature_fields`` lists the fields the signing route needs: the template must place each
    exactly once with ``{{ signature_field('name') }}`` and no other. ``None`` allows any field.
    ``marker_nonce`` (hex digits) goes into the markers; give the same to ``add_signature_fields``.
    Raises :class:`TemplateRenderError` naming the problem and, when possible, where it is.
    """
    try:
        return run_limited(
            _render_docx,
            template_docx,
            dict(context),
            signature_fields=None if signature_fields is None else list(signature_fields),
            verification_url=verification_url,
            marker_nonce=marker_nonce,
            limits=limits or render_limits(),
        )
    except LimitHit as exc:
        raise TemplateRenderError(limit_message(exc)) from exc
    except ChildFailed as exc:
        raise TemplateRenderError(_message(exc)) from exc


def _render_docx(
    template_docx: bytes,
    context: Mapping[str, Any],
    *,
    signature_fields: Sequence[str] | None,
    verification_url: str | None,
    marker_nonce: str,
) -> bytes:
    """The rendering itself (runs in the limited child)."""
    try:
        tpl = DocxTemplate(io.BytesIO(template_docx))
        tpl.init_docx()
    except Exception as exc:
        raise TemplateRenderError(
            gettext("The template is not a readable DOCX file: %(detail)s") % {"detail": exc}
        ) from exc
    clashes = RENDERER_NAMES & set(context)
    if clashes:
        raise TemplateRenderError(
            gettext("The context must not define the renderer's names: %(names)s.")
            % {"names": ", ".join(sorted(clashes))}
        )
    if not re.fullmatch(r"[0-9a-f]*", marker_nonce):
        raise TemplateRenderError(gettext("A marker nonce must be hex digits."))
    signature_tag = _SignatureFieldTag(signature_fields, marker_nonce)
    full_context: dict[str, Any] = {**_with_images(tpl, context), "signature_field": signature_tag}
    if verification_url is not None:
        full_context["verification_url"] = verification_url
        full_context["qr_code"] = InlineImage(tpl, io.BytesIO(qr_png(verification_url)), width=Mm(QR_SIZE_MM))
    try:
        tpl.render(full_context, jinja_env=make_environment(), autoescape=True)
    except TemplateRenderError as exc:
        if exc.location is None:
            raise TemplateRenderError(exc.message, _locate(tpl, exc)) from exc
        raise
    except Exception as exc:
        raise TemplateRenderError(_message(exc), _locate(tpl, exc)) from exc
    if signature_fields is not None:
        missing = [name for name in signature_fields if name not in signature_tag.placed]
        if missing:
            raise TemplateRenderError(
                gettext("The template does not place the signature field(s) %(names)s.")
                % {"names": ", ".join(missing)}
            )
    output = io.BytesIO()
    tpl.save(output)
    return output.getvalue()

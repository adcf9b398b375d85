"""Validation of an uploaded DOCX template before it is stored.

:func:`validate_template` returns a list of :class:`Problem` (empty means valid): the file must be a
real DOCX within size limits (no zip bomb, no oversized image), its Jinja must parse, use only
the variables the kind's schema provides, and never reach for Python internals.

The allowed variables are a nested mapping of names: ``{"student": {"name": None}, "date": None}``
where ``None`` means "any value" (a leaf) and a mapping lists the known fields of an object or of
the items of a list. :func:`allowed_names_from_model` derives it from a pydantic model.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from docx.image.image import Image as DocxImage
from docxtpl import DocxTemplate
from jinja2 import TemplateAssertionError, TemplateSyntaxError, meta, nodes
from jinja2.environment import Environment

from doctemplates.limits import ChildFailed, LimitHit, run_limited
from doctemplates.rendering import (
    RENDERER_NAMES,
    binop_refusal,
    limit_message,
    line_text,
    make_environment,
    render_limits,
    with_paragraph_lines,
)

AllowedNames = Mapping[str, Any]  # name -> AllowedNames | None

# Attribute names that lead from a value to the interpreter (besides every name starting with "_").
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "mro",
        "func_globals",
        "func_code",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "cr_code",
        "ag_frame",
        "tb_frame",
        "tb_next",
        "co_code",
        "im_func",
        "im_self",
    }
)
FORBIDDEN_NAMES = frozenset({"self"})
DICT_METHODS = frozenset({"items", "keys", "values", "get"})
MACRO_CONTENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template: a stable code, a translated message, where (if known)."""

    code: str
    message: str
    location: str | None = None


@dataclass(frozen=True)
class TemplateLimits:
    """Size limits for uploaded templates."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_entries: int = 500
    max_total_uncompressed: int = 60 * 1024 * 1024
    max_entry_ratio: int = 100  # checked for entries bigger than ratio_check_from bytes
    ratio_check_from: int = 1024 * 1024
    max_image_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 40_000_000


DEFAULT_LIMITS = TemplateLimits()


class TemplateInvalid(Exception):
    """Raised by :func:`ensure_valid_template`; ``problems`` lists what is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message + (f" ({p.location})" if p.location else "") for p in problems))
        self.problems = problems


def allowed_names_from_model(model: type[Any]) -> dict[str, Any]:
    """The nested allowed names of a pydantic model class (through its JSON schema)."""
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})

    def resolve(node: Mapping[str, Any], depth: int) -> Any:
        if depth > 12:
            return None
        if "$ref" in node:
            node = definitions.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        for combinator in ("allOf", "anyOf", "oneOf"):
            for option in node.get(combinator, []):
                resolved = resolve(option, depth + 1)
                if resolved is not None:
                    return resolved
        if node.get("type") == "array" and isinstance(node.get("items"), Mapping):
            return resolve(node["items"], depth + 1)
        if "properties" in node:
            return {name: resolve(sub, depth + 1) for name, sub in node["properties"].items()}
        return None

    resolved = resolve(schema, 0)
    return resolved if isinstance(resolved, dict) else {}


def _normalise(allowed: AllowedNames | set[str] | frozenset[str]) -> dict[str, Any]:
    if isinstance(allowed, set | frozenset):
        return dict.fromkeys(allowed)
    return dict(allowed)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The entry's bytes, or None when it inflates past ``limit`` (headers can lie)."""
    with archive.open(info) as entry:
        data = entry.read(limit + 1)
    return None if len(data) > limit else data


def _check_archive(data: bytes, limits: TemplateLimits) -> list[Problem]:
    if len(data) > limits.max_file_bytes:
        return [
            Problem(
                "too_large",
                gettext("The file is %(size)s bytes; the limit is %(limit)s.")
                % {"size": len(data), "limit": limits.max_file_bytes},
            )
        ]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return [
            Problem("not_zip", gettext("The file is not a DOCX document (it is not a valid ZIP archive)."))
        ]
    if len(infos) > limits.max_entries:
        return [
            Problem(
                "too_many_entries",
                gettext("The archive has %(count)s entries; the limit is %(limit)s.")
                % {"count": len(infos), "limit": limits.max_entries},
            )
        ]
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return [
            Problem(
                "not_docx",
                gettext("The file is a ZIP archive but not a Word document (no word/document.xml)."),
            )
        ]
    return _check_entries(archive, infos, limits)


def _check_entries(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: TemplateLimits
) -> list[Problem]:
    problems: list[Problem] = []
    budget = limits.max_total_uncompressed
    bomb = Problem(
        "zip_bomb",
        gettext("The archive inflates to more than %(limit)s bytes; it is refused as a possible zip bomb.")
        % {"limit": limits.max_total_uncompressed},
    )
    for info in infos:
        if info.file_size > budget:
            return [bomb]
        if info.file_size > limits.ratio_check_from and info.file_size > limits.max_entry_ratio * max(
            info.compress_size, 1
        ):
            return [
                Problem(
                    "zip_bomb",
                    gettext(
                        "The entry %(name)s is compressed more than %(ratio)s times; refused as a zip bomb."
                    )
                    % {"name": info.filename, "ratio": limits.max_entry_ratio},
                    info.filename,
                )
            ]
        try:
            content = _read_bounded(archive, info, budget)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return [
                Problem(
                    "not_zip", gettext("The archive entry %(name)s is corrupt.") % {"name": info.filename}
                )
            ]
        if content is None:
            return [bomb]
        budget -= len(content)
        if info.filename == "[Content_Types].xml" and MACRO_CONTENT_TYPE.encode() in content:
            problems.append(Problem("macro", gettext("Documents with macros (.docm) are not accepted.")))
        if info.filename.startswith("word/media/"):
            problems.extend(_check_image(info.filename, content, limits))
    return problems


def _check_image(name: str, content: bytes, limits: TemplateLimits) -> list[Problem]:
    if len(content) > limits.max_image_bytes:
        return [
            Problem(
                "image_too_large",
                gettext("The image %(name)s has %(size)s bytes; the limit is %(limit)s.")
                % {"name": name, "size": len(content), "limit": limits.max_image_bytes},
                name,
            )
        ]
    try:
        image = DocxImage.from_blob(content)
        pixels = int(image.px_width) * int(image.px_height)
    except Exception:  # formats python-docx cannot measure (EMF, WMF…) pass on byte size alone
        return []
    if pixels > limits.max_image_pixels:
        return [
            Problem(
                "image_too_large",
                gettext("The image %(name)s is %(width)s×%(height)s pixels; the limit is %(limit)s pixels.")
                % {
                    "name": name,
                    "width": image.px_width,
                    "height": image.px_height,
                    "limit": limits.max_image_pixels,
                },
                name,
            )
        ]
    return []


def _template_sources(tpl: DocxTemplate) -> Iterator[tuple[str, str]]:
    """(part name, Jinja source) of every part docxtpl renders."""
    tpl.init_docx()
    yield "/word/document.xml", tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            yield str(part.partname), tpl.patch_xml(tpl.get_part_xml(part))
    for part in tpl.docx.part.package.parts:
        if str(part.content_type).endswith("wordprocessingml.footnotes+xml"):
            yield str(part.partname), tpl.patch_xml(part.blob.decode("utf-8"))
    properties = tpl.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        yield f"document properties: {name}", getattr(properties, name) or ""


class _Checker:
    """Walks one part's Jinja AST for forbidden constructs and unknown names and fields."""

    def __init__(self, allowed: dict[str, Any], part: str, source: str) -> None:
        self.allowed = allowed
        self.part = part
        self.lines = source.split("\n")  # source already has one paragraph per line
        self.problems: list[Problem] = []
        self.signature_fields: list[tuple[str | None, str]] = []  # (name or None if computed, where)

    def where(self, lineno: int | None) -> str:
        if lineno is None or not 0 < lineno <= len(self.lines):
            return self.part
        text = line_text(self.lines[lineno - 1])
        return f"{self.part}: «{text}»" if text else self.part

    def add(self, code: str, message: str, node: nodes.Node) -> None:
        problem = Problem(code, message, self.where(getattr(node, "lineno", None)))
        if problem not in self.problems:
            self.problems.append(problem)

    def forbidden(self, what: str, node: nodes.Node) -> None:
        self.add(
            "forbidden",
            gettext("The template tries to reach Python internals (%(what)s); this is not allowed.")
            % {"what": what},
            node,
        )

    def resolve(self, expr: nodes.Node, scope: dict[str, Any]) -> Any:
        """The schema of an expression's value: a mapping of known fields, or None (anything)."""
        if isinstance(expr, nodes.Name):
            return scope[expr.name] if expr.name in scope else self.allowed.get(expr.name)
        if isinstance(expr, nodes.Getattr | nodes.Getitem):
            base = self.resolve(expr.node, scope)
            key = expr.attr if isinstance(expr, nodes.Getattr) else None
            if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
                key = expr.arg.value if isinstance(expr.arg.value, str) else None
                if key is None:
                    return base  # list[index]: the item has the list's item schema
            if isinstance(base, Mapping) and key is not None:
                if key in base:
                    return base[key]
                if key not in DICT_METHODS:
                    self.add(
                        "unknown_field",
                        gettext("The template uses the field %(field)s, which the data does not provide.")
                        % {"field": key},
                        expr,
                    )
        return None

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Getattr):
            if node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRIBUTES:
                self.forbidden(node.attr, node)
            else:
                self.resolve(node, scope)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            key = node.arg.value
            if isinstance(key, str) and (key.startswith("_") or key in FORBIDDEN_ATTRIBUTES):
                self.forbidden(key, node)
            else:
                self.resolve(node, scope)
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            argument = node.args[0] if node.args else None
            if not isinstance(argument, nodes.Const) or str(argument.value).startswith("_"):
                self.forbidden("attr", node)
        elif isinstance(node, nodes.Name) and node.name in FORBIDDEN_NAMES:
            self.forbidden(node.name, node)
        elif (
            isinstance(node, nodes.Pow | nodes.Mul)
            and isinstance(node.left, nodes.Const)
            and isinstance(node.right, nodes.Const)
        ):
            refusal = binop_refusal(node.operator, node.left.value, node.right.value)
            if refusal:
                self.add("too_large", refusal, node)
        elif isinstance(node, nodes.Import | nodes.FromImport | nodes.Include | nodes.Extends):
            self.forbidden(type(node).__name__.lower(), node)
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "signature_field"
        ):
            argument = node.args[0] if len(node.args) == 1 and not node.kwargs else None
            name = (
                argument.value
                if isinstance(argument, nodes.Const) and isinstance(argument.value, str)
                else None
            )
            self.signature_fields.append((name, self.where(node.lineno)))
        if isinstance(node, nodes.For):
            inner = dict(scope)
            item_schema = self.resolve(node.iter, scope)
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else []:
                inner[target.name] = None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item_schema
            self.visit(node.iter, scope)
            for child in [*node.body, *([node.test] if node.test else [])]:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '([^']+)'")
_LOOKING_FOR = re.compile(r"looking for the following tags: '([^']+)'")
_NO_FILTER = re.compile(r"No filter named '([^']+)'")


def syntax_advice(detail: str) -> str:
    """A template-engine syntax error as what a person wrote wrong and what to write instead.

    The location (the paragraph with the tag) is given with the problem; this says which tag and
    how to write it. Unrecognised errors keep the engine's words after the general advice.
    """
    unknown = _UNKNOWN_TAG.search(detail)
    closing = _LOOKING_FOR.search(detail)
    if unknown and closing:
        return gettext(
            "The tag {%% %(tag)s %%} is not expected here: the open block needs {%% %(expected)s %%} first."
        ) % {"tag": unknown.group(1), "expected": closing.group(1)}
    if unknown:
        return gettext(
            "The tag {%% %(tag)s %%} is unknown. A value is written {{ data.field }}, a condition "
            "{%% if … %%} … {%% endif %%}, a repeated row {%%tr for line in data.lines %%} … {%%tr endfor %%}."
        ) % {"tag": unknown.group(1)}
    if closing or "unexpected end of template" in detail.lower():
        expected = closing.group(1) if closing else "end…"
        return gettext(
            "A block is opened but never closed: write {%% %(expected)s %%} where it should end."
        ) % {"expected": expected}
    no_filter = _NO_FILTER.search(detail)
    if no_filter:
        from doctemplates.filters import FILTERS

        return gettext("The filter |%(filter)s does not exist. The filters are: %(names)s.") % {
            "filter": no_filter.group(1),
            "names": ", ".join(sorted({*FILTERS, "upper", "lower", "default", "join", "round"})),
        }
    if "unexpected char" in detail:
        return gettext(
            "The tag contains a character a template cannot read, often Word's curly quotes “ ” ‘ ’: "
            "retype the quotes inside the tag as straight quotes ' or \"."
        )
    if "unexpected '}'" in detail or "expected token 'end of print statement'" in detail:
        return gettext(
            "A tag is not written correctly: a value is {{ data.field }} (two braces each side), a "
            "command is {%% if … %%}; check the braces and that nothing stands between them."
        )
    return gettext(
        "A tag is not written correctly (%(detail)s). A value is written {{ data.field }}, a condition "
        "{%% if … %%} … {%% endif %%}."
    ) % {"detail": detail}


def template_names_used(data: bytes) -> set[str]:
    """The top-level names a template uses (``data``, ``qr_code``, ...), in every part; empty when
    it cannot be read (validation reports that)."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        sources = list(_template_sources(tpl))
    except Exception:
        return set()
    env = make_environment()
    used: set[str] = set()
    for _part, source in sources:
        try:
            used |= meta.find_undeclared_variables(env.parse(with_paragraph_lines(source)))
        except TemplateSyntaxError:
            continue
    return used


def _check_part(env: Environment, part: str, source: str, allowed: dict[str, Any] | None) -> _Checker:
    source = with_paragraph_lines(source)
    checker = _Checker(allowed or {}, part, source)
    try:
        ast = env.parse(source)
        env.compile(ast)
    except TemplateSyntaxError as exc:
        code = "unknown_filter" if isinstance(exc, TemplateAssertionError) else "syntax"
        checker.problems.append(
            Problem(code, syntax_advice(str(exc.message or exc)), checker.where(exc.lineno))
        )
        return checker
    checker.visit(ast, {})
    if allowed is not None:
        known = set(allowed) | RENDERER_NAMES
        for name in sorted(meta.find_undeclared_variables(ast) - known):
            first = next((n for n in ast.find_all(nodes.Name) if n.name == name), ast)
            checker.add(
                "unknown_variable",
                gettext("The template uses the variable %(name)s, which this kind's data does not provide.")
                % {"name": name},
                first,
            )
    return checker


def _check_signature_fields(placed: list[tuple[str | None, str]], route: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    for name, where in placed:
        if name is None:
            problems.append(
                Problem(
                    "signature_field_computed",
                    gettext(
                        "A signature field name must be written in quotes, e.g. signature_field('dean')."
                    ),
                    where,
                )
            )
        elif name not in route:
            problems.append(
                Problem(
                    "signature_field_unknown",
                    gettext(
                        "The template places signature field %(name)s, which the signing route does not have."
                    )
                    % {"name": name},
                    where,
                )
            )
    names = [name for name, _where in placed]
    for name in route:
        if names.count(name) != 1:
            problems.append(
                Problem(
                    "signature_field_missing" if name not in names else "signature_field_repeated",
                    gettext("The signing step %(name)s needs exactly one {{ signature_field('%(name)s') }}.")
                    % {"name": name},
                )
            )
    return problems


def validate_template(
    data: bytes,
    allowed: AllowedNames | set[str] | frozenset[str] | None = None,
    *,
    limits: TemplateLimits = DEFAULT_LIMITS,
    signature_fields: Sequence[str] | None = None,
    required: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem of an uploaded template; empty means it may be stored.

    ``required`` maps names the template must use (e.g. ``qr_code``) to what they show, for the
    message ("the QR code").

    ``allowed`` is the nested allowed names of the kind's data (see the module docstring), a plain
    set of top-level names, or None to skip the variable checks. ``signature_fields`` is the kind's
    signing route: each step must be placed exactly once, and nothing else (None skips the check).
    Parsing and compiling the Jinja runs in a limited child (Jinja folds constants while compiling).
    """
    try:
        return run_limited(
            _validate_template,
            data,
            allowed,
            limits=render_limits(),
            template_limits=limits,
            signature_fields=signature_fields,
            required=dict(required) if required else None,
        )
    except LimitHit as exc:
        return [Problem("limit", limit_message(exc))]
    except ChildFailed as exc:
        return [
            Problem("not_docx", gettext("The Word document cannot be read: %(detail)s") % {"detail": exc})
        ]


def _validate_template(
    data: bytes,
    allowed: AllowedNames | set[str] | frozenset[str] | None,
    *,
    template_limits: TemplateLimits,
    signature_fields: Sequence[str] | None,
    required: Mapping[str, str] | None = None,
) -> list[Problem]:
    limits = template_limits
    problems = _check_archive(data, limits)
    if problems:
        return problems
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        sources = list(_template_sources(tpl))
    except Exception as exc:
        return [
            Problem("not_docx", gettext("The Word document cannot be read: %(detail)s") % {"detail": exc})
        ]
    env = make_environment()
    allowed_names = None if allowed is None else _normalise(allowed)
    placed: list[tuple[str | None, str]] = []
    for part, source in sources:
        checker = _check_part(env, part, source, allowed_names)
        problems.extend(checker.problems)
        placed.extend(checker.signature_fields)
    if signature_fields is not None:
        problems.extend(_check_signature_fields(placed, signature_fields))
    if required:
        used = template_names_used(data)
        problems.extend(
            Problem(
                "required_missing",
                gettext(
                    "This kind of document must show %(what)s: write {{ %(name)s }} where it should appear."
                )
                % {"what": what, "name": name},
            )
            for name, what in required.items()
            if name not in used
        )
    return problems


def ensure_valid_template(
    data: bytes,
    allowed: AllowedNames | set[str] | frozenset[str] | None = None,
    *,
    limits: TemplateLimits = DEFAULT_LIMITS,
    signature_fields: Sequence[str] | None = None,
) -> None:
    """Raise :class:`TemplateInvalid` listing the problems, if there are any."""
    problems = validate_template(data, allowed, limits=limits, signature_fields=signature_fields)
    if problems:
        raise TemplateInvalid(problems)

"""The registry's write path for document templates: upload, check, preview, activate.

Who: only **methodologists, administrators and registrars**, with any scope, and superusers. Templates are university-wide, so the scope of the role does not narrow them.

An upload is checked against the kind's pydantic schema plus the names the registry's
``render_context`` and the renderer provide, then test-rendered with the kind's sample data. A
rejected upload stores nothing and writes no audit event; an accepted one is stored inactive with
its preview PDF and font warnings, and ``template_activate`` makes it the one new documents use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doctemplates.errors import DocTemplateError, TemplateRenderError
from doctemplates.fonts import font_warnings
from doctemplates.models import Template, TemplateVersion
from doctemplates.pipeline import render_document
from doctemplates.store import (
    StoredTemplateCorrupt,
    blob_get,
    template_deactivate,
    template_version_activate,
    template_version_check,
    template_version_docx,
    template_version_store,
    template_versions,
)
from doctemplates.validation import Problem, TemplateInvalid, allowed_names_from_model
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import DocumentKind, all_kinds, get_kind
from records.models import Document, OrgUnit, Role, Version
from records.permissions import has_role, may
from records.services.audit import audit_record
from records.services.rendering import render_context, verification_url, version_render

TEMPLATE_MANAGER_ROLES = frozenset({Role.ADMINISTRATOR, Role.REGISTRAR, Role.METHODOLOGIST})
# What each name a kind may require shows, for the refusal message.
REQUIRED_ELEMENT_NAMES = {
    "qr_code": _lazy("the QR code"),
    "verification_url": _lazy("the verification link"),
}


class TemplateRejected(RecordsError):
    """An upload that cannot be stored; ``problems`` lists every reason with its location."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "template_invalid", _("The template was not stored: %(count)s problem(s)."), count=len(problems)
        )
        self.problems = problems


def may_manage_templates(user: Any) -> bool:
    """Methodologists, administrators and registrars (any scope) and superusers manage templates."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, TEMPLATE_MANAGER_ROLES)


def _require_manager(user: Any) -> None:
    if not may_manage_templates(user):
        raise RecordsError(
            "forbidden", _("Only methodologists, administrators and registrars may manage templates.")
        )


def template_allowed_names(kind: DocumentKind) -> dict[str, Any]:
    """What a template of `kind` may use: the schema's fields under ``data`` plus the registry facts."""
    return {
        "data": allowed_names_from_model(kind.schema),
        "number": None,
        "date": None,
        "title": None,
        "kind_name": dict.fromkeys(kind.names),
        "university_name": None,
        "emblem": None,
        "org_unit": None,
        "subject_name": None,
        "author": {"name": None},
        "signers": {step.code: None for step in kind.signing_route},
        "version": None,
        "text": dict.fromkeys(kind.text_keys),
    }


def sample_document(kind: DocumentKind, by: Any) -> tuple[Document, Version]:
    """An unsaved document and version of `kind` carrying its sample data, for previews."""
    unit = OrgUnit.objects.filter(parent__isnull=True).first() or OrgUnit(
        name_kk="—", name_ru="—", name_en="—", path=""
    )
    now = timezone.now()
    document = Document(
        kind=kind.code,
        title=kind.name,
        org_unit=unit,
        org_path=unit.path,
        registry_number=kind.format_number(year=timezone.localdate().year, seq=1),
        created_by=by,
    )
    version = Version(
        document=document, number=1, data=kind.validate(kind.sample_data), author=by, frozen_at=now
    )
    return document, version


def _problem_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"code": p.code, "message": p.message, "location": p.location} for p in problems]


def template_upload(
    *, by: Any, kind: str, language: str, docx_bytes: bytes, comment: str = ""
) -> TemplateVersion:
    """Check, test-render and store a new inactive version; raises TemplateRejected (nothing stored)."""
    _require_manager(by)
    document_kind = get_kind(kind)
    if language not in document_kind.languages:
        raise RecordsError("invalid_language", _("Unknown language %(language)s."), language=language[:10])
    route = [step.code for step in document_kind.signing_route] + list(document_kind.extra_signature_fields)
    try:
        template_version_check(
            docx_bytes,
            allowed=template_allowed_names(document_kind),
            signature_fields=route,
            max_bytes=settings.RECTORATE_MAX_UPLOAD_BYTES,
            required={
                name: str(REQUIRED_ELEMENT_NAMES.get(name, name))
                for name in document_kind.required_template_names
            },
        )
    except TemplateInvalid as exc:
        raise TemplateRejected(exc.problems) from exc
    document, version = sample_document(document_kind, by)
    try:
        preview = render_document(
            docx_bytes,
            render_context(document, version),
            signature_fields=route,
            verification_url=verification_url(document),
        )
    except TemplateRenderError as exc:
        raise TemplateRejected([Problem("render", exc.message, exc.location)]) from exc
    except DocTemplateError as exc:
        raise RecordsError(
            "render_failed", _("The preview could not be rendered: %(error)s"), error=str(exc)
        ) from exc
    warnings = _problem_dicts(font_warnings(docx_bytes))
    with transaction.atomic():
        template_version = template_version_store(
            kind=kind,
            language=language,
            docx=docx_bytes,
            author=by,
            comment=comment.strip()[:2000],
            preview_pdf=preview.pdf,
            warnings=warnings,
        )
        audit_record(
            actor=by,
            action="template.upload",
            object_type="template_version",
            object_id=template_version.pk,
            changes={
                "kind": kind,
                "language": language,
                "number": template_version.number,
                "sha256": template_version.sha256,
                "size": template_version.size,
                "warnings": [w["code"] for w in warnings],
            },
        )
    return template_version


def template_activate(*, by: Any, template_version: TemplateVersion) -> TemplateVersion:
    """Make `template_version` the one new renderings of its kind and language use."""
    _require_manager(by)
    with transaction.atomic():
        previous = template_version_activate(template_version=template_version)
        audit_record(
            actor=by,
            action="template.activate",
            object_type="template_version",
            object_id=template_version.pk,
            changes={
                "kind": template_version.template.kind,
                "language": template_version.template.language,
                "number": template_version.number,
                "sha256": template_version.sha256,
                "replaced": previous.identifier if previous else "",
            },
        )
    return template_version


def template_reset_to_default(*, by: Any, kind: str, language: str) -> TemplateVersion | None:
    """Set a kind's template in a language back to the built-in default (the uploaded versions stay
    in its history and may be activated again); returns the version that was active."""
    _require_manager(by)
    get_kind(kind)
    with transaction.atomic():
        previous = template_deactivate(kind=kind, language=language)
        audit_record(
            actor=by,
            action="template.reset",
            object_type="template",
            object_id=f"{kind}/{language}",
            changes={"kind": kind, "language": language, "replaced": previous.identifier if previous else ""},
        )
    return previous


def template_variables(kind: DocumentKind) -> list[str]:
    """Every name a template of `kind` may use, dotted (``data.student_iin``, ``number``, ...)."""
    names: list[str] = []

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict) and node:
            for key, child in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), child)
        else:
            names.append(prefix)

    walk("", template_allowed_names(kind))
    return [*names, "qr_code", "verification_url"]


@dataclass(frozen=True)
class TemplateSlot:
    """A kind and language with its active version and how many versions it has."""

    kind: DocumentKind
    language: str
    active: TemplateVersion | None
    count: int


def template_slots(*, user: Any) -> list[TemplateSlot]:
    """Every kind × language, with the active version (if any); for template managers only."""
    _require_manager(user)
    counts = {(t.kind, t.language): t.n for t in Template.objects.annotate(n=Count("versions"))}
    active = {
        (v.template.kind, v.template.language): v
        for v in TemplateVersion.objects.filter(active=True).select_related("template", "author")
    }
    return [
        TemplateSlot(kind, lang, active.get((kind.code, lang)), counts.get((kind.code, lang), 0))
        for kind in all_kinds()
        for lang in kind.languages
    ]


def template_history(*, user: Any, kind: str, language: str) -> list[TemplateVersion]:
    """The versions of one kind's template in one language, newest first."""
    _require_manager(user)
    get_kind(kind)
    return list(template_versions(kind, language))


def template_version_get(*, user: Any, pk: int) -> TemplateVersion:
    """One stored template version, for template managers."""
    _require_manager(user)
    version = TemplateVersion.objects.select_related("template", "author").filter(pk=pk).first()
    if version is None:
        raise NotFoundOrForbidden("not_found", _("Template version not found."))
    return version


def template_version_download(*, by: Any, pk: int) -> tuple[TemplateVersion, bytes]:
    """The DOCX of a version (hash verified), recorded as an export."""
    version = template_version_get(user=by, pk=pk)
    try:
        content = template_version_docx(version)
    except StoredTemplateCorrupt as exc:
        raise RecordsError("template_corrupt", "%(error)s", error=str(exc)) from exc
    audit_record(
        actor=by,
        action="template.download",
        object_type="template_version",
        object_id=version.pk,
        changes={"sha256": version.sha256},
    )
    return version, content


def template_version_preview(*, user: Any, pk: int) -> bytes:
    """The sample-data PDF rendered when the version was uploaded (hash verified)."""
    version = template_version_get(user=user, pk=pk)
    if not version.preview_sha256:
        raise NotFoundOrForbidden("not_found", _("This version has no preview."))
    try:
        return blob_get(version.preview_sha256)
    except StoredTemplateCorrupt as exc:
        raise RecordsError("template_corrupt", "%(error)s", error=str(exc)) from exc


def document_preview_pdf(*, by: Any, document: Document) -> bytes:
    """A fresh PDF of the document's current version, nothing stored; for those who may view it."""
    if not may(by, "view", document):
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    version = document.current_version
    if version is None:
        raise NotFoundOrForbidden("not_found", _("Document not found."))
    _docx, pdf, provenance = version_render(document=document, version=version, store=False)
    audit_record(
        actor=by,
        action="document.preview",
        document=document,
        changes={"version": version.number, "template_version": provenance.get("template_version", "")},
    )
    return pdf

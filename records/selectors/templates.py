"""Document templates as template managers read them: slots, histories, versions and previews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from doctemplates.models import Template, TemplateVersion
from doctemplates.store import (
    StoredTemplateCorrupt,
    blob_get,
    template_versions,
)
from doctemplates.validation import allowed_names_from_model
from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import DocumentKind, all_kinds, get_kind
from records.permissions import require_template_manager


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
    require_template_manager(user)
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
    require_template_manager(user)
    get_kind(kind)
    return list(template_versions(kind, language))


def template_version_get(*, user: Any, pk: int) -> TemplateVersion:
    """One stored template version, for template managers."""
    require_template_manager(user)
    version = TemplateVersion.objects.select_related("template", "author").filter(pk=pk).first()
    if version is None:
        raise NotFoundOrForbidden("not_found", _("Template version not found."))
    return version


def template_version_preview(*, user: Any, pk: int) -> bytes:
    """The sample-data PDF rendered when the version was uploaded (hash verified)."""
    version = template_version_get(user=user, pk=pk)
    if not version.preview_sha256:
        raise NotFoundOrForbidden("not_found", _("This version has no preview."))
    try:
        return blob_get(version.preview_sha256)
    except StoredTemplateCorrupt as exc:
        raise RecordsError("template_corrupt", "%(error)s", error=str(exc)) from exc


def template_versions_all() -> QuerySet[TemplateVersion]:
    """Every stored template version by kind, language and newest first (an operator's listing)."""
    return TemplateVersion.objects.select_related("template", "author").order_by(
        "template__kind", "template__language", "-number"
    )

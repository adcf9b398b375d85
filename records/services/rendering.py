"""Rendering a document version to DOCX and archival PDF/A through the doctemplates capability."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doctemplates.errors import DocTemplateError
from doctemplates.pipeline import render_document
from doctemplates.rendering import ContextImage
from doctemplates.store import (
    StoredTemplateCorrupt,
    active_template_version,
    template_version_by_identifier,
    template_version_docx,
)
from records.errors import RecordsError
from records.kinds.base import document_language, get_kind
from records.kinds.templates import default_template
from records.lifecycle import State
from records.models import Blob, Document, OrgUnit, Version
from records.services.audit import audit_record
from records.services.university import emblem_for_rendering, university_emblem


def verification_url(document: Document) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/verify/{document.verification_code}/"


def _placeholder_number(version: Version) -> str:
    """What a draft shows for its number, in the document's language (not the reader's)."""
    with translation.override(document_language(version)):
        return str(_("(number not yet assigned)"))


def render_context(
    document: Document, version: Version, emblem: ContextImage | None = None
) -> dict[str, Any]:
    """What a template sees: the version's data plus the document's registry facts (and `emblem`, the
    active one unless given)."""
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    kind = get_kind(document.kind)
    language = document_language(version)
    return {
        "data": version.data,
        "number": document.registry_number or _placeholder_number(version),
        "date": timezone.localdate(version.frozen_at) if version.frozen_at else timezone.localdate(),
        "title": document.title,
        "kind_name": kind.names,
        # The letterhead names the university in the document's language.
        "university_name": (getattr(root, f"name_{language}", "") or root.name_ru) if root else "",
        "emblem": emblem if emblem is not None else university_emblem(),
        "org_unit": document.org_unit.name_ru,
        "subject_name": document.subject.full_name("ru") if document.subject else "",
        "author": {"name": version.author.get_full_name() or version.author.get_username()},
        # Signers are shown by their signature appearances, so a re-render stays comparable.
        "signers": {},
        "version": version.number,
        # The data's values in words in the document's language (names, options; kinds.base.text).
        "text": kind.data_text(version.data if isinstance(version.data, dict) else {}, language),
    }


def version_template(document: Document, version: Version) -> tuple[bytes, str]:
    """The template of `version` and its identifier.

    A version already rendered keeps the template it was rendered with (so a re-render compares
    like with like); otherwise the kind's active template version in the document's language
    ("tv:<id>:<sha256[:16]>"), else the kind's default ("default:<sha256[:16]>").
    """
    recorded = version.template_version
    if recorded.startswith("tv:"):
        template_version = template_version_by_identifier(recorded)
        if template_version is None:
            raise RecordsError(
                "template_missing", _("The template %(template)s is no longer stored."), template=recorded
            )
    elif recorded.startswith("default:"):
        return default_template(document.kind, document_language(version))
    else:
        template_version = active_template_version(document.kind, document_language(version))
        if template_version is None:
            return default_template(document.kind, document_language(version))
    try:
        return template_version_docx(template_version), template_version.identifier
    except StoredTemplateCorrupt as exc:
        raise RecordsError("template_corrupt", "%(error)s", error=str(exc)) from exc


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _recorded_assets(version: Version) -> dict[str, Any]:
    """The pictures an earlier rendering of `version` recorded (empty when none recorded them)."""
    provenance = version.provenance if isinstance(version.provenance, dict) else {}
    assets = provenance.get("assets") if version.pdf_blob_id is not None else None
    return assets if isinstance(assets, dict) else {}


def _render_job(document: Document, version: Version) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the capability needs to render `version` (plain values only) and what the rendering's
    provenance records besides the capability's own: the template and the pictures (assets) used.

    A version already rendered keeps its template and its emblem version, so a re-render compares
    like with like. The registry is read here, in the caller's thread; rendering touches no model.
    """
    kind = get_kind(document.kind)
    template, template_id = version_template(document, version)
    recorded = _recorded_assets(version)
    emblem, emblem_record = emblem_for_rendering(recorded.get("emblem", False))
    job = {
        "template": template,
        "context": render_context(document, version, emblem=emblem),
        "signature_fields": [step.code for step in kind.signing_route] + list(kind.extra_signature_fields),
        "verification_url": verification_url(document),
    }
    return job, {"template_version": template_id, "assets": {"emblem": emblem_record}}


def _run(job: dict[str, Any]) -> Any:
    try:
        return render_document(
            job["template"],
            job["context"],
            signature_fields=job["signature_fields"],
            verification_url=job["verification_url"],
        )
    except DocTemplateError as exc:
        raise RecordsError(
            "render_failed", _("The document could not be rendered: %(error)s"), error=str(exc)
        ) from exc


def _store(version: Version, result: Any, produced_by: dict[str, Any]) -> dict[str, Any]:
    provenance = {**result.provenance, **produced_by}
    if version.pdf_blob_id is not None:
        raise RecordsError("already_rendered", _("This version already has its archival PDF."))
    version.docx_blob = Blob.store(result.docx, DOCX_MEDIA_TYPE)
    version.pdf_blob = Blob.store(result.pdf, "application/pdf")
    version.template_version = produced_by["template_version"]
    version.provenance = provenance
    version.save(update_fields=["docx_blob", "pdf_blob", "template_version", "provenance"])
    return provenance


def version_render(
    *, document: Document, version: Version, store: bool = True
) -> tuple[bytes, bytes, dict[str, Any]]:
    """Render `version`; with `store`, keep DOCX and PDF as blobs on the version. Raises RecordsError."""
    job, produced_by = _render_job(document, version)
    result = _run(job)
    if store:
        return result.docx, result.pdf, _store(version, result, produced_by)
    return result.docx, result.pdf, {**result.provenance, **produced_by}


# States in which a missing archival PDF may be rendered (nobody can have signed a version without one).
RENDERABLE_STATES = (State.APPROVED, State.SIGNING)


def document_render_pdf(*, document: Document, by: Any, job: int | None = None) -> Version:
    """Render the approved version's archival PDF outside any transaction, then store it in a short one.

    Rendering (template and LibreOffice) may take a minute; it never runs while the registry's
    write lock is held. The registry number was reserved and committed at approval, so the store
    only attaches the blobs, after checking (under lock) that the document is still approved with
    the same version and nobody stored a PDF meanwhile (then that PDF stays and nothing happens).
    Raises RecordsError when rendering fails: the document stays approved without a PDF, and this
    service (or a batch rendering) can be run again.
    """
    return documents_render_pdf(documents=[document], by=by, job=job, threads=1)[0]


def documents_render_pdf(
    *, documents: list[Document], by: Any, job: int | None = None, threads: int = 2
) -> list[Version]:
    """`document_render_pdf` for documents that belong together (a diploma and its supplement): the
    conversions run at once, one per converter (the pool is thread-safe), with no transaction open;
    each result is stored in its own short transaction. Returns the current versions, in order."""
    loaded = [
        Document.objects.select_related("current_version", "org_unit", "subject").get(pk=document.pk)
        for document in documents
    ]
    pending = [document for document in loaded if _needs_pdf(document)]
    prepared = [(document, *_render_job(document, document.current_version)) for document in pending]  # type: ignore[arg-type]
    items = [(document, render_job) for document, render_job, _id in prepared]
    if len(items) > 1 and threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(_run_explained, items))
    else:
        results = [_run_explained(item) for item in items]
    stored = {
        document.pk: _store_locked(document, result, produced_by, by=by, job=job)
        for (document, _job, produced_by), result in zip(prepared, results, strict=True)
    }
    versions = []
    for document, original in zip(loaded, documents, strict=True):
        version = stored.get(document.pk) or document.current_version
        assert version is not None
        original.current_version = version
        versions.append(version)
    return versions


def _needs_pdf(document: Document) -> bool:
    """True when the approved current version has no PDF yet; a RecordsError when it is not approved."""
    version = document.current_version
    if version is None or version.pdf_blob_id is not None:
        return False
    if document.state not in RENDERABLE_STATES or not version.frozen or not document.registry_number:
        raise RecordsError(
            "not_approved",
            _("Document %(id)s is not approved yet; its PDF is rendered at approval."),
            id=document.pk,
        )
    return True


def _run_explained(item: tuple[Document, dict[str, Any]]) -> Any:
    document, render_job = item
    try:
        return _run(render_job)
    except RecordsError as exc:
        raise RecordsError(
            "render_failed",
            _(
                "The document is approved and keeps its number %(number)s, but its PDF could not be "
                "rendered: %(error)s It can be rendered again."
            ),
            number=document.registry_number,
            error=exc.params.get("error", exc.message),
        ) from exc


def _store_locked(
    document: Document, result: Any, produced_by: dict[str, Any], *, by: Any, job: int | None
) -> Version:
    """Attach a rendering to the approved version in a short transaction, unless it changed meanwhile."""
    version = document.current_version
    assert version is not None
    with transaction.atomic():
        locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        current = Version.objects.select_for_update().get(pk=version.pk)
        if current.pdf_blob_id is not None or locked.current_version_id != current.pk:
            return current  # rendered by someone else, or rejected meanwhile: leave it
        if locked.state not in RENDERABLE_STATES:
            return current
        provenance = _store(current, result, produced_by)
        audit_record(
            actor=by,
            action="document.render",
            document=locked,
            changes={
                "version": current.number,
                "pdf_sha256": current.pdf_blob_id,
                "template_version": provenance.get("template_version", ""),
                "assets": provenance.get("assets", {}),
                **({"job": job} if job is not None else {}),
            },
        )
    return current

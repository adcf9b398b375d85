"""Verifying a PDF for anyone: its signatures (signing capability) plus what the registry says of it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doctemplates.provenance import pdf_text_bounded
from records.kinds.base import get_kind
from records.lifecycle import IN_FORCE, State
from records.models import AccessEvent, ArchiveTimestamp, Document, Role, Signature, Version
from signing import api as signing_api
from signing.errors import UnreadablePdf, VerificationCut

CODE_RE = re.compile(r"/verify/([A-Z2-9]{12})/")
TEXT_CUT_LABELS = {
    "pages": _lazy("page count"),
    "content": _lazy("content size"),
    "cpu": _lazy("processor time"),
    "memory": _lazy("memory"),
    "time": _lazy("time"),
}


@dataclass
class RegistryStatus:
    """What the registry says: which document, whether this is its registered version, whether in force."""

    found: bool
    number: str = ""
    kind: str = ""
    state: str = ""
    state_label: str = ""
    registered_at: str | None = None  # in the university's time zone (settings.TIME_ZONE)
    registered_on: str = ""  # the local date in words, as the paper shows it
    series: str = ""
    holder: str = ""  # whom the paper names (the student), as it names them; nothing else personal
    in_force: bool = False
    is_registered_version: bool = False
    verification_code: str = ""
    superseded_by: str = ""


@dataclass
class PublicVerification:
    """The whole answer for a third party: authentic, in force, signed by whom and when, and problems."""

    authentic: bool
    in_force: bool
    ok: bool
    signers: list[dict[str, Any]]
    problems: list[str]
    registry: RegistryStatus
    report: dict[str, Any] = field(default_factory=dict)
    # Why reading an uploaded file's text stopped early: "pages", "content", "cpu", "memory", "time".
    text_cut: str = ""
    # Why checking an uploaded file's signatures was stopped: "cpu", "memory", "time" ("" = checked).
    signatures_cut: str = ""

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not full:
            data.pop("report")
        return data


def _document_for_pdf(pdf: bytes) -> tuple[Document | None, bool, str]:
    """The document this PDF belongs to, whether the bytes are exactly its latest registered PDF,
    and why reading its text was cut short ("" when it was not, or not needed)."""
    sha = hashlib.sha256(pdf).hexdigest()

    renewal = ArchiveTimestamp.objects.filter(pdf_blob_id=sha).select_related("document").first()
    if renewal is not None:
        return renewal.document, True, ""  # a renewal only adds timestamps to the registered, signed bytes
    signature = Signature.objects.filter(pdf_blob_id=sha, void=False).select_related("document").first()
    if signature is not None:
        latest = (
            Signature.objects.filter(document=signature.document, void=False)
            .order_by("-revision", "-id")
            .first()
        )
        return signature.document, latest is not None and latest.pk == signature.pk, ""
    version = Version.objects.filter(pdf_blob_id=sha).select_related("document").first()
    if version is not None:
        return version.document, False, ""
    # Unknown bytes: look for the verification link in the text, read where it can be cut off.
    text = pdf_text_bounded(pdf, stop_at=CODE_RE)
    match = CODE_RE.search(text.text)
    if match:
        return Document.objects.filter(verification_code=match.group(1)).first(), False, ""
    return None, False, "" if text.cut == "unreadable" else text.cut


def _holder(document: Document) -> str:
    """The person the document is about, named as its paper names them (in the document's language)."""
    if document.subject is None:
        return ""
    version = document.current_version
    data = version.data if version is not None and isinstance(version.data, dict) else {}
    language = data.get("language") if data.get("language") in ("kk", "ru", "en") else "ru"
    return document.subject.full_name(language)


def _local_day(moment: Any) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATE_FORMAT"))


def registry_status(document: Document | None, *, is_registered_version: bool = False) -> RegistryStatus:
    if document is None:
        return RegistryStatus(found=False)
    registered = document.registered_at
    return RegistryStatus(
        found=True,
        number=document.registry_number,
        series=document.registry_series,
        holder=_holder(document),
        kind=get_kind(document.kind).name,
        state=document.state,
        state_label=str(State(document.state).label),
        registered_at=timezone.localtime(registered).isoformat() if registered else None,
        registered_on=_local_day(registered) if registered else "",
        in_force=document.state in IN_FORCE,
        is_registered_version=is_registered_version,
        verification_code=document.verification_code,
        superseded_by=document.superseded_by.registry_number if document.superseded_by else "",
    )


def _role_label(role: str) -> str:
    if role == "organisation_seal":
        return str(_("Organisation seal"))
    return str(Role(role).label) if role in Role.values else role


def _time_display(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return "—"
    local = timezone.localtime(moment)  # the university's time zone, as on the paper
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.strftime('%Z')})"


def _signers(document: Document | None, report: dict[str, Any]) -> list[dict[str, Any]]:
    roles = {}
    if document is not None:
        for s in Signature.objects.filter(document=document, void=False):
            roles[s.certificate_sha256] = (s.role, s.step)
    result = []
    for sig in report.get("signatures", []):
        role, _step = roles.get(sig["certificate_sha256"], ("", ""))
        time = sig.get("timestamp_time") or sig.get("signing_time")
        result.append(
            {
                "name": sig["signer_name"],
                "role": role,
                "role_label": _role_label(role),
                "time": time,
                "time_display": _time_display(time),
                "ok": sig["ok"],
                "changed_after": sig["changed_after"],
            }
        )
    return result


def verify_pdf_for_public(pdf: bytes) -> PublicVerification:
    """Verify uploaded bytes. Raises UnreadablePdf when they are not a readable PDF.

    The signatures are checked, and the text read, in children cut off at their limits: a hostile
    upload costs the server a few seconds of CPU at most, and the answer says what was cut."""
    signatures_cut = ""
    try:
        report = signing_api.verify(pdf, limits=signing_api.UPLOAD_VERIFY_LIMITS).to_dict()
    except VerificationCut as exc:
        signatures_cut = exc.limit
        report = {"ok": False, "signatures": [], "problems": []}
    document, exact, text_cut = _document_for_pdf(pdf)
    status = registry_status(document, is_registered_version=exact)
    problems = list(report.get("problems", []))
    if signatures_cut:
        problems.append(
            _(
                "The file is too large or too complex to check its signatures (%(limit)s limit); "
                "it is not shown as authentic."
            )
            % {"limit": TEXT_CUT_LABELS.get(signatures_cut, signatures_cut)}
        )
    if text_cut:
        problems.append(
            _(
                "The file is too large or too complex to read its text in full (%(limit)s limit); "
                "the registry was searched by its signatures and exact bytes only."
            )
            % {"limit": TEXT_CUT_LABELS.get(text_cut, text_cut)}
        )
    authentic = bool(report.get("ok")) and bool(report.get("signatures"))
    if not report.get("signatures") and not signatures_cut:
        problems.append(_("The file carries no signature."))
    if document is None:
        problems.append(_("The registry has no record of this document."))
    elif not status.in_force:
        problems.append(_("The document is not in force: %(state)s.") % {"state": status.state_label})
    elif not exact:
        problems.append(_("This file is not the registered version of the document."))
    in_force = status.in_force and exact
    return PublicVerification(
        authentic=authentic,
        in_force=in_force,
        ok=authentic and in_force,
        signers=_signers(document, report),
        problems=problems,
        registry=status,
        report=report,
        text_cut=text_cut,
        signatures_cut=signatures_cut,
    )


def verify_code_for_public(code: str) -> PublicVerification | None:
    """What the registry says of a verification code (from the QR code); None when unknown."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z2-9]{12}", code):
        return None
    document = (
        Document.objects.filter(verification_code=code).select_related("subject", "current_version").first()
    )
    if document is None or document.state in (State.DRAFT, State.REVIEW):
        return None
    latest = Signature.objects.filter(document=document, void=False).order_by("-revision", "-id").first()
    signers = [
        {
            "name": s.signer_name,
            "role": s.role,
            "role_label": _role_label(s.role),
            "time": s.signed_at.isoformat(),
            "time_display": _time_display(s.signed_at.isoformat()),
            "ok": True,
            "changed_after": False,
        }
        for s in Signature.objects.filter(document=document, void=False).order_by("signed_at")
    ]
    status = registry_status(document, is_registered_version=latest is not None)
    problems = (
        []
        if status.in_force
        else [_("The document is not in force: %(state)s.") % {"state": status.state_label}]
    )
    return PublicVerification(
        authentic=latest is not None,
        in_force=status.in_force,
        ok=latest is not None and status.in_force,
        signers=signers,
        problems=problems,
        registry=status,
    )


def documents_to_prepare_reports(*, since: Any, limit: int = 500) -> list[int]:
    """Documents whose verification report someone opened since ``since``, or that were registered
    or re-timestamped since then (newest first, at most ``limit``): the daily warm-up's list."""
    viewed = (
        AccessEvent.objects.filter(action="document.verification_view", created_at__gte=since)
        .order_by("-created_at")
        .values_list("document_id", flat=True)[: limit * 4]
    )
    fresh = (
        Document.objects.filter(registered_at__gte=since)
        .order_by("-registered_at")
        .values_list("pk", flat=True)[:limit]
    )
    renewed = (
        ArchiveTimestamp.objects.filter(created_at__gte=since)
        .order_by("-created_at")
        .values_list("document_id", flat=True)[:limit]
    )
    ids = dict.fromkeys(i for i in (*viewed, *fresh, *renewed) if i is not None)
    return list(ids)[:limit]


__all__ = [
    "PublicVerification",
    "UnreadablePdf",
    "documents_to_prepare_reports",
    "verify_code_for_public",
    "verify_pdf_for_public",
]

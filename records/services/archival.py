"""Archival renewal (PAdES B-LTA): re-timestamp registered documents before their chain expires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.lifecycle import State
from records.models import ArchiveTimestamp, Blob, Document
from records.selectors.document import document_current_pdf
from records.services import hooks
from records.services.audit import audit_record
from signing import api as signing_api
from signing.errors import SigningCapabilityError
from signing.pades import renew_archive_timestamp


@dataclass
class RenewalReport:
    """What a renewal run did."""

    checked: int = 0
    renewed: int = 0
    failed: dict[int, str] | None = None
    tsa_renewed_until: dt.datetime | None = None  # the local TSA got a new certificate, valid until then


def archive_expiry(pdf: bytes) -> dt.datetime | None:
    """When the latest document timestamp's chain expires (its TSA certificate; the verification
    report's ``archive_timestamp_expires``, read without validating the whole PDF)."""
    expires = signing_api.archive_timestamp_expires(pdf)
    return parse_datetime(expires) if expires else None


def _registered() -> Iterator[Document]:
    yield from (
        Document.objects.filter(state=State.REGISTERED)
        .select_related("current_version")
        .iterator(chunk_size=200)
    )


def document_renew_archive_timestamp(*, document: Document, by: Any = None) -> ArchiveTimestamp:
    """Add revocation data and a fresh document timestamp; the new bytes become the current PDF."""
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=document.pk)
        )
        pdf = document_current_pdf(locked)
        if pdf is None:
            raise RecordsError("no_pdf", _("The document has no PDF to renew."))
        previous = archive_expiry(pdf)
        try:
            renewed = renew_archive_timestamp(
                pdf, tsa=signing_api.timestamper(), validation_context=signing_api.validation_context()
            )
        except SigningCapabilityError as exc:
            raise RecordsError("renewal_failed", "%(error)s", error=str(exc)) from exc
        stamp = ArchiveTimestamp.objects.create(
            document=locked,
            pdf_blob=Blob.store(renewed, "application/pdf"),
            previous_expiry=previous,
            expires_at=archive_expiry(renewed),
        )
        audit_record(
            actor=by,
            action="document.archive_timestamp",
            document=locked,
            changes={
                "pdf_sha256": stamp.pdf_blob_id,
                "previous_expiry": str(previous),
                "expires_at": str(stamp.expires_at),
            },
        )
        hooks.document_signed(locked)  # the renewed PDF's reports prepared in the background
    return stamp


def renew_expiring(
    *, margin_days: int, progress: Callable[[int], None] | None = None, by: Any = None
) -> RenewalReport:
    """Renew every registered document whose archive timestamp chain expires within `margin_days`.

    First the local TSA rolls over to a new certificate when its own ends within the margin, so the
    new timestamps outlive the old ones (an external TSA renews its certificate itself)."""
    limit = timezone.now() + dt.timedelta(days=margin_days)
    report = RenewalReport(failed={})
    try:
        report.tsa_renewed_until = signing_api.local_tsa_rollover(margin_days=margin_days)
    except SigningCapabilityError as exc:
        raise RecordsError("tsa_rollover_failed", "%(error)s", error=str(exc)) from exc
    if report.tsa_renewed_until is not None:
        audit_record(
            actor=by,
            action="signing.tsa_rollover",
            object_type="tsa",
            object_id="local",
            changes={"valid_until": report.tsa_renewed_until.isoformat()},
        )
    assert report.failed is not None
    for document in _registered():
        report.checked += 1
        pdf = document_current_pdf(document)
        if pdf is None:
            continue
        expiry = archive_expiry(pdf)
        if expiry is not None and expiry > limit:
            continue
        try:
            document_renew_archive_timestamp(document=document, by=by)
            report.renewed += 1
        except RecordsError as exc:
            report.failed[document.pk] = exc.message
        if progress is not None:
            progress(report.checked)
    return report

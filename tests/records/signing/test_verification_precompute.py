"""Verification reports are computed by the worker when signing or timestamping completes (and daily
for recently viewed documents), so the report page reads them instead of validating while one waits."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from records.models import Document, Role
from records.selectors.document import document_current_pdf
from records.selectors.verification import documents_to_prepare_reports
from records.services.archival import document_renew_archive_timestamp
from records.tasks import verification_warmup_daily
from signing import api as signing_api
from signing import pki, verification
from signing.api import VerificationReport
from tests.conftest import walk_route
from tests.records.admin.conftest import make_draft


def _stored_reports(document: Document) -> dict[str, VerificationReport | None]:
    """Today's report of the document's current PDF in every language, as the page would find it."""
    pdf = document_current_pdf(document)
    assert pdf is not None
    found = {}
    for language, _name in django_settings.LANGUAGES:
        with translation.override(language):
            found[language] = cache.get(signing_api.report_cache_key(pdf))
    return found


def _no_validation(monkeypatch: Any) -> list[bytes]:
    """Validations from here on are counted and refused: a page answering must have read a stored report."""
    calls: list[bytes] = []

    def refuse(pdf: bytes, **kwargs: Any) -> Any:
        calls.append(pdf)
        raise AssertionError("validated while the page was waiting")

    monkeypatch.setattr(verification, "verify_pdf", refuse)
    return calls


@pytest.fixture
def precompute(settings: Any) -> None:
    settings.RECTORATE_VERIFY_PRECOMPUTE = True


def _signed(users: dict[str, Any], org: Any, capture: Any) -> Document:
    with capture(execute=True):  # the after-commit work runs, as the worker would run it
        return walk_route(users, make_draft(users, org), approver=Role.RECTOR)


def test_the_report_exists_after_signing_completes_without_any_page_view(
    precompute: None,
    client: Any,
    staff: dict[str, Any],
    org: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    document = _signed(staff, org, django_capture_on_commit_callbacks)
    reports = _stored_reports(document)
    assert all(isinstance(r, VerificationReport) and r.ok for r in reports.values()), reports
    assert {len(r.signatures) for r in reports.values() if r} == {1}

    calls = _no_validation(monkeypatch)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{document.pk}/verification/")
    assert response.status_code == 200 and calls == []
    html = response.content.decode()
    assert 'data-report-ok="1"' in html
    stored = reports[translation.get_language() or "en"] or reports["en"]
    assert stored is not None and stored.validated_at in html  # when it was really validated


def test_without_the_setting_nothing_is_computed_in_advance(
    client: Any, staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = _signed(staff, org, django_capture_on_commit_callbacks)
    assert list(_stored_reports(document).values()) == [None] * len(django_settings.LANGUAGES)


def test_a_revocation_changes_the_report_at_once(
    precompute: None,
    client: Any,
    staff: dict[str, Any],
    org: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    document = _signed(staff, org, django_capture_on_commit_callbacks)
    directory = tmp_path / "pki"
    shutil.copytree(settings.RECTORATE_PKI_DIR, directory)  # this test revokes: its own copy of the PKI
    settings.RECTORATE_PKI_DIR = directory  # the same trust store: the stored reports still answer
    assert all(r is not None and r.ok for r in _stored_reports(document).values())

    pki.revoke_certificate(directory, staff[Role.RECTOR].username)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{document.pk}/verification/")
    assert response.status_code == 200
    assert 'data-report-ok="0"' in response.content.decode()  # the stored report is not shown
    revoked = _stored_reports(document)[translation.get_language() or "en"]  # computed by that view
    assert revoked is not None and not revoked.ok


def test_a_renewed_archive_timestamp_gets_its_report_in_advance(
    precompute: None, staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = _signed(staff, org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        document_renew_archive_timestamp(document=document)
    document.refresh_from_db()
    reports = _stored_reports(document)  # the renewed bytes are the current PDF now
    assert all(r is not None and r.ok and r.document_timestamps for r in reports.values()), reports


def test_the_daily_warm_up_prepares_todays_reports_of_recently_viewed_documents(
    client: Any, staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    document = _signed(staff, org, django_capture_on_commit_callbacks)  # precompute off: nothing stored
    client.force_login(staff[Role.AUDITOR])
    assert client.get(f"/admin/signing/documents/{document.pk}/verification/").status_code == 200
    cache.clear()  # a new day: yesterday's reports are not today's
    assert document.pk in documents_to_prepare_reports(since=document.registered_at)
    assert verification_warmup_daily.call()["prepared"] >= 1
    assert all(r is not None and r.ok for r in _stored_reports(document).values())
    calls = _no_validation(monkeypatch)
    assert client.get(f"/admin/signing/documents/{document.pk}/verification/").status_code == 200
    assert calls == []
